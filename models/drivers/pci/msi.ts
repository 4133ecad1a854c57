/*
 * models/drivers/pci/msi.ts - PCI MSI/MSI-X and PCI/IMS (drivers/pci/msi/*.c)
 *
 * 5.10: descs on the list, the device's msi_domain (VT-d INTEL-IR-MSI-<n>, or the global
 *       PCI-MSI domain), free_msi_irqs() BUGs on a still-requested vector.
 * 6.2:  a per-device MSI or MSI-X domain under dev->msi.domain (vector or IR parent), created on
 *       first enable and kept until MSI<->MSI-X switch or msi-data release; dynamic MSI-X; IMS in
 *       MSI_SECONDARY_DOMAIN (pci_create_ims_domain, 6.2-6.9).
 * Left out: MSI masking details, INTx, the sysfs msi_irqs directory.
 */
import type { CpuId, DevId, DomainId, IrqDomain, MsiDomainInfo, Virq, World } from '../../world/types.ts';
import type { FailPoint } from '../../kernel/irq/hierarchy.ts';
import { bug, err, ok, okVoid, uaf, warned, type Failure, type Outcome } from '../../world/outcome.ts';
import { irqDomainCreateNamed } from '../../kernel/irq/fwnode.ts';
import {
  addMsiListDescs,
  freeMsiListDescs,
  msiDomainAllocIrqAt,
  msiDomainAllocIrqs510,
  msiDomainAllocLocked,
  msiDomainFreeIrqs510,
  msiDomainFreeLocked,
  msiInsertDesc,
  msiRemoveDeviceIrqDomain,
  msiSetupDeviceData,
  setDeviceDomainSlot,
} from '../../kernel/irq/msi.ts';
import { allCpus, updDevice, domainName } from '../../world/world.ts';
import { hasFault, hasIms } from '../../world/profile.ts';
import { msiDomainPrepareIrqs } from '../irqchip/its.ts';
import { msiIrqsDrain } from '../../kernel/irq/msi-sysfs.ts';

export type PciIrqType = 'msi' | 'msix';

/**
 * spreadAffinity() - PCI_IRQ_AFFINITY masks: @nvec vectors spread over all possible CPUs
 * Kernel: kernel/irq/affinity.c irq_create_affinity_masks() (one node; offline CPUs included)
 */
export function spreadAffinity(nvec: number, cpus: readonly CpuId[]): CpuId[][] {
  if (nvec >= cpus.length) return Array.from({ length: nvec }, (_, i) => [cpus[i % cpus.length]!]);
  return Array.from({ length: nvec }, (_, i) => cpus.filter((_, c) => Math.floor((c * nvec) / cpus.length) === i));
}

/** the 5.10 global PCI-MSI and INTEL-IR-MSI domains (x86 pci_msi_domain_info, IR msi info) */
export const pciMsiGlobalInfo = (multi: boolean) => ({
  activateEarly: true,
  mustReactivate: true,
  allocSimpleDescs: false,
  freeDescs: false,
  multiPciMsi: multi,
  pciMsix: true,
  allocDyn: false,
  pciIms: false,
  hwsize: 0,
  chip: 'pci-msi' as const,
});

const pciMsiInfo = (chip: 'pci-msi' | 'pci-msix', hwsize: number, multi: boolean): MsiDomainInfo => ({
  activateEarly: true,
  mustReactivate: true,
  allocSimpleDescs: false,
  freeDescs: true,
  multiPciMsi: multi,
  pciMsix: chip === 'pci-msix',
  allocDyn: chip === 'pci-msix',
  pciIms: false,
  hwsize,
  chip,
});

/** the 5.10 domain PCI MSI goes through: dev->msi_domain, else the x86 default */
const domain510 = (w: World, dev: DevId): DomainId | null => w.devices[dev]!.msiDomain ?? w.defaultPciMsiDomain;

/**
 * pciAllocIrqVectors() - enable MSI or MSI-X with between @min and @max vectors
 * Returns the number of vectors. Failure leaves no interrupt behind (free_msi_irqs / the 6.2
 * range free); a 6.2 device domain created on the way stays, as in the kernel.
 * Kernel: drivers/pci/msi.c pci_alloc_irq_vectors_affinity(), __pci_enable_msi(x)_range()
 */
