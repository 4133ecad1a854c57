/*
 * models/ops/iommu/dmar-hot-remove.ts - dmar_hp_remove_drhd(): a DMAR unit is hot-removed
 *   (drivers/iommu/intel/dmar.c)
 */
import { z } from 'zod';
import { dmarHotRemove } from '../../drivers/iommu/intel/dmar.ts';
import { nat } from '../args.ts';
import { coveredBy, ioapicOn, isDmar } from './units.ts';
import { unitName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'dmarHotRemove',
  z.object({ unit: nat }),
)({
  step: (w, o) => dmarHotRemove(w, o.unit),
  render: (w, o) => `dmar_hp_remove_drhd(${unitName(w, o.unit)})`,
  // a DMAR (VT-d) unit; a legal admin removes it only after the devices and I/O APICs of its scope
  candidates: (w, mode) =>
    w.units
      .filter((u) => isDmar(u) && u.present && (mode === 'any' || (coveredBy(w, u.id).length === 0 && !ioapicOn(w, u))))
      .map((u) => u.id),
  build: (_w, _m, _c, unit) => ({ type: 'dmarHotRemove', unit }),
  handle: (unit) => ({ unit }),
  explore: 'variants',
});
