/*
 * models/drivers/dma/idxd/pf.ts - read and write a DSA PF's state in the world (struct idxd_device)
 *
 * Kept apart from device.ts (the PF as hardware) so that the driver (idxd.ts), vdcm and the IMS
 * chip can reach the PF without importing the hardware model, which calls back into the driver.
 */
import type { DevId, DsaPf, World, Wq } from '../../../world/types.ts';
import { arrSet, recPut } from '../../../world/util.ts';

export const pfOf = (w: World, dev: DevId): DsaPf | undefined => w.dsa[dev];
export const putPf = (w: World, pf: DsaPf): World => ({ ...w, dsa: recPut(w.dsa, pf.dev, pf) });
export const putWq = (w: World, pf: DsaPf, wq: Wq): World => putPf(w, { ...pf, wqs: arrSet(pf.wqs, wq.id, wq) });
