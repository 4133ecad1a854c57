/*
 * models/ops/idxd/idxd-engine-config.ts - an admin puts an engine in a group through sysfs
 *   (drivers/dma/idxd/sysfs.c)
 */
import { z } from 'zod';
import { idxdEngineConfig } from '../../drivers/dma/idxd/device.ts';
import { nat } from '../args.ts';
import { probed } from './handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'idxdEngineConfig',
  z.object({ pf: nat, engine: nat, group: nat.nullable() }),
)({
  step: (w, o) => idxdEngineConfig(w, o.pf, o.engine, o.group),
  render: (w, o) => `echo ${o.group ?? -1} > ${deviceName(w, o.pf)}/engine${o.engine}/group_id`,
  candidates: (w, mode) => (mode === 'legal' ? probed(w).filter((p) => !p.enabled) : probed(w)),
  build: (_w, _m, c, p) => ({
    type: 'idxdEngineConfig',
    pf: p.dev,
    engine: c.int(0, p.caps.numEngines - 1),
    group: c.int(0, p.caps.numGroups - 1),
  }),
  handle: (p) => ({ pf: p.dev }),
  // engine 0 in group 0
  explore: (_w, p) => [{ type: 'idxdEngineConfig', pf: p.dev, engine: 0, group: 0 }],
});
