/*
 * models/ops/pci/vmd-probe.ts - vmd_probe(): the VMD driver binds a controller
 *   (drivers/pci/controller/vmd.c)
 */
import { z } from 'zod';
import { vmdControllers, vmdProbe } from '../../drivers/pci/controller/vmd.ts';
import { failPoint, nat } from '../args.ts';
import { exploreFails, maybeFail } from '../choices.ts';
import { deviceName, inject } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'vmdProbe',
  z.object({ dev: nat, fail: failPoint }),
)({
  step: (w, o) => vmdProbe(w, o.dev, o.fail),
  render: (w, o) => `vmd_probe(${deviceName(w, o.dev)})${inject(o.fail)}`,
  // the VMD driver binds its controllers (a legal caller binds nothing else there)
  candidates: (w) =>
    vmdControllers(w)
      .map((id) => w.devices[id]!)
      .filter((d) => d.present && d.driver === null),
  build: (_w, _m, c, d) => ({ type: 'vmdProbe', dev: d.id, fail: maybeFail(c) }),
  handle: (d) => ({ dev: d.id }),
  explore: (_w, d) => exploreFails.map((fail) => ({ type: 'vmdProbe', dev: d.id, fail })),
});
