/*
 * models/ops/idxd/idxd-probe.ts - idxd_pci_probe(): the idxd driver binds a DSA PF
 *   (drivers/dma/idxd/init.c)
 */
import { z } from 'zod';
import { idxdProbe } from '../../drivers/dma/idxd/idxd.ts';
import { failPoint, nat } from '../args.ts';
import { exploreFails, maybeFail } from '../choices.ts';
import { pfs } from './handles.ts';
import { deviceName, inject } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'idxdProbe',
  z.object({ pf: nat, fail: failPoint }),
)({
  step: (w, o) => idxdProbe(w, o.pf, o.fail),
  render: (w, o) => `idxd_pci_probe(${deviceName(w, o.pf)})${inject(o.fail)}`,
  candidates: (w) =>
    pfs(w).filter((p) => w.devices[p.dev]?.present && !w.devices[p.dev]!.released && w.devices[p.dev]!.driver === null),
  build: (_w, _m, c, p) => ({ type: 'idxdProbe', pf: p.dev, fail: maybeFail(c) }),
  handle: (p) => ({ pf: p.dev }),
  explore: (_w, p) => exploreFails.map((fail) => ({ type: 'idxdProbe', pf: p.dev, fail })),
});
