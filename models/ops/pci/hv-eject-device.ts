/*
 * models/ops/pci/hv-eject-device.ts - hv_eject_device_work(): the Hyper-V host ejects a pass-through
 *   function (drivers/pci/controller/pci-hyperv.c)
 */
import { z } from 'zod';
import { hvEjectDevice } from '../../drivers/pci/controller/pci-hyperv.ts';
import { nat } from '../args.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'hvEjectDevice',
  z.object({ dev: nat }),
)({
  step: (w, o) => hvEjectDevice(w, o.dev),
  render: (w, o) => `hv_eject_device_work(${deviceName(w, o.dev)})  # host sent PCI_EJECT`,
  // the host may eject any function still on the Hyper-V PCI bus, whatever the guest is doing
  candidates: (w) => w.platform.hvChildren.map((id) => w.devices[id]!).filter((d) => d && !d.released),
  build: (_w, _m, _c, d) => ({ type: 'hvEjectDevice', dev: d.id }),
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
