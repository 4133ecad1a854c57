/*
 * models/drivers/dma/idxd/ims-chip.ts - the idxd IMS irq_chip: write_msi_msg into the PF's IMS table
 * (RFC drivers/dma/idxd/ims.c idxd_ims_write_msg; 6.2 the template chip a PF driver passes to
 * pci_create_ims_domain())
 *
 * The message goes into the IMS entry of the slot (hwirq = slot index). The control word's
 * PASID fields are the driver's (vdcm), not the chip's.
 */
import type { DevId, MsiMsg, World } from '../../../world/types.ts';
import { arrSet } from '../../../world/util.ts';
import { putPf } from './device.ts';

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
