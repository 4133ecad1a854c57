/*
 * models/ops/irq/irq-domain-alloc-irqs.ts - irq_domain_alloc_irqs(): a non-MSI kernel user allocates
 *   through the hierarchy core (kernel/irq/irqdomain.c)
 */
import { z } from 'zod';
import { noArg } from '../../kernel/irq/hierarchy.ts';
import { irqDomainAllocIrqs } from '../../kernel/irq/irqdomain.ts';
import { bug } from '../../world/outcome.ts';
import type { CoreAlloc } from '../../world/types.ts';
import { recPut } from '../../world/util.ts';
import { client, cpus, failPoint, nat } from '../args.ts';
import { maybeFail } from '../choices.ts';
import { clients, cpuList } from '../guards.ts';
import { allDomainIds, coreAllocsOf } from '../handles.ts';
import { domainName, inject, mask } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'irqDomainAllocIrqs',
  z.object({ client, domain: nat, n: z.number().int().min(1), cpus: cpus.nullable(), fail: failPoint }),
)({
  step: (w, o) => {
    const dom = w.domains[o.domain];
    // msi_domain_alloc() -> ops->get_hwirq(info, arg) with no msi_desc: NULL dereference
    if (dom && dom.kind === 'msi')
      return bug(w, `irq_domain_alloc_irqs(${dom.name}) without an msi_desc: NULL pointer dereference in get_hwirq`);
    // its_irq_domain_alloc() reads its_dev from the NULL msi_alloc_info; mbigen translates a NULL fwspec
    if (dom && (dom.kind === 'its' || dom.kind === 'mbigen'))
      return bug(w, `irq_domain_alloc_irqs(${dom.name}) without alloc info: NULL pointer dereference`);
    const r = irqDomainAllocIrqs(
      w,
      o.domain,
      o.n,
      { ...noArg, fail: o.fail, fixedMask: o.cpus },
      {
        owner: { kind: 'core', alloc: w.nextCoreAlloc },
        affinity: o.cpus ? Array.from({ length: o.n }, () => o.cpus!) : null,
        managed: false,
      },
    );
    if (r.kind !== 'ok') return r;
    const rec: CoreAlloc = { id: w.nextCoreAlloc, client: o.client, domain: o.domain, base: r.value, count: o.n };
    return {
      ...r,
      world: { ...r.world, coreAllocs: recPut(r.world.coreAllocs, rec.id, rec), nextCoreAlloc: rec.id + 1 },
    };
  },
  render: (w, o) =>
    `irq_domain_alloc_irqs(${domainName(w, o.domain)}, ${o.n}${o.cpus ? `, mask=${mask(o.cpus)}` : ''})  # ${o.client}${inject(o.fail)}`,
  candidates: (w, mode) =>
    coreAllocsOf(w).length >= 4
      ? []
      : mode === 'legal'
        ? w.domains[w.vectorDomain]
          ? [w.vectorDomain]
          : []
        : allDomainIds(w),
  build: (w, _m, c, domain) => ({
    type: 'irqDomainAllocIrqs',
    client: c.pick(clients),
    domain,
    n: c.int(1, 2),
    cpus: c.oneIn(3) ? c.subset(cpuList(w)) : null,
    fail: maybeFail(c),
  }),
  handle: (domain) => ({ domain }),
  explore: 'variants',
});
