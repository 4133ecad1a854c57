/*
 * models/drivers/dma/idxd/types.ts - Intel DSA (idxd) hardware state and the vdcm mdevs built on it
 * (drivers/dma/idxd/registers.h, idxd.h; RFC drivers/dma/idxd/vdev.h, mdev.h)
 *
 * Modelled: capabilities, WQs/engines/groups and their configuration, device and WQ state, the
 * MSI-X permission table, interrupt handles, the IMS table (message, PASID enable, PASID) and
 * the host driver's view (which vector is requested by whom, which mdevs exist).
 * Left out: descriptors, portals, completion records, performance monitors, read buffers.
 */

// the state types are part of the world (models/world/types.ts); re-exported for the driver code
export type { DsaCaps, DsaPf, ImsEntry, Mdev, MdevId, MsixPerm, Wq, WqType } from '../../../world/types.ts';
import type { ImsEntry, MsixPerm } from '../../../world/types.ts';

export const emptyIms: ImsEntry = { msg: null, pasidEn: false, pasid: 0 };
export const zeroPerm: MsixPerm = { ignore: false, pasidEn: false, pasid: 0 };

/** IMS size from GENCAP: max_ims_mult (bits 30:25) x 256 [RFC idxd_read_caps] */
export const imsSizeFromGencap = (gencap: bigint): number => Number((gencap >> 25n) & 0x3fn) * 256;

/** guest MSI-X vectors of an mdev: 1 emulated + 1 IMS-backed [RFC VIDXD_MAX_MSIX_VECS] */
export const VIDXD_MAX_MSIX_VECS = 2;
