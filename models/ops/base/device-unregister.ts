/*
 * models/ops/base/device-unregister.ts - device_unregister(): a device goes away (drivers/base/core.c)
 */
import { z } from 'zod';
import { deviceUnregister } from '../../drivers/base/device.ts';
import { nat } from '../args.ts';
import { liveDevices } from '../handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'deviceUnregister',
  z.object({ dev: nat }),
)({
  step: (w, o) => deviceUnregister(w, o.dev),
  render: (w, o) => `device_unregister(${deviceName(w, o.dev)})`,
  candidates: (w, mode) =>
    liveDevices(w).filter(
      (d) =>
        d.present &&
        (mode === 'any' || d.bus !== 'mdev') &&
        (mode === 'any' ||
          (d.driver === null &&
            d.msiEnabled === null &&
            d.msiList.length === 0 &&
            !d.msiData &&
            !Object.values(w.domains).some((x) => x.dev === d.id))),
    ),
  build: (_w, _m, _c, d) => ({ type: 'deviceUnregister', dev: d.id }),
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
