/*
 * models/ops/x86/dmar-set-interrupt.ts - dmar_set_interrupt(): a DMAR unit's fault interrupt
 *   (drivers/iommu/intel/dmar.c, arch/x86 DMAR-MSI)
 */
import { z } from 'zod';
import { dmarSetInterrupt } from '../../arch/x86/dmar-msi.ts';
import { nat } from '../args.ts';
import { unitName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'dmarSetInterrupt',
  z.object({ unit: nat }),
)({
  step: (w, o) => dmarSetInterrupt(w, o.unit),
  render: (w, o) => `dmar_set_interrupt(${unitName(w, o.unit)})`,
  // only where the platform models the DMAR fault interrupt; a unit that has one is done
  candidates: (w) => (w.config.dmarFaultIrq ? w.units.filter((u) => u.present && !u.faultIrq).map((u) => u.id) : []),
  build: (_w, _m, _c, unit) => ({ type: 'dmarSetInterrupt', unit }),
  handle: (unit) => ({ unit }),
  // the number also counts as an irq key among recently touched handles (the generator has always
  // matched it so; kept, as it decides which candidate seeded runs pick)
  recentKeys: (x) => [`virq:${x}`],
  explore: 'variants',
});
