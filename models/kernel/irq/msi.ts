/*
 * models/kernel/irq/msi.ts - the MSI core in both shapes (kernel/irq/msi.c)
 *
 * 5.10: descs on dev->msi_list, msi_domain_alloc_irqs() allocating per desc and returning at the
 *       first failure (callers clean up, or not), early activation with reservation mode.
 * 6.2:  per-device domains in dev->msi.data->__domains[], descs in an xarray per domain keyed by
 *       msi_index, range and "at index" allocation that free their range again on failure.
 */
import type { CpuId, DevId, DomainId, IrqDomain, MsiDesc, MsiDeviceData, Virq, World } from '../../world/types.ts';
import { failsAt, noArg, type AllocArg, type FailPoint } from './hierarchy.ts';
import { err, okVoid, ok, uaf, warned, type Failure, type Outcome } from '../../world/outcome.ts';
import {
  irqDomainActivateIrq,
  irqDomainDeactivateIrq,
  irqDomainFreeIrqs,
  irqDomainAllocIrqs,
  irqDomainRemove,
} from './irqdomain.ts';
import { dropDesc, onlineCpus, putDesc, putDevice, updDevice, updIrq, domainName } from '../../world/world.ts';
import { intersect, recDel, recPut, recValues } from '../../world/util.ts';
import { hasFault, hasFeature, hasQuirk } from '../../world/profile.ts';
import { freeDomainFwnode } from './fwnode.ts';
import { msiHooks } from './registry.ts';

/**
 * imsArrayFreeSlot() - the lowest IMS slot no live interrupt of @domain uses (its slot bitmap)
 * Kernel: 2021 IMS series drivers/irqchip/irq-ims-msi.c ims_array_alloc_msi_store()
 */
function imsArrayFreeSlot(w: World, domain: IrqDomain): number {
  const used = new Set<number>();
  for (const d of recValues(w.irqs))
    for (const l of d.levels) if (l.domain === domain.id && l.chip !== null) used.add(l.hwirq);
  let slot = 0;
  while (used.has(slot)) slot++;
  return slot;
}

/** x86 alloc type and hwirq of an MSI level for @desc */
function allocArgFor(
  w: World,
  domain: IrqDomain,
  desc: MsiDesc,
  fail: FailPoint | null,
  virqOffset: number,
  callIndex: number,
): AllocArg {
  const dev = w.devices[desc.dev]!;
  const pci = dev.bus === 'pci';
  let hwirqBase: number;
  if (domain.msiDevice)
    hwirqBase = desc.msiIndex; // 6.2 per-device domains: hwirq = index
  else if (domain.msiInfo?.chip === 'ims-array')
    hwirqBase = imsArrayFreeSlot(w, domain); // the array's slot
  else if (domain.msiInfo?.chip === 'platform')
    hwirqBase =
      ((w.devices[desc.dev]!.platformDevid ?? w.devices[desc.dev]!.msiData?.platformDevid ?? 0) << 11) | desc.msiIndex;
  else hwirqBase = msiHooks().pciCalcHwirq(w, dev, desc); // pci_msi_domain_calc_hwirq()
  return {
    ...noArg,
    type: pci
      ? desc.isMsix || domain.msiInfo?.chip === 'ims'
        ? 'pci-msix'
        : 'pci-msi'
      : hasFeature(w.profile, 'dev-msi-alloc-type')
        ? 'dev-msi'
        : 'none',
    dev: desc.dev,
    desc: desc.id,
    hwirqBase,
    fail,
    virqOffset,
    callIndex,
  };
}

/** msi_check_reservation_mode(): PCI bus tokens, MUST_REACTIVATE, MSI-X or maskable MSI */
function msiCheckReservationMode(w: World, domain: IrqDomain, desc: MsiDesc): boolean {
  if (!['PCI_MSI', 'PCI_DEVICE_MSI', 'PCI_DEVICE_MSIX'].includes(domain.busToken)) return false;
  if (!domain.msiInfo?.mustReactivate) return false;
  return desc.isMsix || w.devices[desc.dev]!.msiMaskable;
}

