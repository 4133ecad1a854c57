/*
 * models/ops/pci/pci-msix-free-irq.ts - pci_msix_free_irq(): 6.2 frees one dynamic MSI-X vector by its
 *   msi_map (drivers/pci/msi/api.c)
 */
import { z } from 'zod';
import { pciMsixFreeIrq } from '../../drivers/pci/msi.ts';
import { nat } from '../args.ts';
import { testBound, v62 } from '../guards.ts';
import { liveDevices, liveMaps } from '../handles.ts';
import { remember } from '../recent-frees.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'pciMsixFreeIrq',
  z.object({ dev: nat, index: z.number().int(), virq: z.number().int() }),
)({
  step: (w, o) => {
    const r = pciMsixFreeIrq(w, o.dev, o.index, o.virq);
    return r.kind === 'ok'
      ? { ...r, world: remember(r.world, { kind: 'map', dev: o.dev, domid: 0, index: o.index, virq: o.virq }) }
      : r;
  },
  render: (w, o) => `pci_msix_free_irq(${deviceName(w, o.dev)}, {index ${o.index}, virq ${o.virq}})`,
  candidates: (w, mode) => {
    // legal: only where dynamic MSI-X is possible (pci_msix_can_alloc_dyn(); not on a GIC-ITS)
    const devs =
      mode === 'any'
        ? liveDevices(w)
        : testBound(w).filter(
            (d) => d.msiEnabled === 'msix' && (w.domains[d.msiData?.domains[0] ?? -1]?.msiInfo?.allocDyn ?? true),
          );
    const live = devs.flatMap((d) =>
      liveMaps(w, d.id, 0)
        .filter((m) => mode === 'any' || !w.irqs[m.irq]?.action)
        .map((m) => ({ dev: d.id, index: m.msiIndex, virq: m.irq })),
    );
    const stale =
      mode === 'any'
        ? w.recentFrees.flatMap((f) =>
            f.kind === 'map' && f.domid === 0 ? [{ dev: f.dev, index: f.index, virq: f.virq }] : [],
          )
        : [];
    return v62(w) ? [...live, ...stale] : [];
  },
  build: (_w, _m, _c, m) => ({ type: 'pciMsixFreeIrq', ...m }),
  handle: (x) => x,
  explore: 'variants',
});
