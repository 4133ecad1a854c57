/*
 * models/designs/rfc-v2-dev-msi.ts - option (a): the RFC v2 DEV-MSI series (spec 2.8, 3.3 (a))
 *
 * The IR driver creates an INTEL-IR-DEV-MSI platform-MSI domain per unit; the first becomes the
 * global dev_msi_default_domain (a global DEV-MSI under VECTOR only if no IR unit came up).
 * Nothing removes them. The vdcm driver leaves the mdev's msi_domain NULL and allocates with
 * dev_msi_domain_alloc_irqs(), which fills in the global default whatever the PF's unit is. IMS
 * slots come from the PF driver's own bitmap, bound after the irq allocation; the x86 alloc type
 * is DEV_MSI, so the IRTE verifies no source-id.
 * Kernel: RFC v2 02/18 "irq/dev-msi: Add support for a new DEV_MSI irq domain", 03/18,
 * 04/18 dev_msi_domain_alloc_irqs(); RFC drivers/dma/idxd/mdev.c vidxd_setup_ims_entries() (v3)
 */
import type { Design } from './design.ts';
import type { DevId, World } from '../world/types.ts';
import {
  platformMsiCreateIrqDomain,
  platformMsiDomainAllocIrqs,
  platformMsiDomainFreeIrqs,
} from '../drivers/base/platform-msi.ts';
import { devSetMsiDomain } from '../drivers/base/device.ts';
import { err, ok, okVoid, warned, type Outcome } from '../world/outcome.ts';
import { putDomain } from '../world/world.ts';
import { asFailure, designDomain, imsSlotGet, imsSlotPut, msiListVirqs, setDesignDomain, vectors } from './helpers.ts';

const DEFAULT = 'dev_msi_default_domain';
const perUnit = (unit: number) => `iommu${unit}->ir_dev_msi_domain`;

/** a platform-MSI domain the kernel itself creates (and, here, never removes) */
function createDevMsiDomain(w: World, parent: number, name: string): { w: World; id: number } {
  const c = platformMsiCreateIrqDomain(w, parent, name);
  return { w: putDomain(c.w, { ...c.w.domains[c.id]!, creator: 'boot' }), id: c.id };
}

/**
 * dev_msi_domain_alloc_irqs(): a NULL dev->msi_domain becomes the global default (topology is
 * not looked at); any other domain is a WARN and -ENXIO; then platform_msi_domain_alloc_irqs()
 */
function devMsiDomainAllocIrqs(
  w: World,
  dev: DevId,
  nvec: number,
  fail: Parameters<Design['mdevAllocIrqs']>[3],
): Outcome<void> {
  const def = designDomain(w, DEFAULT);
  const d = w.devices[dev]!;
  let out = w;
  if (d.msiDomain === null) {
    if (def === undefined) return err(w, 'ENXIO', 'no DEV-MSI default domain');
    out = devSetMsiDomain(out, dev, def).world;
  } else if (d.msiDomain !== def) {
    return warned(w, `dev_msi_domain_alloc_irqs: ${d.name} has a non-default msi_domain`, 'ENXIO');
  }
  return platformMsiDomainAllocIrqs(out, dev, nvec, fail);
}

export const rfcV2DevMsi: Design = {
  name: 'rfc-v2-dev-msi',
  summary: '(a) RFC v2: per-unit INTEL-IR-DEV-MSI domains, global default fallback, driver-owned IMS slots',
  description:
    'The August 2020 RFC v2 as posted. intel_setup_irq_remapping() creates an INTEL-IR-DEV-MSI platform-MSI ' +
    'domain on every IR unit (also on hot-add); the first one becomes the global dev_msi_default_domain; ' +
    'intel_teardown_irq_remapping() is not extended, so they are never removed. The vdcm driver does not set the ' +
    "mdev's msi_domain: dev_msi_domain_alloc_irqs() sets it to the global default, ignoring which unit covers " +
    'the PF. The msi_descs live on the mdev (platform-MSI, one devid per mdev); the alloc type is DEV_MSI, so the ' +
    "IRTE has no source-id check. IMS slots come from the PF driver's sbitmap, bound to each vector after the " +
    'irq allocation (before request_irq writes the message); as in the v3 driver, a failed allocation is cleaned ' +
    'up but 0 is returned.',
  kernel: '5.10',
  features: ['dev-msi-alloc-type'],
  assumptions: [
    'the vdcm driver leaves mdev->msi_domain NULL (the thread variant that sets it per unit is a separate design)',
    'IMS capacity is checked with atomic_add_unless(num_allocated_ims, n, ims_size); with one vector per mdev the sbitmap is the counter',
  ],
  irUnitAdded: (w, unit) => {
    const ir = w.units[unit]!.irDomain!;
    const c = createDevMsiDomain(w, ir, `INTEL-IR-DEV-MSI-${unit}`);
    let out = setDesignDomain(c.w, perUnit(unit), c.id);
    // the first unit's domain becomes the global default
    if (designDomain(out, DEFAULT) === undefined) out = setDesignDomain(out, DEFAULT, c.id);
    return out;
  },
  boot: (w) => {
    if (designDomain(w, DEFAULT) !== undefined) return w;
    // dev_msi initcall: the global DEV-MSI domain under the vector domain (no IR unit came up)
    const c = createDevMsiDomain(w, w.vectorDomain, 'DEV-MSI');
    return setDesignDomain(c.w, DEFAULT, c.id);
  },
  pfProbe: (w) => ok(w, true),
  pfRemove: (w) => okVoid(w),
  mdevAllocIrqs: (w, m, nvec, fail) => {
    if (w.dsa[m.pf]!.driver.imsBitmap.length >= w.dsa[m.pf]!.caps.imsSize)
      return err(w, 'ENOSPC', 'no IMS entries left');
    const a = devMsiDomainAllocIrqs(w, m.dev, nvec, fail);
    // v3: the error path frees what was allocated, but the function still returns 0
    if (a.kind === 'err' || a.kind === 'warned') return ok(a.world, []);
    if (a.kind !== 'ok') return asFailure(a);
    let out = a.world;
    const slots: number[] = [];
    for (let i = 0; i < nvec; i++) {
      const s = imsSlotGet(out, m.pf);
      if (!s) {
        for (const slot of slots) out = imsSlotPut(out, m.pf, slot);
        return ok(platformMsiDomainFreeIrqs(out, m.dev).world, []);
      }
      out = s.w;
      slots.push(s.slot);
    }
    return ok(out, vectors(slots, msiListVirqs(out, m.dev)));
  },
  mdevFreeIrqs: (w, m) => {
    let out = w;
    for (const slot of m.imsIndex) out = imsSlotPut(out, m.pf, slot);
    // dev_msi_domain_free_irqs(): WARNs on a foreign domain but frees anyway
    return platformMsiDomainFreeIrqs(out, m.dev);
  },
};
