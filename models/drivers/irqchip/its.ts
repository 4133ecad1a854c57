/*
 * models/drivers/irqchip/its.ts - a GICv3 ITS as an MSI parent with per-device state
 * (drivers/irqchip/irq-gic-v3-its.c, irq-gic-v3-its-msi-parent.c, irq-gic-v3-its-platform-msi.c)
 *
 * The ITS keeps an its_device per DeviceID: an ITT with a power-of-two number of event ids and a
 * chunk of LPIs. .msi_prepare() finds or creates it (its_msi_prepare(); found = "shared", an alias),
 * its_irq_domain_alloc() hands out event ids from it (aligned power-of-two regions,
 * its_alloc_device_irq()), its_irq_domain_free() gives them back, and .msi_teardown() frees it
 * when the MSI domain it was prepared for goes (its_msi_teardown(), 2025: 713335b6ee29 with
 * 03c298760ed9). Since 1396e89e09f0 a per-device MSI domain prepares once, at creation, for its
 * whole size (hwsize); other MSI domains still prepare on every allocation.
 *
 * Simplifications: the GIC redistributor level (the LPI in the GIC domain) is folded into the ITS
 * level: its hwirq is the LPI (lpi_base + event). DeviceIDs are the devices themselves (no PCI
 * aliases). A multi-vector region marks only the events its interrupts use (the kernel's
 * bitmap_find_free_region() also holds the padding up to the power of two until the region is
 * released), because the model frees an allocation one virq at a time.
 */
import { bootPlainDomain } from '../../kernel/irq/fwnode.ts';
import type {
  ChipData,
  CpuId,
  DevId,
  DomainId,
  ItsChipData,
  ItsDevice,
  ItsState,
  MsiMsg,
  Virq,
  World,
} from '../../world/types.ts';
import type { AllocArg, DomainOps } from '../../kernel/irq/hierarchy.ts';
import { err, okVoid, uaf, warned, type Outcome } from '../../world/outcome.ts';
import { irqDomainCreateHierarchy } from '../../kernel/irq/irqdomain.ts';
import { platformMsiCreateIrqDomain } from '../base/platform-msi.ts';
import { levelOf, onlineCpus, parentChain, putDomain, putLevel, putPlatform, updIrq } from '../../world/world.ts';
import { intersect, recDel, recPut } from '../../world/util.ts';
import { hasFault } from '../../world/profile.ts';

/** the first LPI (GICv3 LPIs start at 8192) */
const FIRST_LPI = 8192;

const roundupPow2 = (n: number): number => {
  let p = 1;
  while (p < n) p *= 2;
  return p;
};

const putIts = (w: World, its: ItsState): World => putPlatform(w, { its });

/** the ITS-like MSI parent @domain's chain reaches, if any */
export function itsBelow(w: World, domain: DomainId): boolean {
  const its = w.platform.its;
  if (!its) return false;
  return parentChain(w, domain).chain.includes(its.domain);
}

/**
 * itsInit() - the ITS domain (an MSI parent for per-device domains) and ITS-pMSI on it
 * Kernel: irq-gic-v3-its.c its_init_domain() (its_msi_parent_ops), irq-gic-v3-its-platform-msi.c
 * its_pmsi_init_one() -> platform_msi_create_irq_domain(). Both sit on firmware nodes (no named fwnode).
 */
export function itsInit(w: World): World {
  const its = irqDomainCreateHierarchy(w, {
    name: 'ITS',
    kind: 'its',
    parent: null,
    busToken: 'ANY',
    msiParent: true,
    ...bootPlainDomain,
  });
  const pm = platformMsiCreateIrqDomain(its.w, its.id, 'ITS-pMSI');
  const out = putDomain(pm.w, { ...pm.w.domains[pm.id]!, creator: 'boot' });
  return putIts(out, { domain: its.id, pmsiDomain: pm.id, devices: {}, nextLpi: FIRST_LPI });
}

