/*
 * models/ops/x86/mp-map-pin-to-irq.ts - mp_map_pin_to_irq(): a pin gets an irq
 *   (arch/x86/kernel/apic/io_apic.c)
 */
import { z } from 'zod';
import { mpMapPinToIrq } from '../../arch/x86/ioapic.ts';
import { nat } from '../args.ts';
import { ioapics, pins } from './ioapics.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'mpMapPinToIrq',
  z.object({ ioapic: nat, pin: nat }),
)({
  step: (w, o) => mpMapPinToIrq(w, o.ioapic, o.pin),
  render: (_w, o) => `mp_map_pin_to_irq(IOAPIC[${o.ioapic}], pin ${o.pin}, IOAPIC_MAP_ALLOC)`,
  candidates: (w, mode) =>
    ioapics(w).flatMap((a) =>
      mode === 'any' || (a.present && a.domain !== null)
        ? pins(a)
            .filter((p) => mode === 'any' || a.pinIrq[p] === undefined)
            .map((pin) => ({ ioapic: a.index, pin }))
        : [],
    ),
  build: (_w, _m, _c, x) => ({ type: 'mpMapPinToIrq', ioapic: x.ioapic, pin: x.pin }),
  handle: (x) => x,
  explore: 'variants',
});