/**
 * msiInitVirq() - early activation of one virq
 * Without reservation mode CAN_RESERVE is cleared (the vector will be fixed at activation);
 * a managed irq with no online CPU in its mask stays in managed shutdown (fix d802057c7c55);
 * with reservation mode ACTIVATED is cleared again so request_irq() takes the real vector.
 * Kernel: kernel/irq/msi.c msi_init_virq() (6.2), __msi_domain_alloc_irqs() (5.10)
 */
function msiInitVirq(w: World, domain: IrqDomain, virq: Virq, canReserve: boolean, arg: AllocArg): Outcome<void> {
  const early = domain.msiInfo?.activateEarly ?? false;
  let out = w;
  // 5.10 clears CAN_RESERVE only inside the ACTIVATE_EARLY loop; 6.2 for every virq
  if (!canReserve && (early || w.profile.version !== '5.10'))
    out = updIrq(out, virq, (d) => ({ ...d, canReserve: false }));
  const d = out.irqs[virq]!;
  // B36: before d802057c7c55 (genirq/msi: Shutdown managed interrupts with unsatifiable
  // affinities) such an irq was activated anyway; the GIC-ITS (its_select_cpu()) then fell back
  // to any online CPU, outside the managed mask
  if (!canReserve && d.managed && intersect(d.affinity, onlineCpus(out)).length === 0 && !hasFault(w.profile, 'B36')) {
    return okVoid(updIrq(out, virq, (x) => ({ ...x, managedShutdown: true })));
  }
  if (!early) return okVoid(out);
  const r = irqDomainActivateIrq(out, virq, canReserve, arg);
  if (r.kind !== 'ok') return r;
  return okVoid(canReserve ? updIrq(r.world, virq, (x) => ({ ...x, activated: false })) : r.world);
}

/** allocate and initialise the interrupts of one desc; returns the world with desc.irq set */
function allocDescIrqs(
  w: World,
  domain: IrqDomain,
  desc: MsiDesc,
  fail: FailPoint | null,
  virqOffset: number,
  callIndex: number,
): Outcome<Virq> {
  const arg = allocArgFor(w, domain, desc, fail, virqOffset, callIndex);
  const r = irqDomainAllocIrqs(w, domain.id, desc.nvecUsed, arg, {
    owner: { kind: 'msi', desc: desc.id },
    affinity: desc.affinity,
    managed: desc.affinity !== null,
  });
  if (r.kind !== 'ok') return r;
  return ok(putDesc(r.world, { ...desc, irq: r.value }), r.value);
}

/** msi_domain of a device: 6.2 __domains[domid], or the legacy dev->msi.domain for domid 0 */
export function msiGetDeviceDomain(w: World, dev: DevId, domid: 0 | 1): DomainId | null {
  const d = w.devices[dev]!;
  const slot = d.msiData?.domains[domid] ?? null;
  if (slot !== null) return slot;
  if (domid === 0 && d.msiDomain !== null && !(w.domains[d.msiDomain]?.msiParent ?? false)) return d.msiDomain;
  return null;
}

/* ---------------------------------------------------------------- 5.10: dev->msi_list ---- */

/**
 * msiDomainAllocIrqs510() - one __irq_domain_alloc_irqs() per desc on dev->msi_list
 * Returns at the first failure with the earlier descs still allocated (their cleanup is the
 * caller's); activation failure frees everything (msi_domain_free_irqs).
 * Kernel: kernel/irq/msi.c __msi_domain_alloc_irqs() (5.10)
 */
