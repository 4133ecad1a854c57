/*
 * models/drivers/dma/idxd/types.ts - Intel DSA (idxd) hardware state and the vdcm mdevs built on it
 * (drivers/dma/idxd/registers.h, idxd.h; RFC drivers/dma/idxd/vdev.h, mdev.h)
 *
 * Modelled: capabilities, WQs/engines/groups and their configuration, device and WQ state, the
 * MSI-X permission table, interrupt handles, the IMS table (message, PASID enable, PASID) and
 * the host driver's view (which vector is requested by whom, which mdevs exist).
 * Left out: descriptors, portals, completion records, performance monitors, read buffers.
 */
import type { DevId, Virq } from '../../../world/types.ts';
import type { MsiMsg } from '../../../world/types.ts';

export type MdevId = number;

/** GENCAP/WQCAP/GRPCAP/ENGCAP as the model uses them */
export interface DsaCaps {
  readonly gencap: bigint; // raw GENCAP (max_ims_mult in bits 30:25)
  readonly imsSize: number; // max_ims_mult * 256 (a small configuration sets it directly)
  readonly numWqs: number;
  readonly numEngines: number;
  readonly numGroups: number;
  readonly totalWqSize: number;
  readonly sharedWq: boolean; // WQCAP shared mode support (needs PASID)
  readonly pasid: boolean; // PASID / SVA capable
  readonly intHandleReq: boolean; // CMDCAP REQUEST_INT_HANDLE
}

export type WqType = 'none' | 'kernel' | 'user' | 'mdev';

export interface Wq {
  readonly id: number;
  readonly size: number;
  readonly mode: 'dedicated' | 'shared';
  readonly type: WqType;
  readonly group: number | null;
  readonly enabled: boolean;
  /** 5.17+: the MSI-X vector this kernel WQ requested (index id + 1), or null */
  readonly irqRequested: boolean;
  /** mdevs using this WQ (a dedicated WQ backs one mdev) */
  readonly mdevRefs: number;
}

/** union msix_perm: per MSI-X entry */
export interface MsixPerm {
  readonly ignore: boolean;
  readonly pasidEn: boolean;
  readonly pasid: number;
}

/** one 16-byte IMS entry: message (addr/data) and control (mask, PASID enable, PASID) */
export interface ImsEntry {
  readonly msg: MsiMsg | null; // null = zero message
  readonly pasidEn: boolean;
  readonly pasid: number;
}

export interface DsaPf {
  readonly dev: DevId;
  readonly caps: DsaCaps;
  readonly enabled: boolean; // GENSTS state
  readonly wqs: readonly Wq[];
  readonly engineGroups: readonly (number | null)[]; // engine -> group
  readonly msixPerm: readonly MsixPerm[];
  /** interrupt handles per MSI-X vector (REQUEST_INT_HANDLE), null = none */
  readonly intHandles: readonly (number | null)[];
  readonly ims: readonly ImsEntry[];
  /** the system PASID the driver programs into the MSI-X permission table */
  readonly systemPasid: number;
  /** host driver state: probed, its MSI-X virqs by vector index, mdev parent registered */
  readonly driver: {
    readonly probed: boolean;
    readonly vectors: readonly Virq[]; // index -> virq (empty when not allocated)
    readonly mdevParent: boolean;
    /** IMS slots the driver handed out itself (RFC: the PF's sbitmap), for designs whose IRQ
     * domain does not own the slots; freed with the driver's data at remove */
    readonly imsBitmap: readonly number[];
  };
}

/** vdcm_idxd: one mediated device on a PF (RFC; never merged) */
export interface Mdev {
  readonly id: MdevId;
  readonly pf: DevId;
  /** the mdev's struct device (parent = the PF's) */
  readonly dev: DevId;
  readonly wq: number;
  readonly pasid: number;
  readonly open: boolean;
  /** host IMS slot per guest vector i >= 1 (index 0 unused: vector 0 is emulated) */
  readonly imsIndex: readonly number[];
  /** the host virq behind each IMS-backed guest vector */
  readonly irqs: readonly Virq[];
}

export const emptyIms: ImsEntry = { msg: null, pasidEn: false, pasid: 0 };
export const zeroPerm: MsixPerm = { ignore: false, pasidEn: false, pasid: 0 };

/** IMS size from GENCAP: max_ims_mult (bits 30:25) x 256 [RFC idxd_read_caps] */
export const imsSizeFromGencap = (gencap: bigint): number => Number((gencap >> 25n) & 0x3fn) * 256;

/** guest MSI-X vectors of an mdev: 1 emulated + 1 IMS-backed [RFC VIDXD_MAX_MSIX_VECS] */
export const VIDXD_MAX_MSIX_VECS = 2;
