/*
 * models/ops/pci/pci-alloc-irq-vectors.ts - pci_alloc_irq_vectors(): a driver enables MSI or MSI-X
 *   with min..max vectors (drivers/pci/msi)
 */
import { z } from 'zod';
import { pciAllocIrqVectors } from '../../drivers/pci/msi.ts';
import { failPoint, nat } from '../args.ts';
import { maybeFail } from '../choices.ts';
import { pci, testBound } from '../guards.ts';
import { liveDevices } from '../handles.ts';
import { deviceName, inject } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'pciAllocIrqVectors',
  z.object({ dev: nat, min: nat, max: nat, irqType: z.enum(['msi', 'msix']), affinity: z.boolean(), fail: failPoint }),
)({
  step: (w, o) => pciAllocIrqVectors(w, o.dev, o.min, o.max, o.irqType, o.affinity, o.fail),
  render: (w, o) =>
    `pci_alloc_irq_vectors(${deviceName(w, o.dev)}, ${o.min}, ${o.max}, PCI_IRQ_${o.irqType.toUpperCase()}${o.affinity ? ' | PCI_IRQ_AFFINITY' : ''})${inject(o.fail)}`,
  candidates: (w, mode) =>
    mode === 'legal' ? testBound(w).filter((d) => pci(d) && d.msiEnabled === null) : liveDevices(w).filter(pci),
  build: (_w, mode, c, d) => {
    const irqType = d.msixTableSize > 0 && (d.msiVectors === 0 || c.oneIn(2)) ? 'msix' : 'msi';
    const cap = Math.max(1, irqType === 'msix' ? d.msixTableSize : d.msiVectors);
    const max = c.int(1, cap);
    const min = mode === 'legal' ? c.int(1, max) : c.int(1, cap + 1);
    return { type: 'pciAllocIrqVectors', dev: d.id, min, max, irqType, affinity: c.oneIn(3), fail: maybeFail(c) };
  },
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