export function msiDomainAllocIrqs510(w: World, domainId: DomainId, dev: DevId, fail: FailPoint | null): Outcome<void> {
  const domain = w.domains[domainId];
  if (!domain) return uaf(w, `msi_domain_alloc_irqs on freed domain ${domainName(w, domainId)}`);
  let out = w;
  let offset = 0;
  const list = w.devices[dev]!.msiList;
  for (let k = 0; k < list.length; k++) {
    const desc = out.descs[list[k]!]!;
    const r = allocDescIrqs(out, domain, desc, fail, offset, k);
    if (r.kind !== 'ok') return r.kind === 'err' ? err(out, 'ENOSPC', r.why) : r; // earlier descs stay allocated
    out = r.world;
    offset += desc.nvecUsed;
  }
  offset = 0;
  for (const id of list) {
    const desc = out.descs[id]!;
    const canReserve = msiCheckReservationMode(out, domain, desc);
    for (let i = 0; i < desc.nvecUsed; i++) {
      const r = msiInitVirq(out, domain, desc.irq + i, canReserve, { ...noArg, fail, virqOffset: offset + i });
      if (r.kind !== 'ok') {
        if (r.kind !== 'err' && r.kind !== 'warned') return r;
        return { ...r, world: msiDomainFreeIrqs510(r.world, dev, true) } as Failure;
      }
      out = r.world;
    }
    offset += desc.nvecUsed;
  }
  return okVoid(out);
}

/**
 * free the interrupts of one desc: deactivate first (fix dbbc93576e03), then free, irq = 0.
 * @unwind: the MSI core's own allocation error path (before the fix the only one that deactivated)
 */
function freeDescIrqs(w: World, desc: MsiDesc, unwind = false): Outcome<void> {
  let out = w;
  for (let i = 0; i < desc.nvecUsed; i++) {
    const d = out.irqs[desc.irq + i];
    // B04: before dbbc93576e03 (genirq/msi: Ensure deactivation on teardown) only the
    // allocation error path deactivated; msi_domain_free_irqs() freed activated irqs as they were
    if (d?.activated && (unwind || !hasFault(w.profile, 'B04'))) {
      const r = irqDomainDeactivateIrq(out, desc.irq + i);
      if (r.kind !== 'ok') return r;
      out = r.world;
    }
  }
  const r = irqDomainFreeIrqs(out, desc.irq, desc.nvecUsed);
  if (r.kind !== 'ok' && r.kind !== 'warned') return r;
  return okVoid(putDesc(r.world, { ...desc, irq: 0 }));
}

/**
 * msiDomainFreeIrqs510() - free every associated desc of @dev (descs themselves stay)
 * Kernel: kernel/irq/msi.c msi_domain_free_irqs() (5.10)
 */
export function msiDomainFreeIrqs510(w: World, dev: DevId, unwind = false): World {
  let out = w;
  for (const id of w.devices[dev]!.msiList) {
    const desc = out.descs[id];
    if (!desc || desc.irq === 0) continue;
    const r = freeDescIrqs(out, desc, unwind);
    if (r.kind === 'ok') out = r.world;
  }
  return out;
}

/** alloc_msi_entry() + list_add_tail(): new unassociated descs on dev->msi_list */
export function addMsiListDescs(
  w: World,
  dev: DevId,
  descs: readonly Omit<MsiDesc, 'id' | 'dev' | 'irq' | 'domid' | 'icookie'>[],
  fail: FailPoint | null,
): Outcome<void> {
  let out = w;
  const ids: number[] = [];
  for (let k = 0; k < descs.length; k++) {
    if (failsAt({ ...noArg, fail }, 'msi-desc', k)) return err(w, 'ENOMEM', `injected: alloc_msi_entry #${k}`);
    const id = out.nextDescId;
    out = { ...putDesc(out, { ...descs[k]!, id, dev, irq: 0, domid: 0, icookie: null }), nextDescId: id + 1 };
    ids.push(id);
  }
  return okVoid(updDevice(out, dev, (d) => ({ ...d, msiList: [...d.msiList, ...ids] })));
}

/** free_msi_entry() for every desc on the list, list emptied */
export function freeMsiListDescs(w: World, dev: DevId): World {
  let out = w;
  for (const id of w.devices[dev]!.msiList) out = dropDesc(out, id);
  return updDevice(out, dev, (d) => ({ ...d, msiList: [] }));
}

/* ------------------------------------------------------- 6.2: per-device domains ---- */

