/*
 * models/designs/mainline.ts - what the kernel itself offers when no proposal is installed:
 * the 'kernel' design of the kernel-model campaigns (check without --design)
 *
 * 5.10 has no IMS API at all: the PF is no mdev parent and an open could not get interrupts.
 * 6.2 has the merged IMS API (no in-tree user), so it behaves as per-device-msi: a proposal on 6.2.
 * 6.12 has no IMS API any more (reverted for 6.10): as 5.10, the PF is no mdev parent.
 */
import type { Design } from './design.ts';
import { err, ok, okVoid } from '../world/outcome.ts';
import { perDeviceMsi } from './per-device-msi.ts';

export const KERNEL_DESIGN = 'kernel';

export const mainline510: Design = {
  name: KERNEL_DESIGN,
  summary: 'mainline 5.10: no IMS API, no mdev interrupts',
  description: 'Mainline 5.10 without any DEV-MSI/IMS series: idxd offers no mdevs and nothing can allocate IMS.',
  kernel: '5.10',
  assumptions: [],
  pfProbe: (w) => ok(w, false),
  pfRemove: (w) => okVoid(w),
  mdevAllocIrqs: (w) => err(w, 'EOPNOTSUPP', 'mainline 5.10 has no IMS allocation API'),
  mdevFreeIrqs: (w) => okVoid(w),
};

/** the 6.12 'kernel' design: no IMS API (reverted for 6.10), no mdev interrupts */
export const mainline612: Design = {
  ...mainline510,
  kernel: '6.12',
  summary: 'mainline 6.12: no IMS API (reverted for 6.10), no mdev interrupts',
  mdevAllocIrqs: (w) => err(w, 'EOPNOTSUPP', 'mainline 6.12 has no IMS allocation API'),
};

/** the 6.2 'kernel' design: per-device-msi under the kernel's name (models/designs/index.ts makes it once) */
export const mainline62 = (): Design => ({
  ...perDeviceMsi,
  name: KERNEL_DESIGN,
  summary: 'proposal on 6.2: the IMS API merged in 6.2 (reverted for 6.10), with idxd as its user',
});
