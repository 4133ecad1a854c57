/*
 * models/designs/per-device-msi.ts - option (d): the merged 6.2 design (spec 3.3 (d))
 *
 * The PF driver creates an IMS domain in the PF's MSI_SECONDARY_DOMAIN slot with
 * pci_create_ims_domain(); mdevs have no MSI domain of their own. Each guest vector is
 * pci_ims_alloc_irq(pdev, icookie = the mdev's PASID) on the PF: the core allocates and frees
 * the msi_desc (index = IMS slot), the PF driver keeps the msi_map per instance. The IRTE's
 * source-id is the PF's (alloc type PCI_MSIX, desc->dev = PF). The domain goes with the PF's MSI
 * device data (devres) when the driver unbinds.
 * Kernel: drivers/pci/msi/irqdomain.c pci_create_ims_domain(), drivers/pci/msi/api.c
 * pci_ims_alloc_irq()/pci_ims_free_irq() (6.2-6.9); tglx's "genirq, PCI/MSI: Support for per
 * device MSI and PCI/IMS" series (2022)
 */
import type { Design, ImsVector } from './design.ts';
import { pciCreateImsDomain, pciImsAllocIrq, pciImsFreeIrq } from '../drivers/pci/msi.ts';
import { ok, okVoid, warned, type Outcome } from '../world/outcome.ts';
import { asFailure } from './helpers.ts';

export const perDeviceMsi: Design = {
  name: 'per-device-msi',
  summary: '(d) 6.2: pci_create_ims_domain() on the PF, interrupts allocated on the PF per mdev',
  description:
    'The merged 6.2 design. The PF driver creates one IMS domain per PF with pci_create_ims_domain() ' +
    "(secondary MSI domain of the PF, parent = the PF's MSI parent, i.e. INTEL-IR-<U>; refused without " +
    'interrupt remapping and on caching-mode IOMMUs, in which case mdev support stays off). The mdev has no ' +
    "MSI domain: each guest vector is pci_ims_alloc_irq() on the PF with the mdev's PASID as icookie, so the " +
    "msi_desc lives in the PF's xarray (index = IMS slot) and is owned and freed by the MSI core; the IRTE " +
    "verifies the PF's requester id. The domain is removed with the PF's MSI device data when the driver " +
    'unbinds, after the driver has freed every instance.',
  kernel: '6.2',
  assumptions: [
    'the platform has interrupt remapping on bare metal (no IMS otherwise)',
    'isolation between mdevs of one PF rests on the IMS PASID filter, which the common vdcm code sets',
  ],
  pfProbe: (w, pf) => {
    const r = pciCreateImsDomain(w, pf, w.dsa[pf]!.caps.imsSize);
    if (r.kind === 'ok') return ok(r.world, true);
    // no IR or a virtual IOMMU: the PF works, mdevs are not offered
    if (r.kind === 'err') return ok(w, false);
    return asFailure(r);
  },
  pfRemove: (w) => okVoid(w),
  mdevAllocIrqs: (w, m, nvec, fail) => {
    let out = w;
    const got: ImsVector[] = [];
    for (let i = 0; i < nvec; i++) {
      const a = pciImsAllocIrq(out, m.pf, m.pasid, fail);
      if (a.kind !== 'ok') {
        if (a.kind !== 'err' && a.kind !== 'warned') return a;
        for (const v of got) out = pciImsFreeIrq(out, m.pf, v.slot, v.virq).world;
        return { ...a, world: out };
      }
      out = a.world;
      got.push({ slot: a.value.index, virq: a.value.virq });
    }
    return ok(out, got);
  },
  mdevFreeIrqs: (w, m) => {
    let out = w;
    const warnings: string[] = [];
    for (const [i, virq] of m.irqs.entries()) {
      const r: Outcome<void> = pciImsFreeIrq(out, m.pf, m.imsIndex[i]!, virq);
      if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
      if (r.kind === 'warned') warnings.push(r.why);
      out = r.world;
    }
    return warnings.length ? warned(out, warnings.join('; ')) : okVoid(out);
  },
};
