/*
 * models/ops/x86/mp-unmap-irq.ts - mp_unmap_irq(): a pin's irq is released
 *   (arch/x86/kernel/apic/io_apic.c)
 */
import { z } from 'zod';
import { mpUnmapIrq } from '../../arch/x86/ioapic.ts';
import { anyVirqs, liveIrqs } from '../handles.ts';
import { ioapics } from './ioapics.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'mpUnmapIrq',
  z.object({ virq: z.number().int() }),
)({
  step: (w, o) => mpUnmapIrq(w, o.virq),
  render: (_w, o) => `mp_unmap_irq(${o.virq})`,
  candidates: (w, mode) =>
    ioapics(w).length === 0
      ? []
      : mode === 'legal'
        ? liveIrqs(w)
            .filter((v) => v.owner?.kind === 'ioapic' && !v.action)
            .map((v) => v.virq)
        : anyVirqs(w),
  build: (_w, _m, _c, virq) => ({ type: 'mpUnmapIrq', virq }),
  handle: (virq) => ({ virq }),
  explore: 'variants',
});
