/*
 * models/ops/idxd/handles.ts - the DSA PFs and mdevs an admin or a guest can name
 *
 * legal: an admin and a guest using sysfs, mdev and vfio as documented (configure while
 * disabled, enable configured WQs, create mdevs on enabled mdev WQs); hardware events (a DSA
 * completing a descriptor) are always possible.
 */
import type { World } from '../../world/types.ts';
import type { DsaPf, Mdev } from '../../drivers/dma/idxd/types.ts';
import { IDXD_DRIVER } from '../../drivers/dma/idxd/idxd.ts';

export const pfs = (w: World): DsaPf[] => Object.values(w.dsa);
/** PFs idxd has probed and still holds */
export const probed = (w: World): DsaPf[] =>
  pfs(w).filter((p) => p.driver.probed && w.devices[p.dev]?.driver === IDXD_DRIVER);
export const mdevs = (w: World): Mdev[] => Object.values(w.mdevs);
