/*
 * models/ops/x86/acpi-ioapic-add.ts - acpi_ioapic_add(): an I/O APIC is hot-added
 *   (drivers/acpi/ioapic.c, arch/x86/kernel/apic/io_apic.c)
 */
import { z } from 'zod';
import { acpiIoapicAdd } from '../../arch/x86/ioapic.ts';
import { nat } from '../args.ts';
import { ioapicName, ioapics } from './ioapics.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'acpiIoapicAdd',
  z.object({ ioapic: nat }),
)({
  step: (w, o) => acpiIoapicAdd(w, o.ioapic),
  render: (w, o) => `acpi_ioapic_add(${ioapicName(w, o.ioapic)})`,
  candidates: (w, mode) =>
    ioapics(w)
      .filter((a) => mode === 'any' || !a.present)
      .map((a) => ({ ioapic: a.index })),
  build: (_w, _m, _c, x) => ({ type: 'acpiIoapicAdd', ioapic: x.ioapic }),
  handle: (x) => x,
  explore: 'variants',
});
