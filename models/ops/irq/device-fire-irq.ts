/*
 * models/ops/irq/device-fire-irq.ts - a device raises an interrupt: the vector arrives on its CPU
 *   (arch/x86/kernel/apic/vector.c)
 */
import { z } from 'zod';
import { deviceFireIrq } from '../../kernel/irq/manage.ts';
import { nat } from '../args.ts';
import { liveIrqs } from '../handles.ts';
import { representative } from './representative.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'deviceFireIrq',
  z.object({ virq: nat }),
)({
  step: (w, o) => deviceFireIrq(w, o.virq),
  render: (_w, o) => `<device raises irq ${o.virq}>`,
  candidates: (w) =>
    liveIrqs(w)
      .filter((v) => v.activated)
      .map((v) => v.virq),
  build: (_w, _m, _c, virq) => ({ type: 'deviceFireIrq', virq }),
  // an interrupt that has work to do on arrival: a pending affinity to apply, a move to complete
  prefer: (w, virq) => {
    const d = w.irqs[virq];
    return (
      !!d && (d.pendingAffinity !== null || d.levels.some((l) => l.chip?.kind === 'vector' && l.chip.moveInProgress))
    );
  },
  handle: (virq) => ({ virq }),
  // a device's first interrupt that has a handler
  explore: (w, virq) => (representative(w).has(virq) ? [{ type: 'deviceFireIrq', virq }] : []),
});
