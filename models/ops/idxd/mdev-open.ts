/*
 * models/ops/idxd/mdev-open.ts - idxd_vdcm_open(): a guest opens its mdev and gets its IMS interrupts
 *   (vdcm, RFC)
 */
import { z } from 'zod';
import { mdevOpen } from '../../drivers/dma/idxd/vdcm.ts';
import { failPoint, nat } from '../args.ts';
import { exploreFails, maybeFail } from '../choices.ts';
import { mdevs } from './handles.ts';
import { inject } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'mdevOpen',
  z.object({ mdev: nat, fail: failPoint }),
)({
  step: (w, o) => mdevOpen(w, o.mdev, o.fail),
  render: (_w, o) => `idxd_vdcm_open(mdev${o.mdev})${inject(o.fail)}`,
  candidates: (w, mode) => mdevs(w).filter((m) => mode === 'any' || !m.open),
  build: (_w, _m, c, m) => ({ type: 'mdevOpen', mdev: m.id, fail: maybeFail(c) }),
  handle: (m) => ({ mdev: m.id }),
  explore: (_w, m) => exploreFails.map((fail) => ({ type: 'mdevOpen', mdev: m.id, fail })),
});
