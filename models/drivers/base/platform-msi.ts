/*
 * models/drivers/base/platform-msi.ts - platform-MSI (drivers/base/platform-msi.c)
 *
 * A device whose msi_domain is a PLATFORM_MSI domain gets one allocation of up to 2048 MSIs with
 * a devid from a global IDA ("Greed": a second allocation is -EBUSY until everything is freed).
 * On x86 no such domain exists at boot; a caller (or a design) creates one.
 */
import type { DevId, DomainId, World } from '../../world/types.ts';
import type { FailPoint } from '../../kernel/irq/hierarchy.ts';
import { err, okVoid, uaf, type Failure, type Outcome } from '../../world/outcome.ts';
import { irqDomainCreateHierarchy, type CreateOpts } from '../../kernel/irq/irqdomain.ts';
import {
  addMsiListDescs,
  freeMsiListDescs,
  msiDomainAllocIrqs510,
  msiDomainAllocLocked,
  msiDomainFreeIrqs510,
  msiDomainFreeLocked,
  msiSetupDeviceData,
} from '../../kernel/irq/msi.ts';
import { hasQuirk } from '../../world/profile.ts';
import { updDevice, domainName } from '../../world/world.ts';
import { setAdd, setDel } from '../../world/util.ts';

export const MAX_DEV_MSIS = 2048;

/**
 * platformMsiCreateIrqDomain() - an MSI domain with bus token PLATFORM_MSI under @parent
 * The parent pointer is stored unchecked (a freed parent is found only when used).
 * Kernel: drivers/base/platform-msi.c platform_msi_create_irq_domain()
 */
export function platformMsiCreateIrqDomain(
  w: World,
  parent: DomainId,
  name: string,
  opts: CreateOpts = {},
): { w: World; id: DomainId } {
  return irqDomainCreateHierarchy(
    w,
    {
      name,
      kind: 'msi',
      parent,
      busToken: 'PLATFORM_MSI',
      msiParent: false,
      msiDevice: false,
      isolatedMsi: false,
      dev: null,
      unit: null,
      msiInfo: {
        activateEarly: false,
        mustReactivate: false,
        // 6.2: the core owns the descs of platform-MSI domains
        allocSimpleDescs: w.profile.version !== '5.10',
        freeDescs: w.profile.version !== '5.10',
        multiPciMsi: false,
        pciMsix: false,
        allocDyn: false,
        pciIms: false,
        hwsize: MAX_DEV_MSIS,
        chip: 'platform',
      },
      creator: 'caller',
    },
    opts,
  );
}

/** ida_simple_get(&platform_msi_devid_ida): lowest free devid */
const allocDevid = (w: World): number => {
  let id = 0;
  while (w.platformDevids.includes(id)) id++;
  return id;
};

/**
 * platformMsiDomainAllocIrqs() - @nvec MSIs for @dev from its PLATFORM_MSI domain
 * Checks (platform_msi_alloc_priv_data): a domain (-EINVAL), its bus token (-EINVAL
 * "Incompatible msi_domain"), 1 <= nvec <= 2048 (-EINVAL), no earlier allocation (-EBUSY).
 * 5.10 with the partial-failure quirk: virqs of descs done before the failure stay allocated
 * while their descs are freed.
 * Kernel: drivers/base/platform-msi.c platform_msi_domain_alloc_irqs()
 */
