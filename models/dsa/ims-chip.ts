/*
 * models/dsa/ims-chip.ts - the idxd IMS irq_chip: write_msi_msg into the PF's IMS table
 * (RFC drivers/dma/idxd/ims.c idxd_ims_write_msg; 6.2 the template chip a PF driver passes to
 * pci_create_ims_domain())
 *
 * The message goes into the IMS entry of the slot (hwirq = slot index). The control word's
 * PASID fields are the driver's (vdcm), not the chip's.
 */
import type { DevId, MsiMsg, World } from '../kernel/types.ts';
import { arrSet } from '../kernel/util.ts';
import { putPf } from './device.ts';

export function imsWriteMsg(w: World, pfDev: DevId, slot: number, msg: MsiMsg | null): World {
  const pf = w.dsa[pfDev];
  if (!pf || slot < 0 || slot >= pf.ims.length) return w;
  return putPf(w, { ...pf, ims: arrSet(pf.ims, slot, { ...pf.ims[slot]!, msg }) });
}
