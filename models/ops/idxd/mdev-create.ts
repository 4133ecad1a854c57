/*
 * models/ops/idxd/mdev-create.ts - mdev_device_create(): an mdev on a WQ (drivers/vfio/mdev; vdcm,
 *   RFC)
 */
import { z } from 'zod';
import { mdevCreate } from '../../drivers/dma/idxd/vdcm.ts';
import { nat } from '../args.ts';
import { probed } from './handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'mdevCreate',
  z.object({ pf: nat, wq: nat }),
)({
  step: (w, o) => mdevCreate(w, o.pf, o.wq),
  render: (w, o) => `mdev_device_create(${deviceName(w, o.pf)}, wq${o.wq})`,
  candidates: (w, mode) =>
    probed(w).flatMap((p) =>
      p.wqs
        .filter(
          (q) =>
            mode === 'any' ||
            (p.driver.mdevParent && q.enabled && q.type === 'mdev' && (q.mode === 'shared' || q.mdevRefs === 0)),
        )
        .map((q) => ({ pf: p.dev, wq: q.id })),
    ),
  build: (_w, _m, _c, x) => ({ type: 'mdevCreate', ...x }),
  handle: (x) => x,
  explore: 'variants',
});
