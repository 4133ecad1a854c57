/*
 * models/ops/idxd/mdev-release.ts - idxd_vdcm_release(): the guest closes its mdev (vdcm, RFC)
 */
import { z } from 'zod';
import { mdevRelease } from '../../drivers/dma/idxd/vdcm.ts';
import { nat } from '../args.ts';
import { mdevs } from './handles.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'mdevRelease',
  z.object({ mdev: nat }),
)({
  step: (w, o) => mdevRelease(w, o.mdev),
  render: (_w, o) => `idxd_vdcm_release(mdev${o.mdev})`,
  candidates: (w, mode) => mdevs(w).filter((m) => mode === 'any' || m.open),
  build: (_w, _m, _c, m) => ({ type: 'mdevRelease', mdev: m.id }),
  handle: (m) => ({ mdev: m.id }),
  explore: 'variants',
});