const emptyMsiData: MsiDeviceData = { domains: [null, null], stores: [{}, {}], platformDevid: null };

/** msi_setup_device_data(): dev->msi.data as a devres object (created once) */
export function msiSetupDeviceData(w: World, dev: DevId): World {
  const d = w.devices[dev]!;
  if (d.msiData) return w;
  return putDevice(w, { ...d, msiData: emptyMsiData, devres: [...d.devres, { kind: 'msi-device-data' }] });
}

function setStore(
  w: World,
  dev: DevId,
  domid: 0 | 1,
  f: (s: Readonly<Record<number, number>>) => Readonly<Record<number, number>>,
): World {
  return updDevice(w, dev, (d) => {
    const md = d.msiData!;
    const stores =
      domid === 0 ? ([f(md.stores[0]), md.stores[1]] as const) : ([md.stores[0], f(md.stores[1])] as const);
    return { ...d, msiData: { ...md, stores } };
  });
}

export function setDeviceDomainSlot(w: World, dev: DevId, domid: 0 | 1, domain: DomainId | null): World {
  return updDevice(w, dev, (d) => {
    const md = d.msiData ?? emptyMsiData;
    const domains = domid === 0 ? ([domain, md.domains[1]] as const) : ([md.domains[0], domain] as const);
    return { ...d, msiData: { ...md, domains } };
  });
}

const hwsizeOf = (w: World, domain: DomainId): number => {
  const hw = w.domains[domain]?.msiInfo?.hwsize ?? 0;
  return hw === 0 ? 65536 : hw;
};

/**
 * msiInsertDesc() - put a desc at @index (or the lowest free one)
 * Kernel: kernel/irq/msi.c msi_insert_desc(): -ERANGE beyond hwsize, -EBUSY if taken or full
 */
export function msiInsertDesc(
  w: World,
  dev: DevId,
  domid: 0 | 1,
  index: number | 'any',
  fields: { nvecUsed: number; isMsix: boolean; affinity: MsiDesc['affinity']; icookie: number | null },
): Outcome<MsiDesc> {
  const domain = msiGetDeviceDomain(w, dev, domid)!;
  const hwsize = hwsizeOf(w, domain);
  const store = w.devices[dev]!.msiData!.stores[domid];
  let idx: number;
  if (index === 'any') {
    idx = 0;
    while (idx < hwsize && store[idx] !== undefined) idx++;
    if (idx >= hwsize) return err(w, 'EBUSY', `no free index below hwsize ${hwsize}`);
  } else {
    if (index >= hwsize) return err(w, 'ERANGE', `index ${index} beyond hwsize ${hwsize}`);
    if (store[index] !== undefined) return err(w, 'EBUSY', `index ${index} already has a desc`);
    idx = index;
  }
  const desc: MsiDesc = {
    id: w.nextDescId,
    dev,
    irq: 0,
    nvecUsed: fields.nvecUsed,
    msiIndex: idx,
    domid,
    isMsix: fields.isMsix,
    affinity: fields.affinity,
    icookie: fields.icookie,
  };
  const out = setStore({ ...putDesc(w, desc), nextDescId: desc.id + 1 }, dev, domid, (s) => recPut(s, idx, desc.id));
  return ok(out, desc);
}

const descsInRange = (w: World, dev: DevId, domid: 0 | 1, first: number, last: number): MsiDesc[] => {
  const store = w.devices[dev]!.msiData?.stores[domid] ?? {};
  return Object.keys(store)
    .map(Number)
    .filter((i) => i >= first && i <= last)
    .sort((a, b) => a - b)
    .map((i) => w.descs[store[i]!]!);
};

/**
 * msiDomainFreeLocked() - free the interrupts of every desc in [first, last]; with
 * FREE_MSI_DESCS also erase the descs (a desc still associated: WARN and leaked)
 * Kernel: kernel/irq/msi.c msi_domain_free_locked(), msi_domain_free_descs()
 */