export function pciAllocIrqVectors(
  w: World,
  dev: DevId,
  min: number,
  max: number,
  type: PciIrqType,
  managed: boolean,
  fail: FailPoint | null,
): Outcome<number> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `pci_alloc_irq_vectors on released device #${dev}`);
  if (d.bus !== 'pci') return err(w, 'EINVAL', `${d.name} is not a PCI device`);
  if (max < min) return err(w, 'ERANGE', `maxvec ${max} < minvec ${min}`); // __pci_enable_msi(x)_range()
  if (type === 'msix' && d.msiEnabled === 'msix') {
    return w.profile.version === '5.10'
      ? err(w, 'EINVAL', `${d.name}: can't enable MSI-X (MSI-X already enabled)`)
      : warned(w, `${d.name}: WARN_ON_ONCE(dev->msix_enabled)`, 'EINVAL');
  }
  if (d.msiEnabled !== null)
    return err(w, 'EINVAL', `${d.name}: can't enable ${type} (${d.msiEnabled} already enabled)`);
  const cap = type === 'msix' ? d.msixTableSize : d.msiVectors;
  if (cap === 0) return err(w, 'EINVAL', `${d.name} has no ${type} capability`);
  if (cap < min) return err(w, 'ENOSPC', `${d.name}: ${type} table has ${cap} entries, ${min} asked`);
  const n = Math.min(max, cap);
  return w.profile.version === '5.10'
    ? enable510(w, dev, min, n, type, managed, fail)
    : enable62(w, dev, min, n, type, managed, fail);
}

function enable510(
  w: World,
  dev: DevId,
  min: number,
  n: number,
  type: PciIrqType,
  managed: boolean,
  fail: FailPoint | null,
): Outcome<number> {
  const domId = domain510(w, dev);
  if (domId === null) return err(w, 'ENOSYS', 'no PCI/MSI domain');
  const domain = w.domains[domId];
  if (!domain) return uaf(w, `${w.devices[dev]!.name}: msi_domain ${domainName(w, domId)} was freed`);
  let nvec = n;
  // pci_msi_domain_check_cap(): multi-MSI needs MSI_FLAG_MULTI_PCI_MSI (the IR domains)
  if (type === 'msi' && nvec > 1 && !domain.msiInfo?.multiPciMsi) {
    if (min > 1) return err(w, 'ENOSPC', `${domain.name} cannot do multi-MSI`);
    nvec = 1;
  }
  const masks = managed ? spreadAffinity(nvec, allCpus(w)) : null;
  const descs =
    type === 'msix'
      ? Array.from({ length: nvec }, (_, i) => ({
          nvecUsed: 1,
          msiIndex: i,
          isMsix: true,
          affinity: masks ? [masks[i]!] : null,
        }))
      : [{ nvecUsed: nvec, msiIndex: 0, isMsix: false, affinity: masks }];
  const a = addMsiListDescs(w, dev, descs, fail);
  if (a.kind !== 'ok') return a as Failure;
  const r = msiDomainAllocIrqs510(a.world, domId, dev, fail);
  if (r.kind !== 'ok') {
    if (r.kind !== 'err' && r.kind !== 'warned') return r;
    // msix_capability_init()/msi_capability_init() error path: free_msi_irqs()
    const back = freeMsiListDescs(msiDomainFreeIrqs510(r.world, dev), dev);
    return { ...r, world: back } as Failure;
  }
  return ok(
    updDevice(r.world, dev, (x) => ({ ...x, msiEnabled: type })),
    nvec,
  );
}

/** pci_setup_msi_context(): msi data devres, and for managed devices pcim_msi_release */
function pciSetupMsiContext(w: World, dev: DevId): World {
  let out = msiSetupDeviceData(w, dev);
  const d = out.devices[dev]!;
  if (d.devres.some((e) => e.kind === 'pcim-enable') && !d.devres.some((e) => e.kind === 'pcim-msi')) {
    out = updDevice(out, dev, (x) => ({ ...x, devres: [...x.devres, { kind: 'pcim-msi' }] }));
  }
  return out;
}

/**
 * pciSetupDeviceDomain() - the per-device MSI/MSI-X domain in MSI_DEFAULT_DOMAIN
 * Reuses a domain of the same kind, replaces the other kind; a non-parent dev->msi.domain means
 * the legacy global domain is used and nothing is created.
 * Kernel: drivers/pci/msi/irqdomain.c pci_setup_msi(x)_device_domain(), pci_create_device_domain()
 */
