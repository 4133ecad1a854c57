/*
 * models/ops/pci/pci-ims-alloc-irq.ts - pci_ims_alloc_irq(): 6.2 one IMS interrupt with the driver's
 *   cookie (drivers/pci/msi/api.c)
 */
import { z } from 'zod';
import { pciImsAllocIrq } from '../../drivers/pci/msi.ts';
import { failPoint, nat } from '../args.ts';
import { maybeFail } from '../choices.ts';
import { testBound, v62 } from '../guards.ts';
import { liveDevices } from '../handles.ts';
import { deviceName, inject } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'pciImsAllocIrq',
  z.object({ dev: nat, icookie: nat, fail: failPoint }),
)({
  step: (w, o) => pciImsAllocIrq(w, o.dev, o.icookie, o.fail),
  render: (w, o) => `pci_ims_alloc_irq(${deviceName(w, o.dev)}, &icookie=${o.icookie}, NULL)${inject(o.fail)}`,
  candidates: (w, mode) =>
    v62(w)
      ? (mode === 'legal' ? testBound(w) : liveDevices(w)).filter((d) => (d.msiData?.domains[1] ?? null) !== null)
      : [],
  build: (_w, _m, c, d) => ({ type: 'pciImsAllocIrq', dev: d.id, icookie: c.int(1, 3), fail: maybeFail(c) }),
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
