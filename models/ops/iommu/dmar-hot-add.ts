/*
 * models/ops/iommu/dmar-hot-add.ts - dmar_hp_add_drhd(): a DMAR unit is hot-added
 *   (drivers/iommu/intel/dmar.c)
 */
import { z } from 'zod';
import { KERNEL_DESIGN } from '../../designs/index.ts';
import { dmarHotAdd } from '../../drivers/iommu/intel/dmar.ts';
import { nat } from '../args.ts';
import { isDmar } from './units.ts';
import { unitName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'dmarHotAdd',
  z.object({ unit: nat, fail: z.boolean().optional() }),
)({
  step: (w, o) => dmarHotAdd(w, o.unit, o.fail ?? false),
  render: (w, o) => `dmar_hp_add_drhd(${unitName(w, o.unit)})${o.fail ? '  [inject: dmar_enable_qi fails]' : ''}`,
  candidates: (w) => w.units.filter((u) => isDmar(u) && !u.present).map((u) => u.id),
  // a kernel caller's hot add may fail in intel_setup_irq_remapping() (dmar_enable_qi());
  // a design's driver-level workload adds units that come up (its choices stay as they were)
  build: (w, _m, c, unit) =>
    w.design === KERNEL_DESIGN && c.oneIn(4) ? { type: 'dmarHotAdd', unit, fail: true } : { type: 'dmarHotAdd', unit },
  handle: (unit) => ({ unit }),
  // a kernel caller's hot add may also fail in dmar_enable_qi(); a design's workload adds units that come up
  explore: (w, unit) =>
    w.design === KERNEL_DESIGN
      ? [
          { type: 'dmarHotAdd', unit },
          { type: 'dmarHotAdd', unit, fail: true },
        ]
      : [{ type: 'dmarHotAdd', unit }],
});