export function msiDomainFreeLocked(
  w: World,
  dev: DevId,
  domid: 0 | 1,
  first: number,
  last: number,
  unwind = false,
): Outcome<void> {
  const domain = msiGetDeviceDomain(w, dev, domid);
  if (domain === null) return okVoid(w);
  let out = w;
  let warning: string | null = null;
  for (const desc of descsInRange(w, dev, domid, first, last)) {
    if (desc.irq === 0) continue;
    const r = freeDescIrqs(out, desc, unwind);
    if (r.kind !== 'ok') return r;
    out = r.world;
  }
  if (out.domains[domain]?.msiInfo?.freeDescs) {
    for (const desc of descsInRange(out, dev, domid, first, last)) {
      out = setStore(out, dev, domid, (s) => recDel(s, desc.msiIndex));
      if (desc.irq !== 0)
        warning = `msi_domain_free_descs: desc ${desc.msiIndex} still associated with irq ${desc.irq}, leaked`;
      else out = dropDesc(out, desc.id);
    }
  }
  return warning ? warned(out, warning) : okVoid(out);
}

/**
 * msiDomainAllocLocked() - allocate simple descs if the domain owns them, then an interrupt for
 * every unassociated desc in range; on failure free the range again.
 * Which range is freed on failure is the 6.2 quirk: the whole [first, last], including
 * interrupts of earlier calls. Without the quirk only what this call allocated goes.
 * Kernel: kernel/irq/msi.c msi_domain_alloc_locked(), __msi_domain_alloc_locked()
 */
export function msiDomainAllocLocked(
  w: World,
  dev: DevId,
  domid: 0 | 1,
  first: number,
  last: number,
  fail: FailPoint | null,
  newDescs: { affinity: MsiDesc['affinity']; isMsix: boolean; icookie: number | null } | null,
): Outcome<void> {
  const domainId = msiGetDeviceDomain(w, dev, domid);
  if (domainId === null) return err(w, 'ENODEV', `no MSI domain ${domid} on ${w.devices[dev]!.name}`);
  const domain = w.domains[domainId];
  if (!domain) return uaf(w, `MSI domain ${domainName(w, domainId)} of ${w.devices[dev]!.name} was freed`);
  let out = w;
  const created: number[] = [];
  if (domain.msiInfo?.allocSimpleDescs && newDescs) {
    for (let i = first; i <= last; i++) {
      if (out.devices[dev]!.msiData!.stores[domid][i] !== undefined) continue;
      if (failsAt({ ...noArg, fail }, 'msi-desc', i - first)) return err(w, 'ENOMEM', `injected: msi_alloc_desc #${i}`);
      const r = msiInsertDesc(out, dev, domid, i, { nvecUsed: 1, ...newDescs });
      if (r.kind !== 'ok') return r as Failure;
      out = r.world;
      created.push(i);
    }
  }
  const fresh: MsiDesc[] = [];
  const undo = (f: Failure): Failure => {
    if (hasQuirk(w.profile, 'msi-range-failure-frees-range')) {
      return { ...f, world: msiDomainFreeLocked(f.world, dev, domid, first, last, true).world };
    }
    // the atomic contract: undo only what this call did
    let back = f.world;
    for (const desc of fresh) {
      const r = freeDescIrqs(back, back.descs[desc.id]!, true);
      back = r.world;
    }
    if (domain.msiInfo?.freeDescs) {
      for (const i of created) {
        const id = back.devices[dev]!.msiData!.stores[domid][i]!;
        back = dropDesc(
          setStore(back, dev, domid, (s) => recDel(s, i)),
          id,
        );
      }
    }
    return { ...f, world: back };
  };
  // __msi_domain_alloc_irqs(): msi_domain_prepare_irqs() for this allocation, unless a per-device
  // domain prepared at creation (populate_alloc_info(), 1396e89e09f0; B39: before it, always)
  const nirqs = descsInRange(out, dev, domid, first, last).reduce((n, x) => n + (x.irq === 0 ? x.nvecUsed : 0), 0);
  if (nirqs > 0 && (!domain.msiDevice || hasFault(w.profile, 'B39')))
    out = msiHooks().prepare(out, domainId, dev, nirqs);
  let offset = 0;
  let k = 0;
  for (const desc of descsInRange(out, dev, domid, first, last)) {
    if (desc.irq !== 0) continue;
    const r = allocDescIrqs(out, domain, desc, fail, offset, k++);
    if (r.kind !== 'ok') return r.kind === 'err' ? undo(err(out, r.errno, r.why)) : r;
    out = r.world;
    fresh.push(desc);
    const canReserve = msiCheckReservationMode(out, domain, desc);
    for (let i = 0; i < desc.nvecUsed; i++) {
      const a = msiInitVirq(out, domain, r.value + i, canReserve, { ...noArg, fail, virqOffset: offset + i });
      if (a.kind !== 'ok') {
        if (a.kind !== 'err' && a.kind !== 'warned') return a;
        return undo(err(a.world, a.kind === 'err' ? a.errno : (a.errno ?? 'EINVAL'), a.why));
      }
      out = a.world;
    }
    offset += desc.nvecUsed;
  }
  return okVoid(out);
}

