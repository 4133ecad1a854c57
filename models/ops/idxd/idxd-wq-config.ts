/*
 * models/ops/idxd/idxd-wq-config.ts - an admin configures a WQ through sysfs: echo type mode size
 *   group > wqN (drivers/dma/idxd/sysfs.c)
 */
import { z } from 'zod';
import { idxdWqConfig } from '../../drivers/dma/idxd/device.ts';
import { nat } from '../args.ts';
import { probed } from './handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

const wqTypes = ['mdev', 'kernel', 'user', 'mdev'] as const;

export default defineOp(
  'idxdWqConfig',
  z.object({
    pf: nat,
    wq: nat,
    wqType: z.enum(['none', 'kernel', 'user', 'mdev']),
    mode: z.enum(['dedicated', 'shared']),
    size: nat,
    group: nat.nullable(),
  }),
)({
  step: (w, o) => idxdWqConfig(w, o.pf, o.wq, { type: o.wqType, mode: o.mode, size: o.size, group: o.group }),
  render: (w, o) =>
    `echo ${o.wqType} ${o.mode} size=${o.size} group=${o.group ?? -1} > ${deviceName(w, o.pf)}/wq${o.wq}`,
  candidates: (w, mode) => (mode === 'legal' ? probed(w).filter((p) => !p.enabled) : probed(w)),
  build: (_w, _m, c, p) => ({
    type: 'idxdWqConfig',
    pf: p.dev,
    wq: c.int(0, Math.min(p.caps.numWqs, 4) - 1),
    wqType: c.pick(wqTypes),
    mode: c.oneIn(3) ? 'shared' : 'dedicated',
    size: c.pick([8, 16, 32]),
    group: c.oneIn(6) ? null : c.int(0, p.caps.numGroups - 1),
  }),
  handle: (p) => ({ pf: p.dev }),
  // an mdev WQ (dedicated or shared) as wq0, a kernel WQ as wq1
  explore: (_w, p) => [
    { type: 'idxdWqConfig', pf: p.dev, wq: 0, wqType: 'mdev', mode: 'dedicated', size: 16, group: 0 },
    { type: 'idxdWqConfig', pf: p.dev, wq: 0, wqType: 'mdev', mode: 'shared', size: 16, group: 0 },
    { type: 'idxdWqConfig', pf: p.dev, wq: 1, wqType: 'kernel', mode: 'dedicated', size: 16, group: 0 },
  ],
});
