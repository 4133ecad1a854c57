/*
 * models/ops/irq/irq-domain-free-irqs.ts - irq_domain_free_irqs(): a direct (non-MSI) user
 *   frees what irq_domain_alloc_irqs() gave it (kernel/irq/irqdomain.c)
 */
import { z } from 'zod';
import { irqDomainFreeIrqs } from '../../kernel/irq/irqdomain.ts';
import { recDel } from '../../world/util.ts';
import { client, nat } from '../args.ts';
import { coreAllocsOf, liveIrqs } from '../handles.ts';
import { remember } from '../recent-frees.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'irqDomainFreeIrqs',
  z.object({ client, virq: nat, n: z.number().int().min(1) }),
)({
  step: (w, o) => {
    const r = irqDomainFreeIrqs(w, o.virq, o.n);
    const mine = Object.values(w.coreAllocs).find((a) => a.client === o.client && a.base === o.virq && a.count === o.n);
    let out = r.world;
    if (mine) out = { ...out, coreAllocs: recDel(out.coreAllocs, mine.id) };
    if (r.kind === 'ok') out = remember(out, { kind: 'core', client: o.client, base: o.virq, count: o.n });
    return { ...r, world: out };
  },
  render: (_w, o) => `irq_domain_free_irqs(${o.virq}, ${o.n})  # ${o.client}`,
  candidates: (w, mode) => {
    const live = coreAllocsOf(w)
      .filter(
        (a) => mode === 'any' || !Array.from({ length: a.count }, (_, i) => w.irqs[a.base + i]).some((v) => v?.action),
      )
      .map((a) => ({ client: a.client, virq: a.base, n: a.count }));
    if (mode === 'legal') return live;
    const stale = w.recentFrees.flatMap((f) =>
      f.kind === 'core' ? [{ client: f.client, virq: f.base, n: f.count }] : [],
    );
    const foreign = liveIrqs(w)
      .filter((v) => v.owner?.kind === 'msi')
      .map((v) => ({ client: 'client0' as const, virq: v.virq, n: 1 }));
    return [...live, ...stale, ...foreign];
  },
  build: (_w, _m, _c, x) => ({ type: 'irqDomainFreeIrqs', ...x }),
  handle: (x) => x,
  explore: 'variants',
});
