/*
 * models/ops/pci/pci-ims-free-irq.ts - pci_ims_free_irq(): 6.2 frees one IMS interrupt by its msi_map
 *   (drivers/pci/msi/api.c)
 */
import { z } from 'zod';
import { pciImsFreeIrq } from '../../drivers/pci/msi.ts';
import { nat } from '../args.ts';
import { testBound } from '../guards.ts';
import { liveDevices, liveMaps } from '../handles.ts';
import { remember } from '../recent-frees.ts';
import { deviceName } from '../render.ts';
import { defineOp } from '../op.ts';

export default defineOp(
  'pciImsFreeIrq',
  z.object({ dev: nat, index: z.number().int(), virq: z.number().int() }),
)({
  step: (w, o) => {
    const r = pciImsFreeIrq(w, o.dev, o.index, o.virq);
    return r.kind === 'ok'
      ? { ...r, world: remember(r.world, { kind: 'map', dev: o.dev, domid: 1, index: o.index, virq: o.virq }) }
      : r;
  },
  render: (w, o) => `pci_ims_free_irq(${deviceName(w, o.dev)}, {index ${o.index}, virq ${o.virq}})`,
  candidates: (w, mode) => {
    const devs = mode === 'any' ? liveDevices(w) : testBound(w);
    const live = devs.flatMap((d) =>
      liveMaps(w, d.id, 1)
        .filter((m) => mode === 'any' || !w.irqs[m.irq]?.action)
        .map((m) => ({ dev: d.id, index: m.msiIndex, virq: m.irq })),
    );
    const stale =
      mode === 'any'
        ? w.recentFrees.flatMap((f) =>
            f.kind === 'map' && f.domid === 1 ? [{ dev: f.dev, index: f.index, virq: f.virq }] : [],
          )
        : [];
    return [...live, ...stale];
  },
  build: (_w, _m, _c, m) => ({ type: 'pciImsFreeIrq', ...m }),
  handle: (x) => x,
  explore: 'variants',
});