function pciSetupDeviceDomain(w: World, dev: DevId, type: PciIrqType): Outcome<void> {
  const d = w.devices[dev]!;
  const parentId = d.msiDomain;
  if (parentId === null) return okVoid(w);
  const parent = w.domains[parentId];
  if (!parent) return uaf(w, `${d.name}: dev->msi.domain ${domainName(w, parentId)} was freed`);
  if (!parent.msiParent) return okVoid(w);
  const bus = type === 'msix' ? 'PCI_DEVICE_MSIX' : 'PCI_DEVICE_MSI';
  const cur = d.msiData?.domains[0] ?? null;
  let out = w;
  if (cur !== null) {
    if (w.domains[cur]?.busToken === bus) return okVoid(w);
    const r = msiRemoveDeviceIrqDomain(out, dev, 0);
    if (r.kind !== 'ok' && r.kind !== 'warned') return r;
    out = r.world;
  }
  const its = parent.kind === 'its';
  const prefix = parent.kind === 'ir' ? 'IR-' : its ? 'ITS-' : parent.kind === 'vmd' ? 'VMD-' : ''; // msi_parent_ops prefix
  // under the ITS the domain has the maximum number of vectors (9cc82d99b13c "PCI/MSI: Size
  // device MSI domain with the maximum number of vectors"); the x86 model keeps the 6.2 size 1
  const hwsize = type === 'msix' ? d.msixTableSize : its ? Math.max(1, d.msiVectors) : 1;
  // x86_init_dev_msi_info(): the vector parent cannot do multi-MSI
  const spec: Omit<IrqDomain, 'id' | 'mapcount'> = {
    name: `${prefix}PCI-${type === 'msix' ? 'MSIX' : 'MSI'}-${d.name}`,
    kind: 'msi',
    parent: parentId,
    busToken: bus,
    msiParent: false,
    msiDevice: true,
    isolatedMsi: false,
    dev,
    unit: null,
    // B08: the Xen PCI/MSI domain info lacked MSI_FLAG_FREE_MSI_DESCS until 6c796996ee70 (Xen is
    // not modelled: the flag is dropped from the x86 per-device PCI/MSI info instead)
    msiInfo: {
      ...pciMsiInfo(type === 'msix' ? 'pci-msix' : 'pci-msi', hwsize, parent.kind === 'ir' || its),
      // its_pci_msi_domain_info / msi-lib: no reservation mode (x86 only), no dynamic MSI-X on the ITS
      ...(its ? { mustReactivate: false, allocDyn: false } : {}),
      ...(hasFault(w.profile, 'B08') ? { freeDescs: false } : {}),
    },
    creator: 'pci-core',
  };
  // msi_create_device_irq_domain(): a named fwnode per device domain
  const c = irqDomainCreateNamed(out, spec);
  out = setDeviceDomainSlot(c.w, dev, 0, c.id);
  // msi_create_device_irq_domain(): the parent's .msi_prepare() once, for hwsize (1396e89e09f0).
  // B39: before it the core prepared on every allocation instead (msiDomainAllocLocked())
  if (!hasFault(w.profile, 'B39')) out = msiDomainPrepareIrqs(out, c.id, dev, hwsize);
  return okVoid(out);
}

function enable62(
  w: World,
  dev: DevId,
  min: number,
  n: number,
  type: PciIrqType,
  managed: boolean,
  fail: FailPoint | null,
): Outcome<number> {
  let out = pciSetupMsiContext(w, dev);
  const s = pciSetupDeviceDomain(out, dev, type);
  if (s.kind !== 'ok') return s as Failure;
  out = s.world;
  const domId = out.devices[dev]!.msiData!.domains[0] ?? out.devices[dev]!.msiDomain;
  const domain = domId === null ? undefined : out.domains[domId];
  if (!domain) return err(out, 'ENODEV', 'no MSI domain');
  let nvec = n;
  if (type === 'msi' && nvec > 1 && !domain.msiInfo?.multiPciMsi) {
    if (min > 1) return err(out, 'ENOSPC', `${domain.name} cannot do multi-MSI`);
    nvec = 1;
  }
  const masks = managed ? spreadAffinity(nvec, allCpus(w)) : null;
  // msix_setup_msi_descs() / msi_setup_msi_desc(): descs first, then all of them allocated
  const descCount = type === 'msix' ? nvec : 1;
  for (let i = 0; i < descCount; i++) {
    const fieldsFor =
      type === 'msix'
        ? { nvecUsed: 1, isMsix: true, affinity: masks ? [masks[i]!] : null, icookie: null }
        : { nvecUsed: nvec, isMsix: false, affinity: masks, icookie: null };
    if (fail?.site === 'msi-desc' && fail.index === i) {
      return err(msiDomainFreeLocked(out, dev, 0, 0, 65535).world, 'ENOMEM', `injected: msi_alloc_desc #${i}`);
    }
    const r = msiInsertDesc(out, dev, 0, i, fieldsFor);
    if (r.kind !== 'ok') return r as Failure;
    out = r.world;
  }
  const r = msiDomainAllocLocked(out, dev, 0, 0, descCount - 1, fail && fail.site !== 'msi-desc' ? fail : null, null);
  if (r.kind !== 'ok') {
    if (r.kind !== 'err' && r.kind !== 'warned') return r;
    // __pci_enable_msix_range() error path: msi_domain_free_irqs_all_locked() frees descs too
    const back = msiDomainFreeLocked(r.world, dev, 0, 0, 65535).world;
    // B19: before 9eee5330656b msi_capability_init() unmasked through the desc freed just now
    if (type === 'msi' && hasFault(w.profile, 'B19'))
      return uaf(
        back,
        `msi_capability_init(${w.devices[dev]!.name}): pci_msi_unmask() through the msi_desc freed by msi_domain_free_locked()`,
      );
    return { ...r, world: back } as Failure;
  }
  return ok(
    updDevice(r.world, dev, (x) => ({ ...x, msiEnabled: type })),
    nvec,
  );
}