export function platformMsiDomainAllocIrqs(w: World, dev: DevId, nvec: number, fail: FailPoint | null): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `platform_msi_domain_alloc_irqs on released device #${dev}`);
  if (d.msiDomain === null) return err(w, 'EINVAL', `${d.name} has no msi_domain`);
  const domain = w.domains[d.msiDomain];
  if (!domain) return uaf(w, `${d.name}: msi_domain ${domainName(w, d.msiDomain)} was freed`);
  if (domain.busToken !== 'PLATFORM_MSI')
    return err(w, 'EINVAL', `${d.name}: Incompatible msi_domain ${domain.name}, giving up`);
  if (nvec < 1 || nvec > MAX_DEV_MSIS) return err(w, 'EINVAL', `nvec ${nvec} out of range`);
  const busy = w.profile.version === '5.10' ? d.msiList.length > 0 : (d.msiData?.platformDevid ?? null) !== null;
  if (busy) return err(w, 'EBUSY', `${d.name} already has platform MSIs`);
  const devid = allocDevid(w);
  let out: World = { ...w, platformDevids: setAdd(w.platformDevids, devid) };
  if (w.profile.version === '5.10') {
    out = updDevice(out, dev, (x) => ({ ...x, platformDevid: devid }));
    const descs = Array.from({ length: nvec }, (_, i) => ({ nvecUsed: 1, msiIndex: i, isMsix: false, affinity: null }));
    const a = addMsiListDescs(out, dev, descs, fail);
    if (a.kind !== 'ok') return err(w, 'ENOMEM', (a as Failure & { why: string }).why);
    const r = msiDomainAllocIrqs510(a.world, d.msiDomain, dev, fail);
    if (r.kind === 'ok') return r;
    if (r.kind !== 'err' && r.kind !== 'warned') return r;
    // out_free_desc: platform_msi_free_descs(); the virqs are freed only without the quirk
    let back = hasQuirk(w.profile, 'platform-msi-partial-alloc-leak') ? r.world : msiDomainFreeIrqs510(r.world, dev);
    back = freeMsiListDescs(back, dev);
    back = updDevice(back, dev, (x) => ({ ...x, platformDevid: null }));
    return { ...r, world: { ...back, platformDevids: setDel(back.platformDevids, devid) } } as Failure;
  }
  out = msiSetupDeviceData(out, dev);
  out = updDevice(out, dev, (x) => ({ ...x, msiData: { ...x.msiData!, platformDevid: devid } }));
  const r = msiDomainAllocLocked(out, dev, 0, 0, nvec - 1, fail, { affinity: null, isMsix: false, icookie: null });
  if (r.kind === 'ok') return r;
  if (r.kind !== 'err' && r.kind !== 'warned') return r;
  // platform_msi_free_priv_data()
  const back = updDevice(r.world, dev, (x) => ({
    ...x,
    msiData: x.msiData ? { ...x.msiData, platformDevid: null } : null,
  }));
  return { ...r, world: { ...back, platformDevids: setDel(back.platformDevids, devid) } } as Failure;
}

/**
 * platformMsiDomainFreeIrqs() - free all platform MSIs of @dev, its descs and devid
 * Kernel: drivers/base/platform-msi.c platform_msi_domain_free_irqs()
 */
export function platformMsiDomainFreeIrqs(w: World, dev: DevId): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `platform_msi_domain_free_irqs on released device #${dev}`);
  if (d.msiDomain !== null && !w.domains[d.msiDomain] && (d.msiList.length > 0 || d.msiData?.platformDevid != null)) {
    return uaf(w, `${d.name}: msi_domain ${domainName(w, d.msiDomain)} was freed`);
  }
  if (w.profile.version === '5.10') {
    let out = w;
    if (d.platformDevid !== null) out = { ...out, platformDevids: setDel(out.platformDevids, d.platformDevid) };
    out = freeMsiListDescs(msiDomainFreeIrqs510(out, dev), dev);
    return okVoid(updDevice(out, dev, (x) => ({ ...x, platformDevid: null })));
  }
  const devid = d.msiData?.platformDevid ?? null;
  const r = msiDomainFreeLocked(w, dev, 0, 0, MAX_DEV_MSIS - 1);
  if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
  let out = r.world;
  if (devid !== null) {
    out = { ...out, platformDevids: setDel(out.platformDevids, devid) };
    out = updDevice(out, dev, (x) => ({ ...x, msiData: x.msiData ? { ...x.msiData, platformDevid: null } : null }));
  }
  return r.kind === 'warned' ? { ...r, world: out } : okVoid(out);
}
