/*
 * models/drivers/dma/idxd/ims-chip.ts - the idxd IMS irq_chip: write_msi_msg into the PF's IMS table
 * (RFC drivers/dma/idxd/ims.c idxd_ims_write_msg; 6.2 the template chip a PF driver passes to
 * pci_create_ims_domain())
 *
 * The message goes into the IMS entry of the slot (hwirq = slot index). The control word's
 * PASID fields are the driver's (vdcm), not the chip's.
 */
import type { DevId, MsiMsg, Virq, World } from '../../../world/types.ts';
import { arrSet } from '../../../world/util.ts';
import { levelOf } from '../../../world/world.ts';
import { putPf } from './pf.ts';

export function imsWriteMsg(w: World, pfDev: DevId, slot: number, msg: MsiMsg | null): World {
  const pf = w.dsa[pfDev];
  if (!pf || slot < 0 || slot >= pf.ims.length) return w;
  return putPf(w, { ...pf, ims: arrSet(pf.ims, slot, { ...pf.ims[slot]!, msg }) });
}

/**
 * imsPlatformWriteMsg() - the RFC's platform-MSI write_msg for an mdev: the message goes to the
 * parent PF's IMS slot that the driver bound to this vector (vidxd->ims_index[msi_index]); a
 * vector with no slot bound yet writes nowhere (the interrupt is lost)
 * Kernel: RFC v2 drivers/dma/idxd/ims.c idxd_ims_write_msg()
 */
export function imsPlatformWriteMsg(w: World, dev: DevId, msiIndex: number, msg: MsiMsg | null): World {
  const m = Object.values(w.mdevs).find((x) => x.dev === dev);
  const slot = m?.imsIndex[msiIndex];
  return m && slot !== undefined ? imsWriteMsg(w, m.pf, slot, msg) : w;
}

/** irq_write_msi_msg of an IMS domain's chip: the slot is the level's hwirq in the owning PF */
export function imsChipWriteMsg(w: World, lvl: number, virq: Virq, msg: MsiMsg | null): World {
  const l = levelOf(w, virq, lvl);
  const domain = w.domains[l.domain]!;
  return domain.dev !== null ? imsWriteMsg(w, domain.dev, l.hwirq, msg) : w;
}

/** platform-MSI write_msg: the device driver's callback for the irq's msi_desc (the RFC idxd one) */
export function imsPlatformChipWriteMsg(w: World, _lvl: number, virq: Virq, msg: MsiMsg | null): World {
  const o = w.irqs[virq]!.owner;
  const desc = o?.kind === 'msi' ? w.descs[o.desc] : undefined;
  return desc ? imsPlatformWriteMsg(w, desc.dev, desc.msiIndex, msg) : w;
}