/**
 * pciFreeIrqVectors() - disable MSI/MSI-X and free every vector and desc
 * 5.10: BUG_ON(irq_has_action()) for each vector (free_msi_irqs). 6.2: no check, the irqaction
 * leaks silently; the device domain survives.
 * Kernel: drivers/pci/msi.c pci_free_irq_vectors(), free_msi_irqs() (5.10), pci_msi(x)_shutdown
 */
export function pciFreeIrqVectors(w: World, dev: DevId): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `pci_free_irq_vectors on released device #${dev}`);
  if (d.msiEnabled === null) return okVoid(w);
  if (w.profile.version === '5.10') {
    for (const id of d.msiList) {
      const desc = w.descs[id]!;
      for (let i = 0; i < desc.nvecUsed && desc.irq !== 0; i++) {
        if (w.irqs[desc.irq + i]?.action) return bug(w, `free_msi_irqs: BUG_ON(irq_has_action(${desc.irq + i}))`);
      }
    }
    const domId = domain510(w, dev);
    if (domId !== null && !w.domains[domId]) return uaf(w, `${d.name}: msi_domain ${domainName(w, domId)} was freed`);
    // 373545903711 "PCI/MSI: Destroy sysfs before freeing entries": msi_destroy_sysfs() (which
    // drains the msi_irqs/ readers) comes first; before it, the entries were freed first
    const late = hasFault(w.profile, 'B20');
    const drained = late ? okVoid(w) : msiIrqsDrain(w, dev);
    if (drained.kind !== 'ok') return drained;
    const freed = freeMsiListDescs(msiDomainFreeIrqs510(drained.world, dev), dev);
    const r = late ? msiIrqsDrain(freed, dev) : okVoid(freed);
    if (r.kind !== 'ok') return r;
    return okVoid(updDevice(r.world, dev, (x) => ({ ...x, msiEnabled: null })));
  }
  const r = msiDomainFreeLocked(w, dev, 0, 0, 65535);
  if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
  const out = updDevice(r.world, dev, (x) => ({ ...x, msiEnabled: null }));
  return r.kind === 'warned' ? warned(out, r.why) : okVoid(out);
}

/**
 * pciMsixAllocIrqAt() - dynamic MSI-X: one more vector at @index (or any free one)
 * Kernel: drivers/pci/msi/api.c pci_msix_alloc_irq_at() (6.2)
 */
export function pciMsixAllocIrqAt(
  w: World,
  dev: DevId,
  index: number | 'any',
  fail: FailPoint | null,
): Outcome<{ index: number; virq: Virq }> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `pci_msix_alloc_irq_at on released device #${dev}`);
  const domId = d.msiData?.domains[0] ?? null;
  const domain = domId === null ? undefined : w.domains[domId];
  if (w.profile.version === '5.10' || d.msiEnabled !== 'msix' || !domain?.msiInfo?.allocDyn) {
    return err(w, 'ENOTSUPP', `${d.name}: dynamic MSI-X not possible`);
  }
  return msiDomainAllocIrqAt(w, dev, 0, index, null, null, fail);
}

