/*
 * models/drivers/base/platform-msi-device.ts - platform-MSI *device* domains (drivers/base/platform-msi.c,
 * 6.2: __platform_msi_create_device_domain(), platform_msi_device_domain_alloc()/_free(); kernel/irq/msi.c
 * msi_domain_populate_irqs(), msi_domain_depopulate_descs())
 *
 * A wired-to-MSI bridge (mbigen) gets a domain of its own on its platform-MSI parent. The domain
 * is prepared once at creation (msi_domain_prepare_irqs() on the parent: the ITS makes its
 * its_device); every wired interrupt allocated later gets an msi_desc of the bridge, indexed by
 * its virq in MSI_DEFAULT_DOMAIN, and is populated through the parent with that desc. Freeing
 * clears and frees those descs again.
 */
import type { DevId, DomainId, MsiDesc, Virq, World } from '../../world/types.ts';
import { irqDomainAllocIrqsParent, irqDomainFreeIrqsParent, type AllocArg } from '../../kernel/irq/hierarchy.ts';
import { err, ok, okVoid, uaf, type Outcome } from '../../world/outcome.ts';
import { irqDomainCreateHierarchy } from '../../kernel/irq/irqdomain.ts';
import { msiSetupDeviceData } from '../../kernel/irq/msi.ts';
import { msiDomainPrepareIrqs } from '../irqchip/its.ts';
import { MAX_DEV_MSIS } from './platform-msi.ts';
import { dropDesc, putDesc, updDevice, updIrq, domainName } from '../../world/world.ts';
import { recDel, recPut, setAdd } from '../../world/util.ts';
import { hasFault } from '../../world/profile.ts';

/** ida_simple_get(&platform_msi_devid_ida): lowest free devid */
const allocDevid = (w: World): number => {
  let id = 0;
  while (w.platformDevids.includes(id)) id++;
  return id;
};

const setStore0 = (
  w: World,
  dev: DevId,
  f: (s: Readonly<Record<number, number>>) => Readonly<Record<number, number>>,
): World =>
  updDevice(w, dev, (d) => ({
    ...d,
    msiData: { ...d.msiData!, stores: [f(d.msiData!.stores[0]), d.msiData!.stores[1]] as const },
  }));

/**
 * platformMsiCreateDeviceDomain() - the device domain of @dev (kind @kind: whose level ops it
 * has, e.g. mbigen) with @nvec interrupts on dev->msi.domain
 * platform_msi_alloc_priv_data(): a PLATFORM_MSI msi_domain (-EINVAL), 1 <= nvec <= 2048,
 * no earlier platform MSIs (-EBUSY), the msi data and a devid; then the domain and the parent's
 * prepare for @nvec.
 * Kernel: drivers/base/platform-msi.c __platform_msi_create_device_domain() (6.2)
 */
export function platformMsiCreateDeviceDomain(
  w: World,
  dev: DevId,
  nvec: number,
  kind: 'mbigen',
  name: string,
): Outcome<DomainId> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `platform_msi_create_device_domain on released device #${dev}`);
  if (d.msiDomain === null) return err(w, 'EINVAL', `${d.name} has no msi_domain`);
  const parent = w.domains[d.msiDomain];
  if (!parent) return uaf(w, `${d.name}: msi_domain ${domainName(w, d.msiDomain)} was freed`);
  if (parent.busToken !== 'PLATFORM_MSI')
    return err(w, 'EINVAL', `${d.name}: Incompatible msi_domain ${parent.name}, giving up`);
  if (nvec < 1 || nvec > MAX_DEV_MSIS) return err(w, 'EINVAL', `nvec ${nvec} out of range`);
  if ((d.msiData?.platformDevid ?? null) !== null) return err(w, 'EBUSY', `${d.name} already has platform MSIs`);
  const devid = allocDevid(w);
  let out: World = { ...msiSetupDeviceData(w, dev), platformDevids: setAdd(w.platformDevids, devid) };
  out = updDevice(out, dev, (x) => ({ ...x, msiData: { ...x.msiData!, platformDevid: devid } }));
  // irq_domain_create_hierarchy(dev->msi.domain, 0, nvec, dev->fwnode, ops, data): a firmware node
  const c = irqDomainCreateHierarchy(out, {
    name,
    kind,
    parent: d.msiDomain,
    busToken: 'ANY',
    msiParent: false,
    msiDevice: false,
    isolatedMsi: false,
    dev,
    unit: null,
    msiInfo: null,
    creator: 'driver',
  });
  // msi_domain_prepare_irqs(domain->parent, dev, nvec, &data->arg): once, for the whole domain
  return ok(msiDomainPrepareIrqs(c.w, d.msiDomain, dev, nvec), c.id);
}

