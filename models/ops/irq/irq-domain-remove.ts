/*
 * models/ops/irq/irq-domain-remove.ts - irq_domain_remove(): a domain is removed
 *   (kernel/irq/irqdomain.c)
 */
import { z } from 'zod';
import { tasksOf } from '../../kernel/irq/concurrency.ts';
import { irqDomainRemove } from '../../kernel/irq/irqdomain.ts';
import { nat } from '../args.ts';
import { allDomainIds, domainUsers, liveDomains } from '../handles.ts';
import { domainName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'irqDomainRemove',
  z.object({ domain: nat }),
)({
  step: (w, o) => irqDomainRemove(w, o.domain),
  render: (w, o) => `irq_domain_remove(${domainName(w, o.domain)})`,
  // a domain still being created is its creator's: nobody else removes it
  candidates: (w, mode) =>
    mode === 'legal'
      ? liveDomains(w).filter(
          (id) =>
            w.domains[id]!.creator === 'caller' &&
            domainUsers(w, id) === 0 &&
            !tasksOf(w).some((t) => t.kind === 'domain-create' && t.domain === id),
        )
      : allDomainIds(w),
  build: (_w, _m, _c, domain) => ({ type: 'irqDomainRemove', domain }),
  handle: (domain) => ({ domain }),
  explore: 'variants',
});
