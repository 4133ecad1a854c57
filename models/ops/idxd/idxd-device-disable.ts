/*
 * models/ops/idxd/idxd-device-disable.ts - idxd_device_disable(): the DSA is disabled
 *   (drivers/dma/idxd/device.c)
 */
import { z } from 'zod';
import { idxdDeviceDisable } from '../../drivers/dma/idxd/device.ts';
import { nat } from '../args.ts';
import { probed } from './handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'idxdDeviceDisable',
  z.object({ pf: nat }),
)({
  step: (w, o) => idxdDeviceDisable(w, o.pf),
  render: (w, o) => `idxd_device_disable(${deviceName(w, o.pf)})`,
  candidates: (w, mode) => probed(w).filter((p) => p.enabled && (mode === 'any' || !p.wqs.some((q) => q.enabled))),
  build: (_w, _m, _c, p) => ({ type: 'idxdDeviceDisable', pf: p.dev }),
  handle: (p) => ({ pf: p.dev }),
  explore: 'variants',
});