/**
 * itsMsiPrepare() - find or create the its_device of @dev, sized for @nvec events
 * PCI rounds up to a power of two (its_pci_msi_prepare()); platform MSI asks for at least 32
 * (its_pmsi_prepare()). An existing device is reused and marked shared.
 * Kernel: irq-gic-v3-its.c its_msi_prepare(), its_create_device()
 */
export function itsMsiPrepare(w: World, dev: DevId, nvec: number, pmsi: boolean): World {
  const its = w.platform.its!;
  const found = its.devices[dev];
  if (found) return putIts(w, { ...its, devices: recPut(its.devices, dev, { ...found, shared: true }) });
  const nrEvents = pmsi ? Math.max(32, roundupPow2(nvec)) : roundupPow2(Math.max(1, nvec));
  const d: ItsDevice = { dev, nrEvents, lpiBase: its.nextLpi, events: [], shared: false };
  return putIts(w, { ...its, devices: recPut(its.devices, dev, d), nextLpi: its.nextLpi + nrEvents });
}

/**
 * itsMsiTeardown() - free the its_device prepared for a domain that goes away: kept if shared,
 * WARN and kept if events are still mapped
 * Kernel: irq-gic-v3-its.c its_msi_teardown() (713335b6ee29)
 */
export function itsMsiTeardown(w: World, dev: DevId): Outcome<void> {
  const its = w.platform.its!;
  const d = its.devices[dev];
  if (!d || d.shared) return okVoid(w);
  if (d.events.length > 0)
    return warned(
      w,
      `its_msi_teardown: ${w.devices[dev]?.name ?? `device #${dev}`} still has events ${d.events.join(',')} mapped`,
    );
  return okVoid(putIts(w, { ...its, devices: recDel(its.devices, dev) }));
}

/**
 * msiDomainPrepareIrqs() - the MSI parent's .msi_prepare() for @domain and @dev: only an ITS
 * below keeps state (x86 pci_msi_prepare() keeps none)
 * Kernel: kernel/irq/msi.c msi_domain_prepare_irqs(), irq-gic-v3-its-msi-parent.c its_pci_msi_prepare(),
 * its_pmsi_prepare()
 */
export function msiDomainPrepareIrqs(w: World, domain: DomainId, dev: DevId, nvec: number): World {
  if (!itsBelow(w, domain)) return w;
  const pmsi = w.devices[dev]?.bus !== 'pci';
  // a per-device domain asks for at least its hwsize: the hack of its_pci_msi_prepare() /
  // its_pmsi_prepare() until 7dd20bf2f010 (a no-op once prepare gets hwsize at creation)
  const d = w.domains[domain];
  const n = d?.msiDevice ? Math.max(nvec, d.msiInfo?.hwsize ?? 0) : nvec;
  return itsMsiPrepare(w, dev, n, pmsi);
}

/** msi_domain_ops->msi_teardown() for a per-device domain of @dev on @domain's parent */
export function msiDomainTeardown(w: World, domain: DomainId | undefined, dev: DevId): Outcome<void> {
  if (domain === undefined || !w.platform.its) return okVoid(w);
  return itsBelow(w, domain) ? itsMsiTeardown(w, dev) : okVoid(w);
}

/** bitmap_find_free_region(lpi_map, nr_lpis, order): the first aligned free block */
function findFreeRegion(d: ItsDevice, n: number): number | null {
  const size = roundupPow2(n);
  for (let base = 0; base + size <= d.nrEvents; base += size) {
    let free = true;
    for (let e = base; e < base + size && free; e++) if (d.events.includes(e)) free = false;
    if (free) return base;
  }
  return null;
}

/** its_select_cpu(): an online CPU of the irq's affinity, else any online CPU */
function selectCpu(w: World, virq: Virq): CpuId {
  const online = onlineCpus(w);
  return intersect(w.irqs[virq]!.affinity, online)[0] ?? online[0] ?? 0;
}

