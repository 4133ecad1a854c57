/*
 * models/designs/helpers.ts - small building blocks the designs share, each a thing a real
 * proposal's code would do: a driver-owned IMS slot bitmap, the IR parent of a PF, the design's
 * static variables, and allocation of N vectors with all-or-nothing cleanup
 */
import type { DevId, DomainId, Virq, World } from '../world/types.ts';
import { putPf } from '../drivers/dma/idxd/device.ts';
import { setAdd, setDel } from '../world/util.ts';
import type { ImsVector } from './design.ts';

/** a design's static domain pointer (e.g. dev_msi_default_domain); undefined = NULL */
export const designDomain = (w: World, key: string): DomainId | undefined => w.designDomains[key];

export function setDesignDomain(w: World, key: string, value: DomainId | undefined): World {
  const vars = { ...w.designDomains };
  if (value === undefined) delete vars[key];
  else vars[key] = value;
  return { ...w, designDomains: vars };
}

/**
 * imsSlotGet() - the lowest free slot of the PF driver's own IMS bitmap, or null when all
 * caps.imsSize are taken
 * Kernel: RFC drivers/dma/idxd/mdev.c vidxd_setup_ims_entries(): sbitmap_get(&idxd->ims_sbmap)
 */
export function imsSlotGet(w: World, pf: DevId): { w: World; slot: number } | null {
  const p = w.dsa[pf]!;
  const used = new Set(p.driver.imsBitmap);
  let slot = 0;
  while (used.has(slot)) slot++;
  if (slot >= p.caps.imsSize) return null;
  return { w: putPf(w, { ...p, driver: { ...p.driver, imsBitmap: setAdd(p.driver.imsBitmap, slot) } }), slot };
}

/** sbitmap_clear_bit(): give a slot back to the PF driver's bitmap */
export function imsSlotPut(w: World, pf: DevId, slot: number): World {
  const p = w.dsa[pf];
  if (!p) return w;
  return putPf(w, { ...p, driver: { ...p.driver, imsBitmap: setDel(p.driver.imsBitmap, slot) } });
}

/**
 * the parent of the PF's own MSI domain: INTEL-IR-<U> of the unit covering it (5.10: the
 * parent of INTEL-IR-MSI-<U>; 6.2: dev->msi.domain is the IR domain itself), VECTOR without IR
 * Kernel: device_to_iommu(pdev)->ir_domain, as the thread proposed to derive it from the PF
 */
export function pfIrParent(w: World, pf: DevId): DomainId | null {
  const d = w.devices[pf];
  if (!d || d.msiDomain === null) return null;
  const dom = w.domains[d.msiDomain];
  if (!dom) return null;
  return dom.msiParent ? dom.id : dom.parent;
}

/** the virqs of a device's 5.10 msi_list, by msi_index */
export function msiListVirqs(w: World, dev: DevId): Virq[] {
  return w.devices[dev]!.msiList.map((id) => w.descs[id]!)
    .sort((a, b) => a.msiIndex - b.msiIndex)
    .map((x) => x.irq);
}

/** a failure re-typed for a hook with another value type (outcome.ts fail()) */
export { fail as asFailure } from '../world/outcome.ts';

/** pair each vector with a slot: for designs where the driver binds slots to vectors */
export const vectors = (slots: readonly number[], virqs: readonly Virq[]): ImsVector[] =>
  virqs.map((virq, i) => ({ slot: slots[i]!, virq }));