/**
 * platformMsiDeviceDomainAlloc() - @n interrupts at @virq: a desc per virq (index = virq) in the
 * device's MSI_DEFAULT_DOMAIN store, each populated through the parent with its hwirq
 * (devid << 11 | index); a failure frees what was done and the descs. -EBUSY if a desc is there.
 * Kernel: drivers/base/platform-msi.c platform_msi_device_domain_alloc(), kernel/irq/msi.c
 * msi_domain_populate_irqs(), msi_domain_add_simple_msi_descs(), platform_msi_calc_hwirq()
 */
export function platformMsiDeviceDomainAlloc(
  w: World,
  lvl: number,
  virq: Virq,
  n: number,
  dev: DevId,
  arg: AllocArg,
): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released || !d.msiData)
    return uaf(w, `platform_msi_device_domain_alloc: the device of the domain was released`);
  const devid = d.msiData.platformDevid ?? 0;
  for (let i = 0; i < n; i++)
    if (d.msiData.stores[0][virq + i] !== undefined)
      return err(w, 'EBUSY', `${d.name}: an msi_desc already sits at index ${virq + i}`);
  let out = w;
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    const desc: MsiDesc = {
      id: out.nextDescId,
      dev,
      irq: 0,
      nvecUsed: 1,
      msiIndex: virq + i,
      domid: 0,
      isMsix: false,
      affinity: null,
      icookie: null,
    };
    out = setStore0({ ...putDesc(out, desc), nextDescId: desc.id + 1 }, dev, (s) => recPut(s, virq + i, desc.id));
    ids.push(desc.id);
  }
  const added = out;
  for (let i = 0; i < n; i++) {
    const desc = out.descs[ids[i]!]!;
    out = putDesc(out, { ...desc, irq: virq + i });
    const r = irqDomainAllocIrqsParent(out, lvl, virq + i, 1, {
      ...arg,
      dev,
      desc: desc.id,
      hwirqBase: (devid << 11) | desc.msiIndex,
    });
    if (r.kind !== 'ok') {
      if (r.kind !== 'err') return r;
      // fail: depopulate and free the parents of the virqs done so far, then the descs
      let back = i > 0 ? irqDomainFreeIrqsParent(out, lvl, virq, i) : added;
      ids.forEach((id, k) => (back = setStore0(dropDesc(back, id), dev, (s) => recDel(s, virq + k))));
      return { ...r, world: back };
    }
    // irq_set_msi_desc()
    out = updIrq(r.world, virq + i, (x) => ({ ...x, owner: { kind: 'msi', desc: desc.id } }));
  }
  return okVoid(out);
}

/**
 * platformMsiDeviceDomainFree() - depopulate the descs of [virq, virq+n), free the levels
 * (irq_domain_free_irqs_common: this one and the parents), free the descs
 * Kernel: drivers/base/platform-msi.c platform_msi_device_domain_free(), kernel/irq/msi.c
 * msi_domain_depopulate_descs(), msi_free_msi_descs_range()
 */
export function platformMsiDeviceDomainFree(w: World, lvl: number, virq: Virq, n: number, dev: DevId): World {
  let out = irqDomainFreeIrqsCommon(w, lvl, virq, n);
  // B07: before 81b1e6e6a859 the free path left the descs platform_msi_alloc_descs() made, still
  // naming their irq (their 6.2 successors: depopulate + msi_free_msi_descs_range())
  if (hasFault(w.profile, 'B07')) return out;
  const store = out.devices[dev]?.msiData?.stores[0] ?? {};
  for (let i = 0; i < n; i++) {
    const id = store[virq + i];
    if (id === undefined) continue;
    out = setStore0(dropDesc(out, id), dev, (s) => recDel(s, virq + i));
  }
  return out;
}

/** irq_domain_free_irqs_common(): reset this level of each virq and free the parents */
export function irqDomainFreeIrqsCommon(w: World, lvl: number, virq: Virq, n: number): World {
  let out = w;
  for (let i = 0; i < n; i++) {
    const x = out.irqs[virq + i];
    const l = x?.levels[lvl];
    if (x && l)
      out = updIrq(out, virq + i, (y) => ({
        ...y,
        levels: y.levels.map((z, k) => (k === lvl ? { ...z, chip: null, programmed: false } : z)),
      }));
  }
  return irqDomainFreeIrqsParent(out, lvl, virq, n);
}
