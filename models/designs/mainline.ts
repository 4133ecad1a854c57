/*
 * models/designs/mainline.ts - what the kernel itself offers when no proposal is installed:
 * the 'kernel' design of the kernel-model campaigns (check without --design)
 *
 * 5.10 has no IMS API at all: the PF is no mdev parent and an open could not get interrupts.
 * 6.2 has the merged per-device MSI design, so it behaves as per-device-msi.
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

/** the 6.2 'kernel' design: per-device-msi under the kernel's name (models/designs/index.ts makes it once) */
export const mainline62 = (): Design => ({
  ...perDeviceMsi,
  name: KERNEL_DESIGN,
  summary: 'mainline 6.2: the merged per-device MSI / IMS design',
});
