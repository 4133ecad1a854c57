/*
 * models/ops/idxd/idxd-wq-disable.ts - idxd_wq_disable(): a WQ is disabled (drivers/dma/idxd/device.c)
 */
import { z } from 'zod';
import { idxdWqDisable } from '../../drivers/dma/idxd/idxd.ts';
import { nat } from '../args.ts';
import { probed } from './handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'idxdWqDisable',
  z.object({ pf: nat, wq: nat }),
)({
  step: (w, o) => idxdWqDisable(w, o.pf, o.wq),
  render: (w, o) => `idxd_wq_disable(${deviceName(w, o.pf)}/wq${o.wq})`,
  candidates: (w, mode) =>
    probed(w).flatMap((p) =>
      p.wqs.filter((q) => q.enabled && (mode === 'any' || q.mdevRefs === 0)).map((q) => ({ pf: p.dev, wq: q.id })),
    ),
  build: (_w, _m, _c, x) => ({ type: 'idxdWqDisable', ...x }),
  handle: (x) => x,
  explore: 'variants',
});
