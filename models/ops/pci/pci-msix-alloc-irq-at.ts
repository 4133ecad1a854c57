/*
 * models/ops/pci/pci-msix-alloc-irq-at.ts - pci_msix_alloc_irq_at(): 6.2 dynamic MSI-X, one vector at
 *   an index (drivers/pci/msi/api.c)
 */
import { z } from 'zod';
import { pciMsixAllocIrqAt } from '../../drivers/pci/msi.ts';
import { failPoint, nat } from '../args.ts';
import { maybeFail } from '../choices.ts';
import { pci, testBound, v62 } from '../guards.ts';
import { liveDevices } from '../handles.ts';
import { deviceName, inject } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'pciMsixAllocIrqAt',
  z.object({ dev: nat, index: z.union([nat, z.literal('any')]), fail: failPoint }),
)({
  step: (w, o) => pciMsixAllocIrqAt(w, o.dev, o.index, o.fail),
  render: (w, o) =>
    `pci_msix_alloc_irq_at(${deviceName(w, o.dev)}, ${o.index === 'any' ? 'MSI_ANY_INDEX' : o.index}, NULL)${inject(o.fail)}`,
  candidates: (w, mode) =>
    v62(w) ? (mode === 'legal' ? testBound(w) : liveDevices(w)).filter((d) => pci(d) && d.msiEnabled === 'msix') : [],
  build: (_w, _m, c, d) => ({
    type: 'pciMsixAllocIrqAt',
    dev: d.id,
    index: c.oneIn(2) ? 'any' : c.int(0, d.msixTableSize - 1),
    fail: maybeFail(c),
  }),
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
