/*
 * models/drivers/dma/idxd/ims-slots.ts - who holds which IMS slot of a PF, whatever allocator a design uses
 *
 * 6.2: the indexes of the PF's MSI_SECONDARY_DOMAIN store (msi_domain_alloc_irq_at());
 * RFC driver: the PF driver's own bitmap (sbitmap_get in vidxd_setup_ims_entries());
 * 2021 IMS array: the hwirqs live in an IMS-array domain of the PF (ims_array_alloc_msi_store()).
 */
import type { DevId, World } from '../../../world/types.ts';
import { irqValues } from '../../../world/world.ts';

export function imsAllocatedSlots(w: World, pf: DevId): Set<number> {
  const slots = new Set<number>(Object.keys(w.devices[pf]?.msiData?.stores[1] ?? {}).map(Number));
  for (const s of w.dsa[pf]?.driver.imsBitmap ?? []) slots.add(s);
  const arrays = Object.values(w.domains)
    .filter((d) => d.dev === pf && d.msiInfo?.chip === 'ims-array')
    .map((d) => d.id);
  if (arrays.length)
    for (const v of irqValues(w))
      for (const l of v.levels) if (l.chip !== null && arrays.includes(l.domain)) slots.add(l.hwirq);
  return slots;
}
