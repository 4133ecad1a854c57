/*
 * models/ops/irqchip/irq-dispose-mapping.ts - irq_dispose_mapping(): a consumer unmaps a wired
 *   pin of an mbigen (kernel/irq/irqdomain.c)
 */
import { z } from 'zod';
import { irqDisposeMapping } from '../../drivers/irqchip/mbigen.ts';
import { anyVirqs, liveIrqs } from '../handles.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'irqDisposeMapping',
  z.object({ virq: z.number().int() }),
)({
  step: (w, o) => irqDisposeMapping(w, o.virq),
  render: (_w, o) => `irq_dispose_mapping(${o.virq})`,
  // legal: a mapped wired interrupt with no handler; careless: any virq it may still hold
  candidates: (w, mode) => {
    if (!w.platform.its) return [];
    if (mode === 'any') return anyVirqs(w);
    return liveIrqs(w)
      .filter((v) => !v.action && w.domains[v.levels[0]!.domain]?.kind === 'mbigen')
      .map((v) => v.virq);
  },
  build: (_w, _m, _c, virq) => ({ type: 'irqDisposeMapping', virq }),
  handle: (virq) => ({ virq }),
  explore: 'variants',
});