/**
 * msiDomainAllocIrqAt() - one desc at @index (or any free one) and its interrupt
 * Returns msi_map { index, virq }; on failure the desc is gone again.
 * Kernel: kernel/irq/msi.c msi_domain_alloc_irq_at() (6.2)
 */
export function msiDomainAllocIrqAt(
  w: World,
  dev: DevId,
  domid: 0 | 1,
  index: number | 'any',
  icookie: number | null,
  affinity: readonly CpuId[] | null,
  fail: FailPoint | null,
): Outcome<{ index: number; virq: Virq }> {
  const domainId = msiGetDeviceDomain(w, dev, domid);
  if (domainId === null) return err(w, 'ENODEV', `no MSI domain ${domid} on ${w.devices[dev]!.name}`);
  if (!w.domains[domainId]) return uaf(w, `MSI domain ${domainName(w, domainId)} of ${w.devices[dev]!.name} was freed`);
  if (failsAt({ ...noArg, fail }, 'msi-desc', 0)) return err(w, 'ENOMEM', 'injected: msi_alloc_desc');
  const ins = msiInsertDesc(w, dev, domid, index, {
    nvecUsed: 1,
    isMsix: domid === 0,
    affinity: affinity ? [affinity] : null,
    icookie,
  });
  if (ins.kind !== 'ok') return ins as Failure;
  const idx = ins.value.msiIndex;
  const r = msiDomainAllocLocked(ins.world, dev, domid, idx, idx, fail, null);
  if (r.kind !== 'ok') {
    if (r.kind !== 'err' && r.kind !== 'warned') return r;
    // msi_domain_free_locked() of the one index: the desc goes with FREE_MSI_DESCS
    const back = msiDomainFreeLocked(r.world, dev, domid, idx, idx, true).world;
    return err(back, r.kind === 'err' ? r.errno : 'EINVAL', r.why);
  }
  const desc = r.world.descs[ins.value.id]!;
  return ok(r.world, { index: idx, virq: desc.irq });
}

/**
 * msiRemoveDeviceIrqDomain() - clear the slot and remove the domain; interrupts still
 * allocated in it are not freed (their descs stay in the store)
 * Kernel: kernel/irq/msi.c msi_remove_device_irq_domain() (6.2)
 */
