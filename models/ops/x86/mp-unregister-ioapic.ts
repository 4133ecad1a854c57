/*
 * models/ops/x86/mp-unregister-ioapic.ts - mp_unregister_ioapic(): an I/O APIC is hot-removed
 *   (arch/x86/kernel/apic/io_apic.c)
 */
import { z } from 'zod';
import { mpUnregisterIoapic } from '../../arch/x86/ioapic.ts';
import { nat } from '../args.ts';
import { ioapicName, ioapics } from './ioapics.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'mpUnregisterIoapic',
  z.object({ ioapic: nat }),
)({
  step: (w, o) => mpUnregisterIoapic(w, o.ioapic),
  render: (w, o) => `mp_unregister_ioapic(${ioapicName(w, o.ioapic)})`,
  candidates: (w, mode) =>
    ioapics(w)
      .filter((a) => mode === 'any' || (a.present && Object.keys(a.pinIrq).length === 0))
      .map((a) => ({ ioapic: a.index })),
  build: (_w, _m, _c, x) => ({ type: 'mpUnregisterIoapic', ioapic: x.ioapic }),
  handle: (x) => x,
  explore: 'variants',
});