/**
 * itsIrqDomainAlloc() - event ids for @n interrupts from the its_device the prepare step set up
 * (a freed one is a stale pointer in msi_alloc_info); -ENOSPC when the ITT has no room
 * Kernel: irq-gic-v3-its.c its_irq_domain_alloc(), its_alloc_device_irq()
 */
function itsIrqDomainAlloc(w: World, lvl: number, virq: Virq, n: number, arg: AllocArg): Outcome<void> {
  const its = w.platform.its!;
  const devId = arg.dev;
  const d = devId === null ? undefined : its.devices[devId];
  if (devId === null) return err(w, 'EINVAL', 'its_irq_domain_alloc without a prepared device');
  if (!d)
    return uaf(
      w,
      `its_irq_domain_alloc: the its_device of ${w.devices[devId]?.name ?? `device #${devId}`} named by msi_alloc_info was freed`,
    );
  const base = findFreeRegion(d, n);
  if (base === null)
    return err(w, 'ENOSPC', `${w.devices[devId]?.name}: no ${n} free events in an ITT of ${d.nrEvents}`);
  const events = Array.from({ length: n }, (_, i) => base + i);
  let out = putIts(w, {
    ...its,
    devices: recPut(its.devices, devId, { ...d, events: [...d.events, ...events].sort((a, b) => a - b) }),
  });
  for (let i = 0; i < n; i++) {
    const chip: ItsChipData = { kind: 'its', itsDev: devId, event: base + i, cpu: selectCpu(out, virq + i) };
    out = putLevel(out, virq + i, lvl, { ...levelOf(out, virq + i, lvl), hwirq: d.lpiBase + base + i, chip });
    // GIC-ITS interrupts move in process context (its_set_affinity(): MOVI)
    out = updIrq(out, virq + i, (x) => ({ ...x, movePcntxt: true }));
  }
  return okVoid(out);
}

/**
 * itsIrqDomainFree() - give the events back. No ITS command: the translation of an event is
 * DISCARDed by deactivation, which the core does before the free (msi_domain_free_irqs(), fix
 * dbbc93576e03); an event still mapped here stays mapped in the ITT. Before the 2025 teardown series the last free of
 * an unshared device also freed the device ("mopping the floor").
 * Kernel: irq-gic-v3-its.c its_irq_domain_free()
 */
function itsIrqDomainFree(w: World, lvl: number, virq: Virq, n: number): World {
  let out = w;
  for (let i = 0; i < n; i++) {
    const l = out.irqs[virq + i]?.levels[lvl];
    if (!l) continue;
    const c = l.chip as ItsChipData | null;
    out = putLevel(out, virq + i, lvl, { ...l, chip: null, programmed: false });
    const its = out.platform.its!;
    const d = c ? its.devices[c.itsDev] : undefined;
    if (!c || !d) continue;
    const nd: ItsDevice = { ...d, events: d.events.filter((e) => e !== c.event) };
    // B39: before 713335b6ee29/03c298760ed9 (the .msi_teardown() series, with 1396e89e09f0) the
    // last free of an unshared device freed it, whatever domain it was prepared for
    const mop = hasFault(w.profile, 'B39') && !nd.shared && nd.events.length === 0;
    out = putIts(out, { ...its, devices: mop ? recDel(its.devices, c.itsDev) : recPut(its.devices, c.itsDev, nd) });
  }
  return out;
}

/** the its_device state of the event at @virq's ITS level @lvl, if the device is still there */
function eventOf(w: World, virq: Virq, lvl: number): { c: ItsChipData; d: ItsDevice } | null {
  const c = levelOf(w, virq, lvl).chip as ItsChipData | null;
  const d = c ? w.platform.its?.devices[c.itsDev] : undefined;
  return c && d ? { c, d } : null;
}

const putMapped = (w: World, d: ItsDevice, mapped: readonly number[]): World =>
  putIts(w, {
    ...w.platform.its!,
    devices: recPut(w.platform.its!.devices, d.dev, { ...d, mapped: [...mapped].sort((a, b) => a - b) }),
  });

