/*
 * models/ops/base/driver-probe.ts - driver_probe_device(): the generic test driver binds a device
 *   (drivers/base/dd.c)
 */
import { z } from 'zod';
import { driverProbe } from '../../drivers/base/device.ts';
import { vmdConfigOf } from '../../drivers/pci/controller/vmd.ts';
import { nat } from '../args.ts';
import { liveDevices } from '../handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'driverProbe',
  z.object({ dev: nat, managed: z.boolean(), fail: z.boolean() }),
)({
  step: (w, o) => driverProbe(w, o.dev, o.managed, o.fail),
  render: (w, o) =>
    `driver_probe_device(irqcheck-test, ${deviceName(w, o.dev)})${o.managed ? '  # pcim_enable_device()' : ''}${o.fail ? '  [probe fails]' : ''}`,
  // a DSA PF gets idxd in legal runs; the test driver binds anything only when misuse is allowed
  candidates: (w, mode) =>
    liveDevices(w).filter(
      (d) =>
        d.present &&
        d.driver === null &&
        d.bus !== 'mdev' &&
        (mode === 'any' || (!w.dsa[d.id] && !vmdConfigOf(w, d.id))),
    ),
  build: (_w, _m, c, d) => ({ type: 'driverProbe', dev: d.id, managed: c.oneIn(2), fail: c.oneIn(8) }),
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
