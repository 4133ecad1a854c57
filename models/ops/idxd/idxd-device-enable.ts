/*
 * models/ops/idxd/idxd-device-enable.ts - idxd_device_enable(): the DSA is enabled
 *   (drivers/dma/idxd/device.c)
 */
import { z } from 'zod';
import { idxdDeviceEnable } from '../../drivers/dma/idxd/device.ts';
import { nat } from '../args.ts';
import { probed } from './handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'idxdDeviceEnable',
  z.object({ pf: nat }),
)({
  step: (w, o) => idxdDeviceEnable(w, o.pf),
  render: (w, o) => `idxd_device_enable(${deviceName(w, o.pf)})`,
  candidates: (w) => probed(w).filter((p) => !p.enabled),
  build: (_w, _m, _c, p) => ({ type: 'idxdDeviceEnable', pf: p.dev }),
  handle: (p) => ({ pf: p.dev }),
  explore: 'variants',
});