/**
 * an ITS command for an event with no translation: the ITS stops at it with a command error
 * (GICv3 architecture: MOVI/DISCARD of an unmapped (DeviceID, EventID) is UNMAPPED_INTERRUPT);
 * the first one is kept as hardware state
 */
const cmdError = (w: World, what: string): World =>
  w.platform.its!.cmdError ? w : putIts(w, { ...w.platform.its!, cmdError: what });

/**
 * its_irq_domain_activate(): its_select_cpu(), then MAPTI (device, event) -> (LPI, collection);
 * the effective affinity follows
 * Kernel: irq-gic-v3-its.c its_irq_domain_activate(), its_send_mapti()
 */
function itsIrqDomainActivate(w: World, lvl: number, virq: Virq): Outcome<void> {
  const l = levelOf(w, virq, lvl);
  const c = l.chip as ItsChipData;
  const cpu = selectCpu(w, virq);
  let out = putLevel(w, virq, lvl, { ...l, programmed: true, chip: { ...c, cpu } });
  const e = eventOf(out, virq, lvl);
  if (e) out = putMapped(out, e.d, [...(e.d.mapped ?? []).filter((x) => x !== e.c.event), e.c.event]);
  return okVoid(updIrq(out, virq, (x) => ({ ...x, effective: [cpu] })));
}

/**
 * its_irq_domain_deactivate(): DISCARD (device, event): the translation goes
 * Kernel: irq-gic-v3-its.c its_irq_domain_deactivate(), its_send_discard()
 */
function itsIrqDomainDeactivate(w: World, lvl: number, virq: Virq): World {
  let out = putLevel(w, virq, lvl, { ...levelOf(w, virq, lvl), programmed: false });
  const e = eventOf(out, virq, lvl);
  if (!e) return out;
  const name = w.devices[e.c.itsDev]?.name ?? `device #${e.c.itsDev}`;
  if (!(e.d.mapped ?? []).includes(e.c.event))
    out = cmdError(out, `DISCARD of unmapped event ${e.c.event} of ${name} (irq ${virq})`);
  return putMapped(
    out,
    e.d,
    (e.d.mapped ?? []).filter((x) => x !== e.c.event),
  );
}

/**
 * itsSetAffinity() - retarget the event to a CPU of @dest (MOVI); the device message is unchanged
 * Kernel: irq-gic-v3-its.c its_set_affinity(), its_send_movi()
 */
export function itsSetAffinity(w: World, virq: Virq, lvl: number, dest: readonly CpuId[]): Outcome<void> {
  const l = levelOf(w, virq, lvl);
  const cpu = dest[0]!;
  const prev = (l.chip as ItsChipData).cpu;
  let out = putLevel(w, virq, lvl, { ...l, chip: { ...(l.chip as ItsChipData), cpu } });
  const e = eventOf(out, virq, lvl);
  // MOVI only when the collection changes (cpu != col_map[id])
  if (e && cpu !== prev && !(e.d.mapped ?? []).includes(e.c.event)) {
    out = cmdError(
      out,
      `MOVI of unmapped event ${e.c.event} of ${w.devices[e.c.itsDev]?.name ?? `device #${e.c.itsDev}`} (irq ${virq})`,
    );
  }
  return okVoid(updIrq(out, virq, (x) => ({ ...x, effective: [cpu] })));
}

/** its_irq_compose_msi_msg(): GITS_TRANSLATER and the event id */
export function itsIrqComposeMsiMsg(_w: World, below: ChipData): MsiMsg {
  const c = below as ItsChipData;
  return { format: 'its', dev: c.itsDev, event: c.event };
}

export const itsDomainOps: DomainOps = {
  alloc: itsIrqDomainAlloc,
  free: itsIrqDomainFree,
  activate: (w, lvl, virq) => itsIrqDomainActivate(w, lvl, virq),
  deactivate: itsIrqDomainDeactivate,
};
