/*
 * models/ops/idxd/idxd-wq-enable.ts - idxd_wq_enable(): a configured WQ is enabled
 *   (drivers/dma/idxd/device.c)
 */
import { z } from 'zod';
import { idxdWqEnable } from '../../drivers/dma/idxd/idxd.ts';
import { nat } from '../args.ts';
import { probed } from './handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'idxdWqEnable',
  z.object({ pf: nat, wq: nat }),
)({
  step: (w, o) => idxdWqEnable(w, o.pf, o.wq),
  render: (w, o) => `idxd_wq_enable(${deviceName(w, o.pf)}/wq${o.wq})`,
  candidates: (w, mode) =>
    probed(w).flatMap((p) =>
      p.wqs
        .filter(
          (q) => !q.enabled && (mode === 'any' || (p.enabled && q.group !== null && q.size > 0 && q.type !== 'none')),
        )
        .map((q) => ({ pf: p.dev, wq: q.id })),
    ),
  build: (_w, _m, _c, x) => ({ type: 'idxdWqEnable', ...x }),
  handle: (x) => x,
  explore: 'variants',
});
