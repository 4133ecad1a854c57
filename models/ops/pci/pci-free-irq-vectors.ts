/*
 * models/ops/pci/pci-free-irq-vectors.ts - pci_free_irq_vectors(): a driver frees all its MSI/MSI-X
 *   vectors (drivers/pci/msi)
 */
import { z } from 'zod';
import { pciFreeIrqVectors } from '../../drivers/pci/msi.ts';
import { nat } from '../args.ts';
import { pci, testBound } from '../guards.ts';
import { deviceVirqs, liveDevices } from '../handles.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'pciFreeIrqVectors',
  z.object({ dev: nat }),
)({
  step: (w, o) => pciFreeIrqVectors(w, o.dev),
  render: (w, o) => `pci_free_irq_vectors(${deviceName(w, o.dev)})`,
  candidates: (w, mode) =>
    mode === 'legal'
      ? testBound(w).filter(
          (d) =>
            pci(d) &&
            d.msiEnabled !== null &&
            !deviceVirqs(w, d.id).some(
              (v) => v.action && (v.owner?.kind !== 'msi' || w.descs[v.owner.desc]?.domid === 0),
            ),
        )
      : liveDevices(w).filter((d) => pci(d)),
  build: (_w, _m, _c, d) => ({ type: 'pciFreeIrqVectors', dev: d.id }),
  handle: (d) => ({ dev: d.id }),
  explore: 'variants',
});
