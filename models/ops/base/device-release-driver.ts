/*
 * models/ops/base/device-release-driver.ts - device_release_driver(): a device is unbound, devres
 *   released (drivers/base/dd.c)
 */
import { z } from 'zod';
import { TEST_DRIVER, deviceReleaseDriver } from '../../drivers/base/device.ts';
import { IDXD_DRIVER } from '../../drivers/dma/idxd/idxd.ts';
import { VMD_DRIVER } from '../../drivers/pci/controller/vmd.ts';
import type { Device, World } from '../../world/types.ts';
import { nat } from '../args.ts';
import { canUnbindCleanly } from '../guards.ts';
import { boundDevices, deviceVirqs } from '../handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

/**
 * the legal-caller guard of a VMD unbind: vmd_remove() deletes every child device, so each must
 * be unbound without anything left, or held by the test driver in a state it can unbind from
 */
function vmdCanRemove(w: World, d: Device): boolean {
  for (const c of w.platform.vmd[d.id]?.children ?? []) {
    const cd = w.devices[c];
    if (!cd || cd.released || !cd.present) continue;
    if (
      cd.driver === null
        ? cd.msiEnabled !== null || deviceVirqs(w, c).length > 0
        : cd.driver !== TEST_DRIVER || !canUnbindCleanly(w, cd)
    )
      return false;
  }
  return true;
}

export default defineOp(
  'deviceReleaseDriver',
  z.object({ dev: nat }),
)({
  step: (w, o) => deviceReleaseDriver(w, o.dev),
  render: (w, o) => `device_release_driver(${deviceName(w, o.dev)})`,
  // idxd's remove() tears everything down itself; the test driver relies on the caller
  candidates: (w, mode) =>
    boundDevices(w).filter(
      (d) =>
        d.bus !== 'mdev' &&
        (mode === 'any' ||
          d.driver === IDXD_DRIVER ||
          (d.driver === TEST_DRIVER && canUnbindCleanly(w, d)) ||
          (d.driver === VMD_DRIVER && vmdCanRemove(w, d))),
    ),
  build: (_w, _m, _c, d) => ({ type: 'deviceReleaseDriver', dev: d.id }),
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
