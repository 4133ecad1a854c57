/*
 * models/ops/idxd/mdev-remove.ts - mdev_device_remove(): the mdev is removed (drivers/vfio/mdev; vdcm,
 *   RFC)
 */
import { z } from 'zod';
import { mdevRemove } from '../../drivers/dma/idxd/vdcm.ts';
import { nat } from '../args.ts';
import { mdevs } from './handles.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'mdevRemove',
  z.object({ mdev: nat }),
)({
  step: (w, o) => mdevRemove(w, o.mdev),
  render: (_w, o) => `mdev_device_remove(mdev${o.mdev})`,
  candidates: (w) => mdevs(w),
  build: (_w, _m, _c, m) => ({ type: 'mdevRemove', mdev: m.id }),
  handle: (m) => ({ mdev: m.id }),
  explore: 'variants',
});