/** pci_msix_free_irq(): WARN and return on a bad map, else free that one index */
export function pciMsixFreeIrq(w: World, dev: DevId, index: number, virq: Virq): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `pci_msix_free_irq on released device #${dev}`);
  if (index < 0 || virq <= 0) return warned(w, 'pci_msix_free_irq: invalid msi_map');
  if (d.msiEnabled !== 'msix') return warned(w, `pci_msix_free_irq: ${d.name} cannot allocate dynamically`);
  // pci_msix_can_alloc_dyn(): the device domain must have MSI_FLAG_PCI_MSIX_ALLOC_DYN (not on the ITS)
  const dom = w.domains[d.msiData?.domains[0] ?? -1];
  if (dom?.msiInfo && !dom.msiInfo.allocDyn)
    return warned(w, `pci_msix_free_irq: ${d.name} cannot allocate dynamically`);
  return msiDomainFreeLocked(w, dev, 0, index, index);
}

/**
 * pciCreateImsDomain() - the IMS domain in MSI_SECONDARY_DOMAIN of the PF
 * Needs an MSI parent that accepts IMS: the VT-d IR domain on real hardware (not the vector
 * domain, not a caching-mode IOMMU). A taken slot is a WARN.
 * Kernel: drivers/pci/msi/irqdomain.c pci_create_ims_domain(), x86_init_dev_msi_info() (6.2-6.9)
 */
export function pciCreateImsDomain(w: World, dev: DevId, hwsize: number): Outcome<DomainId> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `pci_create_ims_domain on released device #${dev}`);
  if (!hasIms(w.profile))
    return err(w, 'ENOSYS', `pci_create_ims_domain exists in 6.2-6.9 only, not ${w.profile.version}`);
  if (d.bus !== 'pci' || d.msiDomain === null) return err(w, 'ENODEV', `${d.name}: no MSI parent domain`);
  const parent = w.domains[d.msiDomain];
  if (!parent) return uaf(w, `${d.name}: dev->msi.domain ${domainName(w, d.msiDomain)} was freed`);
  if (!parent.msiParent) return err(w, 'ENODEV', `${parent.name} is not an MSI parent`);
  if (parent.kind !== 'ir')
    return err(w, 'ENOTSUPP', `${parent.name} does not support PCI/IMS (needs interrupt remapping)`);
  if (w.units[parent.unit!]!.cachingMode)
    return err(w, 'ENOTSUPP', `${parent.name}: no IMS on a caching-mode (virtual) IOMMU`);
  if ((d.msiData?.domains[1] ?? null) !== null)
    return warned(w, `${d.name}: MSI_SECONDARY_DOMAIN already populated`, 'EEXIST');
  if (hwsize > 65536) return err(w, 'EINVAL', 'hwsize above 65536');
  const out = msiSetupDeviceData(w, dev);
  const c = irqDomainCreateNamed(out, {
    name: `IR-IMS-${d.name}`,
    kind: 'msi',
    parent: d.msiDomain,
    busToken: 'PCI_DEVICE_IMS',
    msiParent: false,
    msiDevice: true,
    isolatedMsi: false,
    dev,
    unit: null,
    msiInfo: {
      activateEarly: false,
      mustReactivate: false,
      allocSimpleDescs: true,
      freeDescs: true,
      multiPciMsi: false,
      pciMsix: false,
      allocDyn: false,
      pciIms: true,
      hwsize,
      chip: 'ims',
    },
    creator: 'driver',
  });
  return ok(setDeviceDomainSlot(c.w, dev, 1, c.id), c.id);
}

/**
 * pciImsAllocIrq() - one IMS interrupt for an instance (@icookie, e.g. its PASID), allocated
 * against the PF in any free slot
 * Kernel: drivers/pci/msi/api.c pci_ims_alloc_irq() (6.2-6.9)
 */
export function pciImsAllocIrq(
  w: World,
  dev: DevId,
  icookie: number,
  fail: FailPoint | null,
): Outcome<{ index: number; virq: Virq }> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `pci_ims_alloc_irq on released device #${dev}`);
  if (!hasIms(w.profile)) return err(w, 'ENOSYS', `pci_ims_alloc_irq exists in 6.2-6.9 only, not ${w.profile.version}`);
  return msiDomainAllocIrqAt(w, dev, 1, 'any', icookie, null, fail);
}

/** pci_ims_free_irq(): WARN and return on a bad map, else free that slot's interrupt and desc */
export function pciImsFreeIrq(w: World, dev: DevId, index: number, virq: Virq): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `pci_ims_free_irq on released device #${dev}`);
  if (index < 0 || virq <= 0) return warned(w, 'pci_ims_free_irq: invalid msi_map');
  return msiDomainFreeLocked(w, dev, 1, index, index);
}