export function msiRemoveDeviceIrqDomain(w: World, dev: DevId, domid: 0 | 1): Outcome<void> {
  const d = w.devices[dev]!;
  const id = d.msiData?.domains[domid] ?? null;
  if (id === null) return okVoid(w);
  const domain = w.domains[id];
  if (domain && !domain.msiDevice) return okVoid(w);
  let out = setDeviceDomainSlot(w, dev, domid, null);
  // the parent's .msi_teardown() before the domain goes (03c298760ed9); B39: before it, none
  const warnings: string[] = [];
  if (!hasFault(w.profile, 'B39')) {
    const t = msiHooks().teardown(out, domain ? id : undefined, dev);
    if (t.kind === 'warned') warnings.push(t.why);
    out = t.world;
  }
  const fwnode = domain?.fwnode;
  const r0 = irqDomainRemove(out, id);
  const r: Outcome<void> = warnings.length && r0.kind === 'ok' ? warned(r0.world, warnings.join('; ')) : r0;
  // B11: before ac8f29aef2f1 the fwnode of the device domain was never freed
  if ((r.kind !== 'ok' && r.kind !== 'warned') || hasFault(w.profile, 'B11')) return r;
  const f = freeDomainFwnode(r.world, fwnode);
  return f.kind === 'ok' ? { ...r, world: f.world } : f;
}

/**
 * msiDeviceDataRelease() - devres release of dev->msi.data: remove both device domains, WARN
 * if a store is not empty (its descs leak)
 * Kernel: kernel/irq/msi.c msi_device_data_release() (6.2)
 */
export function msiDeviceDataRelease(w: World, dev: DevId): Outcome<void> {
  let out = w;
  const warnings: string[] = [];
  for (const domid of [0, 1] as const) {
    const r = msiRemoveDeviceIrqDomain(out, dev, domid);
    if (r.kind === 'bug' || r.kind === 'use-after-free') return r;
    if (r.kind === 'warned') warnings.push(r.why);
    out = r.world;
    const store = out.devices[dev]!.msiData?.stores[domid] ?? {};
    if (Object.keys(store).length > 0)
      warnings.push(`msi_device_data_release: ${w.devices[dev]!.name} store ${domid} not empty`);
  }
  out = updDevice(out, dev, (d) => ({ ...d, msiData: null }));
  return warnings.length ? warned(out, warnings.join('; ')) : okVoid(out);
}

/**
 * msiDomainAllocIrqsRange() - interrupts for indexes [first, last] of device domain @domid
 * Bad controls are msi_ctrl_valid()'s WARN and -EINVAL; a domain that owns its descs gets them.
 * Kernel: kernel/irq/msi.c msi_domain_alloc_irqs_range() (6.2)
 */
export function msiDomainAllocIrqsRange(
  w: World,
  dev: DevId,
  domid: 0 | 1,
  first: number,
  last: number,
  fail: FailPoint | null,
): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `msi_domain_alloc_irqs_range on released device #${dev}`);
  if (w.profile.version === '5.10') return err(w, 'ENOSYS', 'msi_domain_alloc_irqs_range does not exist before 6.2');
  const bad = msiCtrlInvalid(w, dev, domid, first, last);
  if (bad) return warned(w, bad, 'EINVAL');
  return msiDomainAllocLocked(w, dev, domid, first, last, fail, { affinity: null, isMsix: false, icookie: null });
}

/** msi_domain_free_irqs_range() (6.2) */
export function msiDomainFreeIrqsRange(w: World, dev: DevId, domid: 0 | 1, first: number, last: number): Outcome<void> {
  const d = w.devices[dev];
  if (!d || d.released) return uaf(w, `msi_domain_free_irqs_range on released device #${dev}`);
  if (w.profile.version === '5.10') return err(w, 'ENOSYS', 'msi_domain_free_irqs_range does not exist before 6.2');
  const bad = msiCtrlInvalid(w, dev, domid, first, last);
  if (bad) return warned(w, bad);
  return msiDomainFreeLocked(w, dev, domid, first, last);
}

/** msi_ctrl_valid(): a device domain in slot @domid and first <= last < hwsize, else a WARN text */
function msiCtrlInvalid(w: World, dev: DevId, domid: 0 | 1, first: number, last: number): string | null {
  const domain = msiGetDeviceDomain(w, dev, domid);
  if (domain === null) return `msi_ctrl_valid: ${w.devices[dev]!.name} has no domain ${domid}`;
  if (first > last || last >= hwsizeOf(w, domain))
    return `msi_ctrl_valid: range [${first}, ${last}] outside [0, ${hwsizeOf(w, domain)})`;
  return null;
}
