// The DEV-MSI thread's variant of the RFC (Megha Dey, Aug 2020): the mdev driver points the
// mdev's msi_domain at the INTEL-IR-DEV-MSI domain of its PF's own unit, and allocates with
// plain platform_msi_domain_alloc_irqs() (dev_msi_domain_alloc_irqs() would refuse a non-default
// domain). A design file may live anywhere; the type import is erased at run time.
import type { DesignApi } from '../models/designs/api.ts';
import type { Design } from '../models/designs/design.ts';

export default (k: DesignApi): Design => ({
  ...k.designs.rfcV2DevMsi,
  name: 'rfc-thread-variant',
  summary: "(a') RFC v2 with the mdev's msi_domain set from its PF's unit",
  description:
    'As rfc-v2-dev-msi, but idxd_vdcm_create() sets mdev->msi_domain = device_to_iommu(PF)->ir_dev_msi_domain, and open allocates with platform_msi_domain_alloc_irqs(), undoing its IMS slots on failure.',
  assumptions: ['every IR unit has its INTEL-IR-DEV-MSI domain (created by the RFC IR code)'],
  mdevCreate: (w, m) => {
    const unit = k.unitForDevice(w, m.pf);
    const dom = unit === null ? undefined : k.designDomain(w, `iommu${unit}->ir_dev_msi_domain`);
    return dom === undefined ? k.err(w, 'ENODEV', 'no DEV-MSI domain for this PF') : k.devSetMsiDomain(w, m.dev, dom);
  },
  mdevAllocIrqs: (w, m, nvec, fail) => {
    const s = k.imsSlotGet(w, m.pf);
    if (!s || nvec !== 1) return k.err(w, 'ENOSPC', 'no IMS entry left');
    const a = k.platformMsiDomainAllocIrqs(s.w, m.dev, nvec, fail);
    if (a.kind !== 'ok')
      return a.kind === 'err' || a.kind === 'warned'
        ? { ...a, world: k.imsSlotPut(a.world, m.pf, s.slot) }
        : k.asFailure(a);
    return k.ok(a.world, k.vectors([s.slot], k.msiListVirqs(a.world, m.dev)));
  },
});
