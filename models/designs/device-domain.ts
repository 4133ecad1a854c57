/*
 * models/designs/device-domain.ts - option (c): one device-MSI/IMS domain per PF, created by the
 * PF driver with an explicit parent (spec 3.3 (c))
 *
 * As realised in the 2021 IMS series: pci_ims_array_create_msi_irq_domain(pdev, {max_slots})
 * -> pci_subdevice_msi_create_irq_domain(), a DEVICE_MSI domain named after the PF whose parent
 * is the parent of the PF's MSI domain (INTEL-IR-<U>, or VECTOR without IR); refused on a
 * virtual (caching-mode) IOMMU. The domain owns the IMS slot bitmap: hwirq = slot. Every mdev
 * gets dev_set_msi_domain(mdev, ims_domain) and allocates against its own device (descs on the
 * mdev, alloc type DEV_MSI from the x86 default msi_prepare). The PF driver removes the domain
 * in its remove() after mdev_unregister_device().
 * Kernel: "[Patch V2 12/13] irqchip: Add IMS driver" (Megha Dey, 2021) drivers/irqchip/irq-ims-msi.c,
 * drivers/base/platform-msi.c pci_subdevice_msi_create_irq_domain(), device_msi_create_irq_domain()
 */
import type { Design } from './design.ts';
import type { DevId, DomainId, World } from '../world/types.ts';
import { irqDomainCreateHierarchy, irqDomainRemove } from '../kernel/irq/irqdomain.ts';
import { devSetMsiDomain } from '../drivers/base/device.ts';
import { addMsiListDescs, freeMsiListDescs, msiDomainAllocIrqs510, msiDomainFreeIrqs510 } from '../kernel/irq/msi.ts';
import { err, ok, okVoid, type Outcome } from '../world/outcome.ts';
import { asFailure, designDomain, pfIrParent, setDesignDomain } from './helpers.ts';

const imsDomainOf = (pf: DevId) => `idxd${pf}->ims_domain`;

/** pci_ims_array_create_msi_irq_domain(): the PF's IMS array domain under its MSI parent */
export function pciImsArrayCreateMsiIrqDomain(w: World, pf: DevId, slots: number): Outcome<DomainId> {
  const parent = pfIrParent(w, pf);
  if (parent === null) return err(w, 'ENODEV', `${w.devices[pf]!.name} has no MSI domain`);
  const p = w.domains[parent]!;
  // "platform-msi: Add platform check for subdevice irq domain": bare metal only
  if (p.kind === 'ir' && w.units[p.unit!]!.cachingMode)
    return err(w, 'ENOTSUPP', 'IMS is not supported on a virtual IOMMU');
  const c = irqDomainCreateHierarchy(w, {
    name: `IMS-${w.devices[pf]!.name}`,
    kind: 'msi',
    parent,
    busToken: 'DEVICE_MSI',
    msiParent: false,
    msiDevice: false,
    isolatedMsi: false,
    dev: pf,
    unit: null,
    msiInfo: {
      activateEarly: false,
      mustReactivate: false,
      allocSimpleDescs: false,
      freeDescs: false,
      multiPciMsi: false,
      pciMsix: false,
      allocDyn: false,
      pciIms: true,
      hwsize: slots,
      chip: 'ims-array',
    },
    creator: 'driver',
  });
  return ok(c.w, c.id);
}

export const deviceDomain: Design = {
  name: 'device-domain',
  summary: '(c) one IMS-array device-MSI domain per PF with an explicit parent, owned by the PF driver',
  description:
    'The PF driver creates one device-MSI domain per PF at probe (pci_ims_array_create_msi_irq_domain(), the 2021 ' +
    "IMS series): bus DEVICE_MSI, parent = the parent of the PF's MSI domain (INTEL-IR-<U> of the PF's unit, or " +
    'VECTOR without remapping), refused on a virtual IOMMU. The domain owns the IMS slots (hwirq = slot). Each mdev ' +
    'gets dev_set_msi_domain(mdev, ims_domain) at creation and allocates against its own device, so the msi_descs ' +
    'live on the mdev and the x86 alloc type is DEV_MSI. The PF driver removes the domain in remove() after all ' +
    "mdevs are unregistered. One shared domain caps all mdevs of a PF at the PF's IMS size (Jason's objection; " +
    'harmless for DSA, which has one table).',
  kernel: '5.10',
  features: ['dev-msi-alloc-type'],
  assumptions: ['the PF driver unregisters every mdev before it removes the domain (idxd remove order)'],
  pfProbe: (w, pf) => {
    const r = pciImsArrayCreateMsiIrqDomain(w, pf, w.dsa[pf]!.caps.imsSize);
    if (r.kind === 'err') return ok(w, false);
    if (r.kind !== 'ok') return asFailure(r);
    return ok(setDesignDomain(r.world, imsDomainOf(pf), r.value), true);
  },
  pfRemove: (w, pf) => {
    const dom = designDomain(w, imsDomainOf(pf));
    if (dom === undefined) return okVoid(w);
    return irqDomainRemove(setDesignDomain(w, imsDomainOf(pf), undefined), dom);
  },
  mdevCreate: (w, m) => {
    const dom = designDomain(w, imsDomainOf(m.pf));
    if (dom === undefined) return err(w, 'ENODEV', 'no IMS domain on the PF');
    return devSetMsiDomain(w, m.dev, dom);
  },
  mdevAllocIrqs: (w, m, nvec, fail) => {
    const dom = w.devices[m.dev]!.msiDomain!;
    const descs = Array.from({ length: nvec }, (_, i) => ({ nvecUsed: 1, msiIndex: i, isMsix: false, affinity: null }));
    const d = addMsiListDescs(w, m.dev, descs, fail);
    if (d.kind !== 'ok') return err(w, 'ENOMEM', 'msi_desc allocation failed');
    const a = msiDomainAllocIrqs510(d.world, dom, m.dev, fail);
    if (a.kind === 'err' || a.kind === 'warned')
      return { ...a, world: freeMsiListDescs(msiDomainFreeIrqs510(a.world, m.dev), m.dev) };
    if (a.kind !== 'ok') return asFailure(a);
    // the slot of each vector is the hwirq its IMS-array level got
    const got = a.world.devices[m.dev]!.msiList.map((id) => a.world.descs[id]!);
    return ok(
      a.world,
      got.map((desc) => ({ slot: a.world.irqs[desc.irq]!.levels[0]!.hwirq, virq: desc.irq })),
    );
  },
  mdevFreeIrqs: (w, m) => okVoid(freeMsiListDescs(msiDomainFreeIrqs510(w, m.dev), m.dev)),
};
