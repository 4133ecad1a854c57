/*
 * src/generate/op-specs.ts - for every operation: which handles it can be given now, and how a
 * step's choices become its arguments (the guard beside the operation, as in Hypothesis' rules)
 *
 * legal: only calls whose documented preconditions hold (the kernel must stay consistent).
 * any:   misuse allowed - removed domains, freed virqs, unbinding with interrupts live, ...
 */
import type { Op, OpOf, OpType } from '../../models/ops.ts';
import { opTypes } from '../../models/ops.ts';
import type { CoreClient, CpuId, Device, World } from '../../models/world/types.ts';
import { Choices, maybeFail } from './choices.ts';
import { allDomainIds, anyVirqs, boundDevices, coreAllocsOf, deviceVirqs, domainUsers, hasPlainAction, irqDevice, liveDevices, liveDomains, liveIrqs, liveMaps } from './handles.ts';
import { onlineCpus } from '../../models/world/world.ts';
import { TEST_DRIVER } from '../../models/drivers/base/device.ts';
import { IDXD_DRIVER } from '../../models/drivers/dma/idxd/idxd.ts';
import { dsaOpSpecs } from './dsa-op-specs.ts';
import { KERNEL_DESIGN } from '../../models/designs/index.ts';
import { ioapicOpSpecs } from './ioapic-op-specs.ts';
import { mbigenMapping, mbigenPins } from '../../models/drivers/irqchip/mbigen.ts';
import { recValues } from '../../models/world/util.ts';
import { VMD_DRIVER, vmdConfigOf, vmdControllers } from '../../models/drivers/pci/controller/vmd.ts';
import { MAX_TASKS, tasksOf } from '../../models/kernel/irq/concurrency.ts';
import { msiIrqsFiles } from '../../models/kernel/irq/msi-sysfs.ts';
import { irqLineOf, lineIrqHolders } from '../../models/kernel/irq/irq-mapping.ts';

export type Mode = 'legal' | 'any';

export interface OpSpec<K extends OpType> {
  /** the handles this operation can be applied to now; empty = not enabled */
  readonly candidates: (w: World, mode: Mode) => readonly unknown[];
  /** turn one candidate and the step's remaining choices into the operation */
  readonly build: (w: World, mode: Mode, c: Choices, cand: never) => OpOf<K>;
  /**
   * candidates worth trying first: half the time the pick is among these (when some are and
   * some are not), so that the generator goes where the state has something to lose
   */
  readonly prefer?: (w: World, cand: never) => boolean;
}

const clients: readonly CoreClient[] = ['client0', 'client1'];
export const IMS_TEST_HWSIZE = 16;


const cpuList = (w: World): CpuId[] => w.cpuOnline.map((_, i) => i);
const pci = (d: Device) => d.bus === 'pci';
const v62 = (w: World) => w.profile.version !== '5.10';

/** the legal-caller guard of unbind: nothing the driver took outside devres is left */
function canUnbindCleanly(w: World, d: Device): boolean {
  const managed = d.devres.some((e) => e.kind === 'pcim-enable');
  if (d.msiEnabled !== null && !managed) return false;
  if (deviceVirqs(w, d.id).some(hasPlainAction)) return false;
  if (Object.keys(d.msiData?.stores[1] ?? {}).length > 0) return false;
  if (d.msiList.some((id) => !w.descs[id]?.isMsix && w.descs[id] && d.bus === 'platform')) return false;
  if (d.platformDevid !== null || (d.msiData?.platformDevid ?? null) !== null) return false;
  return true;
}

/**
 * the legal-caller guard of a VMD unbind: vmd_remove() deletes every child device, so each must
 * be unbound without anything left, or held by the test driver in a state it can unbind from
 */
function vmdCanRemove(w: World, d: Device): boolean {
  for (const c of w.vmd?.[d.id]?.children ?? []) {
    const cd = w.devices[c];
    if (!cd || cd.released || !cd.present) continue;
    if (cd.driver === null ? cd.msiEnabled !== null || deviceVirqs(w, c).length > 0 : cd.driver !== TEST_DRIVER || !canUnbindCleanly(w, cd)) return false;
  }
  return true;
}

type Specs = { readonly [K in OpType]: OpSpec<K> };

/** devices bound to the generic test driver: the only ones a legal generic caller drives */
const testBoundCache = new WeakMap<World['devices'], Device[]>();
const testBound = (w: World): Device[] => {
  let v = testBoundCache.get(w.devices);
  if (!v) testBoundCache.set(w.devices, (v = boundDevices(w).filter((d) => d.driver === TEST_DRIVER)));
  return v;
};

export const opSpecs: Specs = {
  pciAllocIrqVectors: {
    candidates: (w, mode) => (mode === 'legal' ? testBound(w).filter((d) => pci(d) && d.msiEnabled === null) : liveDevices(w).filter(pci)),
    build: (w, mode, c, d: Device) => {
      const irqType = d.msixTableSize > 0 && (d.msiVectors === 0 || c.oneIn(2)) ? 'msix' : 'msi';
      const cap = Math.max(1, irqType === 'msix' ? d.msixTableSize : d.msiVectors);
      const max = c.int(1, cap);
      const min = mode === 'legal' ? c.int(1, max) : c.int(1, cap + 1);
      return { type: 'pciAllocIrqVectors', dev: d.id, min, max, irqType, affinity: c.oneIn(3), fail: maybeFail(c) };
    },
  },
  pciFreeIrqVectors: {
    candidates: (w, mode) =>
      mode === 'legal'
        ? testBound(w).filter((d) => pci(d) && d.msiEnabled !== null && !deviceVirqs(w, d.id).some((v) => v.action && (v.owner?.kind !== 'msi' || w.descs[v.owner.desc]?.domid === 0)))
        : liveDevices(w).filter((d) => pci(d)),
    build: (_w, _m, _c, d: Device) => ({ type: 'pciFreeIrqVectors', dev: d.id }),
  },
  requestIrq: {
    candidates: (w, mode) =>
      mode === 'legal'
        ? liveIrqs(w).filter((v) => {
            if (v.action || v.owner?.kind === 'dmar') return false;
            const dev = irqDevice(w, v);
            return dev === null || (w.devices[dev]!.driver === TEST_DRIVER && !w.devices[dev]!.released);
          })
        : anyVirqs(w),
    build: (w, mode, c, v) => {
      const virq = typeof v === 'number' ? v : (v as { virq: number }).virq;
      const d = w.irqs[virq];
      const dev = d ? irqDevice(w, d) : null;
      // devm only for PCI MSI/MSI-X vectors: a devm IMS or platform-MSI handler could never be
      // freed before its interrupt, so a legal driver could not unbind any more
      const desc = d?.owner?.kind === 'msi' ? w.descs[d.owner.desc] : undefined;
      const devmOk = dev !== null && w.devices[dev]!.driver !== null && w.devices[dev]!.bus === 'pci' && desc?.domid === 0;
      const devm = devmOk && c.oneIn(2);
      return { type: 'requestIrq', virq, dev, devm: mode === 'legal' ? devm : devm || (dev !== null && c.oneIn(3)) };
    },
  },
  freeIrq: {
    candidates: (w, mode) =>
      mode === 'legal'
        ? liveIrqs(w)
            .filter((v) => hasPlainAction(v) && v.owner?.kind !== 'dmar' && (v.action!.dev === null || w.devices[v.action!.dev]?.driver === TEST_DRIVER))
            .map((v) => v.virq)
        : anyVirqs(w),
    build: (_w, _m, _c, virq: number) => ({ type: 'freeIrq', virq }),
  },
  irqSetAffinity: {
    // the affinity of a managed irq is the kernel's: a driver does not set it
    candidates: (w, mode) => (mode === 'legal' ? liveIrqs(w).filter((v) => !v.managed).map((v) => v.virq) : anyVirqs(w)),
    build: (w, _m, c, virq: number) => ({ type: 'irqSetAffinity', virq, cpus: c.subset(cpuList(w)), fromUser: c.oneIn(3) }),
  },
  deviceFireIrq: {
    candidates: (w) => liveIrqs(w).filter((v) => v.activated).map((v) => v.virq),
    build: (_w, _m, _c, virq: number) => ({ type: 'deviceFireIrq', virq }),
    // an interrupt that has work to do on arrival: a pending affinity to apply, a move to complete
    prefer: (w, virq: number) => {
      const d = w.irqs[virq];
      return !!d && (d.pendingAffinity !== null || d.levels.some((l) => l.chip?.kind === 'vector' && l.chip.moveInProgress));
    },
  },
  cpuOffline: {
    candidates: (w) => (onlineCpus(w).length > 1 ? onlineCpus(w) : []),
    build: (_w, _m, _c, cpu: number) => ({ type: 'cpuOffline', cpu }),
    // a CPU some irq has a vector on (its target, or the old one of a move not cleaned up yet)
    prefer: (w, cpu: number) => (w.matrix.maps[cpu]?.allocMap.length ?? 0) > 0,
  },
  cpuOnline: {
    candidates: (w) => cpuList(w).filter((c) => !w.cpuOnline[c]),
    build: (_w, _m, _c, cpu: number) => ({ type: 'cpuOnline', cpu }),
  },
  pciMsixAllocIrqAt: {
    candidates: (w, mode) => (v62(w) ? (mode === 'legal' ? testBound(w) : liveDevices(w)).filter((d) => pci(d) && d.msiEnabled === 'msix') : []),
    build: (_w, _m, c, d: Device) => ({ type: 'pciMsixAllocIrqAt', dev: d.id, index: c.oneIn(2) ? 'any' : c.int(0, d.msixTableSize - 1), fail: maybeFail(c) }),
  },
  pciMsixFreeIrq: {
    candidates: (w, mode) => {
      // legal: only where dynamic MSI-X is possible (pci_msix_can_alloc_dyn(); not on a GIC-ITS)
      const devs = mode === 'any' ? liveDevices(w) : testBound(w).filter((d) => d.msiEnabled === 'msix' && (w.domains[d.msiData?.domains[0] ?? -1]?.msiInfo?.allocDyn ?? true));
      const live = devs.flatMap((d) => liveMaps(w, d.id, 0).filter((m) => mode === 'any' || !w.irqs[m.irq]?.action).map((m) => ({ dev: d.id, index: m.msiIndex, virq: m.irq })));
      const stale = mode === 'any' ? w.recentFrees.flatMap((f) => (f.kind === 'map' && f.domid === 0 ? [{ dev: f.dev, index: f.index, virq: f.virq }] : [])) : [];
      return v62(w) ? [...live, ...stale] : [];
    },
    build: (_w, _m, _c, m: { dev: number; index: number; virq: number }) => ({ type: 'pciMsixFreeIrq', ...m }),
  },
  pciCreateImsDomain: {
    candidates: (w, mode) => (v62(w) ? (mode === 'legal' ? testBound(w) : liveDevices(w)).filter((d) => pci(d) && (mode === 'any' || (d.msiData?.domains[1] ?? null) === null)) : []),
    build: (_w, _m, _c, d: Device) => ({ type: 'pciCreateImsDomain', dev: d.id, hwsize: IMS_TEST_HWSIZE }),
  },
  pciImsAllocIrq: {
    candidates: (w, mode) => (v62(w) ? (mode === 'legal' ? testBound(w) : liveDevices(w)).filter((d) => (d.msiData?.domains[1] ?? null) !== null) : []),
    build: (_w, _m, c, d: Device) => ({ type: 'pciImsAllocIrq', dev: d.id, icookie: c.int(1, 3), fail: maybeFail(c) }),
  },
  pciImsFreeIrq: {
    candidates: (w, mode) => {
      const devs = mode === 'any' ? liveDevices(w) : testBound(w);
      const live = devs.flatMap((d) => liveMaps(w, d.id, 1).filter((m) => mode === 'any' || !w.irqs[m.irq]?.action).map((m) => ({ dev: d.id, index: m.msiIndex, virq: m.irq })));
      const stale = mode === 'any' ? w.recentFrees.flatMap((f) => (f.kind === 'map' && f.domid === 1 ? [{ dev: f.dev, index: f.index, virq: f.virq }] : [])) : [];
      return [...live, ...stale];
    },
    build: (_w, _m, _c, m: { dev: number; index: number; virq: number }) => ({ type: 'pciImsFreeIrq', ...m }),
  },
  msiDomainAllocIrqsRange: {
    candidates: (w, mode) => (v62(w) ? (mode === 'legal' ? testBound(w) : liveDevices(w)).filter((d) => (d.msiData?.domains[1] ?? null) !== null) : []),
    build: (_w, mode, c, d: Device) => {
      const first = c.int(0, mode === 'legal' ? IMS_TEST_HWSIZE - 3 : IMS_TEST_HWSIZE);
      return { type: 'msiDomainAllocIrqsRange', dev: d.id, domid: 1, first, last: first + c.int(0, 2), fail: maybeFail(c) };
    },
  },
  msiDomainFreeIrqsRange: {
    candidates: (w, mode) =>
      v62(w)
        ? liveDevices(w).flatMap((d) =>
            liveMaps(w, d.id, 1)
              .filter((m) => mode === 'any' || (d.driver === TEST_DRIVER && !w.irqs[m.irq]?.action))
              .map((m) => ({ dev: d.id, index: m.msiIndex })),
          )
        : [],
    build: (w, mode, c, x: { dev: number; index: number }) => {
      // a legal caller frees only its own slots that have no handler installed
      const next = w.devices[x.dev]!.msiData!.stores[1][x.index + 1];
      const nextIrq = next === undefined ? 0 : w.descs[next]!.irq;
      const wider = x.index + 1 < IMS_TEST_HWSIZE && (mode === 'any' || !w.irqs[nextIrq]?.action);
      return { type: 'msiDomainFreeIrqsRange', dev: x.dev, domid: 1, first: x.index, last: x.index + (wider ? c.int(0, 1) : 0) };
    },
  },
  msiRemoveDeviceIrqDomain: {
    candidates: (w, mode) =>
      v62(w)
        ? liveDevices(w).flatMap((d) =>
            ([0, 1] as const)
              .filter((domid) => (d.msiData?.domains[domid] ?? null) !== null)
              .filter((domid) => mode === 'any' || (domid === 1 && d.driver === TEST_DRIVER && Object.keys(d.msiData!.stores[1]).length === 0))
              .map((domid) => ({ dev: d.id, domid })),
          )
        : [],
    build: (_w, _m, _c, x: { dev: number; domid: 0 | 1 }) => ({ type: 'msiRemoveDeviceIrqDomain', ...x }),
  },
  platformMsiCreateIrqDomain: {
    candidates: (w, mode) => {
      const callerDomains = Object.values(w.domains).filter((d) => d.creator === 'caller').length;
      if (callerDomains >= 2) return [];
      // no x86 vector domain (a GIC-ITS platform): its platform-MSI domain exists from boot
      if (!w.domains[w.vectorDomain] && mode === 'legal') return [];
      return mode === 'legal' ? [w.vectorDomain] : allDomainIds(w);
    },
    build: (_w, _m, _c, parent: number) => ({ type: 'platformMsiCreateIrqDomain', parent }),
  },
  devSetMsiDomain: {
    candidates: (w, mode) => {
      if (mode === 'any') return liveDevices(w);
      const targets = Object.values(w.domains).some((d) => d.busToken === 'PLATFORM_MSI');
      // a device another driver owns (the mbigen) is not the generic caller's to repoint
      return targets ? liveDevices(w).filter((d) => d.bus === 'platform' && d.platformDevid === null && (d.msiData?.platformDevid ?? null) === null && (d.driver === null || d.driver === TEST_DRIVER)) : [];
    },
    build: (w, mode, c, d: Device) => {
      const plat = Object.values(w.domains).filter((x) => x.busToken === 'PLATFORM_MSI').map((x) => x.id);
      const domain = mode === 'legal' ? c.pick(plat) : c.oneIn(6) ? null : c.pick([...allDomainIds(w)]);
      return { type: 'devSetMsiDomain', dev: d.id, domain };
    },
  },
  platformMsiDomainAllocIrqs: {
    candidates: (w, mode) =>
      mode === 'legal'
        ? testBound(w).filter((d) => d.bus === 'platform' && d.msiDomain !== null && w.domains[d.msiDomain]?.busToken === 'PLATFORM_MSI' && d.platformDevid === null && (d.msiData?.platformDevid ?? null) === null)
        : liveDevices(w),
    build: (_w, _m, c, d: Device) => ({ type: 'platformMsiDomainAllocIrqs', dev: d.id, nvec: c.int(1, 4), fail: maybeFail(c) }),
  },
  platformMsiDomainFreeIrqs: {
    candidates: (w, mode) =>
      mode === 'legal'
        ? testBound(w).filter((d) => (d.platformDevid !== null || (d.msiData?.platformDevid ?? null) !== null) && !deviceVirqs(w, d.id).some((v) => v.action))
        : liveDevices(w),
    build: (_w, _m, _c, d: Device) => ({ type: 'platformMsiDomainFreeIrqs', dev: d.id }),
  },
  irqDomainAllocIrqs: {
    candidates: (w, mode) => (coreAllocsOf(w).length >= 4 ? [] : mode === 'legal' ? (w.domains[w.vectorDomain] ? [w.vectorDomain] : []) : allDomainIds(w)),
    build: (w, _m, c, domain: number) => ({ type: 'irqDomainAllocIrqs', client: c.pick(clients), domain, n: c.int(1, 2), cpus: c.oneIn(3) ? c.subset(cpuList(w)) : null, fail: maybeFail(c) }),
  },
  irqDomainFreeIrqs: {
    candidates: (w, mode) => {
      const live = coreAllocsOf(w)
        .filter((a) => mode === 'any' || !Array.from({ length: a.count }, (_, i) => w.irqs[a.base + i]).some((v) => v?.action))
        .map((a) => ({ client: a.client, virq: a.base, n: a.count }));
      if (mode === 'legal') return live;
      const stale = w.recentFrees.flatMap((f) => (f.kind === 'core' ? [{ client: f.client, virq: f.base, n: f.count }] : []));
      const foreign = liveIrqs(w).filter((v) => v.owner?.kind === 'msi').map((v) => ({ client: 'client0' as const, virq: v.virq, n: 1 }));
      return [...live, ...stale, ...foreign];
    },
    build: (_w, _m, _c, x: { client: CoreClient; virq: number; n: number }) => ({ type: 'irqDomainFreeIrqs', ...x }),
  },
  irqDomainRemove: {
    // a domain still being created is its creator's: nobody else removes it
    candidates: (w, mode) =>
      mode === 'legal'
        ? liveDomains(w).filter((id) => w.domains[id]!.creator === 'caller' && domainUsers(w, id) === 0 && !tasksOf(w).some((t) => t.kind === 'domain-create' && t.domain === id))
        : allDomainIds(w),
    build: (_w, _m, _c, domain: number) => ({ type: 'irqDomainRemove', domain }),
  },
  driverProbe: {
    // a DSA PF gets idxd in legal runs; the test driver binds anything only when misuse is allowed
    candidates: (w, mode) => liveDevices(w).filter((d) => d.present && d.driver === null && d.bus !== 'mdev' && (mode === 'any' || (!w.dsa[d.id] && !vmdConfigOf(w, d.id)))),
    build: (_w, _m, c, d: Device) => ({ type: 'driverProbe', dev: d.id, managed: c.oneIn(2), fail: c.oneIn(8) }),
  },
  deviceReleaseDriver: {
    // idxd's remove() tears everything down itself; the test driver relies on the caller
    candidates: (w, mode) => boundDevices(w).filter((d) => d.bus !== 'mdev' && (mode === 'any' || d.driver === IDXD_DRIVER || (d.driver === TEST_DRIVER && canUnbindCleanly(w, d)) || (d.driver === VMD_DRIVER && vmdCanRemove(w, d)))),
    build: (_w, _m, _c, d: Device) => ({ type: 'deviceReleaseDriver', dev: d.id }),
  },
  deviceUnregister: {
    candidates: (w, mode) =>
      liveDevices(w).filter(
        (d) =>
          d.present &&
          (mode === 'any' || d.bus !== 'mdev') &&
          (mode === 'any' ||
            (d.driver === null && d.msiEnabled === null && d.msiList.length === 0 && !d.msiData && !Object.values(w.domains).some((x) => x.dev === d.id))),
      ),
    build: (_w, _m, _c, d: Device) => ({ type: 'deviceUnregister', dev: d.id }),
  },
  irqCreateFwspecMapping: {
    // a consumer of a wired pin of an mbigen: legal ones map pins not yet mapped (a second
    // lookup returns the same virq); a careless one also names a pin beyond the mbigen's
    candidates: (w, mode) => {
      if (!w.its) return [];
      return recValues(w.domains)
        .filter((d) => d.kind === 'mbigen' && d.dev !== null)
        .flatMap((d) => {
          const pins = mbigenPins(w, d.dev!);
          return Array.from({ length: mode === 'legal' ? pins : pins + 1 }, (_, pin) => ({ dev: d.dev!, pin })).filter((x) => mode === 'any' || mbigenMapping(w, d.id, x.pin) === null);
        });
    },
    build: (_w, _m, _c, x: { dev: number; pin: number }) => ({ type: 'irqCreateFwspecMapping', ...x }),
  },
  irqDisposeMapping: {
    // legal: a mapped wired interrupt with no handler; careless: any virq it may still hold
    candidates: (w, mode) => {
      if (!w.its) return [];
      if (mode === 'any') return anyVirqs(w);
      return liveIrqs(w)
        .filter((v) => !v.action && w.domains[v.levels[0]!.domain]?.kind === 'mbigen')
        .map((v) => v.virq);
    },
    build: (_w, _m, _c, virq: number) => ({ type: 'irqDisposeMapping', virq }),
  },

  dmarSetInterrupt: {
    // only where the platform models the DMAR fault interrupt; a unit that has one is done
    candidates: (w) => (w.config.dmarFaultIrq ? w.units.filter((u) => u.present && !u.faultIrq).map((u) => u.id) : []),
    build: (_w, _m, _c, unit: number) => ({ type: 'dmarSetInterrupt', unit }),
  },
  hvEjectDevice: {
    // the host may eject any function still on the Hyper-V PCI bus, whatever the guest is doing
    candidates: (w) => (w.hvChildren ?? []).map((id) => w.devices[id]!).filter((d) => d && !d.released),
    build: (_w, _m, _c, d: Device) => ({ type: 'hvEjectDevice', dev: d.id }),
  },
  vmdProbe: {
    // the VMD driver binds its controllers (a legal caller binds nothing else there)
    candidates: (w) => vmdControllers(w).map((id) => w.devices[id]!).filter((d) => d.present && d.driver === null),
    build: (_w, _m, c, d: Device) => ({ type: 'vmdProbe', dev: d.id, fail: maybeFail(c) }),
  },

  ...dsaOpSpecs,
  ...ioapicOpSpecs,

  // concurrent tasks (models/kernel/irq/concurrency.ts), only on a platform that runs them
  msiIrqsShow: {
    // anyone may read sysfs: every msi_irqs/<irq> file of every device, legal or not
    candidates: (w) =>
      w.config.concurrency && tasksOf(w).length < MAX_TASKS ? liveDevices(w).flatMap((d) => msiIrqsFiles(w, d.id).map((virq) => ({ dev: d.id, virq }))) : [],
    build: (_w, _m, _c, x: { dev: number; virq: number }) => ({ type: 'msiIrqsShow', ...x }),
  },
  taskResume: {
    candidates: (w) => tasksOf(w).map((t) => t.id),
    build: (_w, _m, _c, task: number) => ({ type: 'taskResume', task }),
  },
  // a driver maps its interrupt line once (platform_get_irq() in probe); only with a wired controller
  irqCreateLineMapping: {
    candidates: (w, mode) => {
      if (!w.config.wired || tasksOf(w).length >= MAX_TASKS) return [];
      const busy = (d: Device) => tasksOf(w).some((t) => t.kind === 'fwspec-mapping' && t.dev === d.id);
      const devs = mode === 'legal' ? testBound(w).filter((d) => w.lineIrqs?.[d.id] === undefined && !busy(d)) : liveDevices(w);
      return devs.filter((d) => irqLineOf(w, d.id) !== null);
    },
    build: (_w, _m, _c, d: Device) => ({ type: 'irqCreateLineMapping', dev: d.id }),
  },
  // the last user of a mapping disposes of it, with no handler left on it
  irqDisposeLineMapping: {
    candidates: (w, mode) =>
      Object.entries(w.lineIrqs ?? {})
        .map(([dev, virq]) => ({ dev: Number(dev), virq }))
        .filter((x) => mode === 'any' || (w.devices[x.dev]?.driver === TEST_DRIVER && lineIrqHolders(w, x.virq).length === 1 && !w.irqs[x.virq]?.action))
        .map((x) => w.devices[x.dev]!),
    build: (_w, _m, _c, d: Device) => ({ type: 'irqDisposeLineMapping', dev: d.id }),
  },
};

/**
 * How often an enabled operation is picked, relative to 10. Teardown that ends a device's or a
 * unit's story (unregister, DMAR hot-remove, domain removal) is rare for every caller.
 */
const teardownWeights: Partial<Readonly<Record<OpType, number>>> = {
  deviceUnregister: 1,
  dmarHotRemove: 1,
  dmarHotAdd: 4,
  irqDomainRemove: 2,
  deviceReleaseDriver: 3,
  platformMsiCreateIrqDomain: 3,
  devSetMsiDomain: 4,
  // drivers map their interrupt line as they probe: as common as a probe
  irqCreateLineMapping: 25,
};

/** the generic caller of the kernel model: every other call as likely as any other */
export const callerWeights: Partial<Readonly<Record<OpType, number>>> = teardownWeights;

/**
 * A driver-level workload (a design installed, or a mix focused on the DSA stack): the long set-ups in front of the interesting
 * states (a configured DSA with open mdevs) are favoured, so that they get built.
 */
export const driverWeights: Partial<Readonly<Record<OpType, number>>> = {
  ...teardownWeights,
  idxdProbe: 20,
  idxdWqConfig: 25,
  idxdEngineConfig: 20,
  idxdDeviceEnable: 20,
  idxdWqEnable: 25,
  mdevCreate: 30,
  mdevOpen: 30,
  dsaImsInterrupt: 15,
};

/** driver-level weights for a design's workload and for a mix the user focused; the generic caller's otherwise */
const weightsFor = (w: World, universe: readonly OpType[]): Partial<Readonly<Record<OpType, number>>> =>
  w.design === KERNEL_DESIGN && universe === opTypes ? callerWeights : driverWeights;

/** one step: pick among the enabled operations (by weight), then its arguments */
export function chooseOp(w: World, mode: Mode, choices: readonly number[], types: readonly OpType[], universe: readonly OpType[] = opTypes, recent: ReadonlySet<string> = noRecent): Op {
  const c = new Choices(choices);
  // a careless caller is mostly careful: one step in four may misuse, the others follow the
  // rules, so runs still reach deep states (a configured DSA with open mdevs) before the misuse
  let stepMode: Mode = mode === 'any' && c.nat() % 4 !== 0 ? 'legal' : mode;
  const weights = weightsFor(w, universe);
  let { enabled, total } = enabledOps(w, stepMode, types, weights);
  if (enabled.length === 0 && stepMode !== mode) ({ enabled, total } = enabledOps(w, (stepMode = mode), types, weights));
  // a swarm subset can leave nothing enabled: then every type of the campaign is allowed (CPU
  // hotplug always is)
  if (enabled.length === 0) ({ enabled, total } = enabledOps(w, stepMode, universe, weights));
  // choice 0 picks the first enabled operation, so shrinking towards 0 stays meaningful
  let r = c.nat() % total;
  let e = enabled[0]!;
  for (const x of enabled) {
    r -= weights[x.type] ?? 10;
    if (r < 0) {
      e = x;
      break;
    }
  }
  const spec = opSpecs[e.type] as OpSpec<OpType>;
  return spec.build(w, stepMode, c, pickCandidate(w, e.type, spec, e.cands, c, recent) as never);
}

const noRecent: ReadonlySet<string> = new Set();

/** the irq or CPU a candidate names, as the key handleKeys() gives (other handles: none) */
function candidateKeys(type: OpType, x: unknown): string[] {
  if (typeof x === 'number') {
    if (type === 'cpuOffline' || type === 'cpuOnline') return [`cpu:${x}`];
    // the other plain numbers are virqs, domains and units
    return ['irqDomainRemove', 'irqDomainAllocIrqs', 'platformMsiCreateIrqDomain', 'dmarHotAdd', 'dmarHotRemove'].includes(type) ? [] : [`virq:${x}`];
  }
  const o = x as Record<string, unknown>;
  return typeof o.virq === 'number' ? [`virq:${o.virq}`] : []; // an irq_desc, an msi_map
}

/**
 * handleKeys() - the irqs and CPUs an operation names or returned, as 'virq:n' / 'cpu:n' keys;
 * the generator prefers them for the next steps. Only irq-level handles: preferring recent
 * devices and mdevs was measured to starve the device-level stories (a PF removed under an open
 * mdev) of the other handles they need.
 */
export function handleKeys(o: Readonly<Record<string, unknown>>, value?: unknown): string[] {
  const keys: string[] = [];
  for (const k of ['virq', 'cpu']) if (typeof o[k] === 'number') keys.push(`${k}:${o[k]}`);
  if (Array.isArray(o.cpus)) for (const cpu of o.cpus) keys.push(`cpu:${cpu}`);
  if (typeof value === 'number' && o.type === 'irqDomainAllocIrqs') keys.push(`virq:${value}`);
  return keys;
}

/**
 * pickCandidate() - the handle an operation is applied to. Half the time (when there is a
 * choice) it is one the last steps touched or one its spec prefers: state-aware generation
 * keeps working on the same irq, device or CPU, so that multi-step stories (allocate, request,
 * move, fire, offline) happen far more often than in independent uniform picks.
 */
function pickCandidate(w: World, type: OpType, spec: OpSpec<OpType>, cands: readonly unknown[], c: Choices, recent: ReadonlySet<string>): unknown {
  if (cands.length < 2 || (!spec.prefer && recent.size === 0)) return c.pick(cands);
  const preferred = cands.filter((x) => spec.prefer?.(w, x as never) || candidateKeys(type, x).some((k) => recent.has(k)));
  if (preferred.length === 0 || preferred.length === cands.length) return c.pick(cands);
  return c.oneIn(2) ? c.pick(preferred) : c.pick(cands);
}

function enabledOps(w: World, mode: Mode, types: readonly OpType[], weights: Partial<Readonly<Record<OpType, number>>>): { enabled: { type: OpType; cands: readonly unknown[] }[]; total: number } {
  const enabled: { type: OpType; cands: readonly unknown[] }[] = [];
  let total = 0;
  for (const type of types) {
    const cands = opSpecs[type].candidates(w, mode);
    if (cands.length > 0) {
      enabled.push({ type, cands });
      total += weights[type] ?? 10;
    }
  }
  return { enabled, total };
}

/**
 * isLegalOp() - would a legal caller make this call here? Its handle (device, virq, domain,
 * mdev, unit, CPU, msi_map) must be among the legal candidates of its operation now. Used when
 * shrinking a legal-caller counterexample, so that the shrunk trace stays legal.
 */
export function isLegalOp(w: World, op: Op): boolean {
  const spec = opSpecs[op.type] as OpSpec<OpType>;
  const cands = spec.candidates(w, 'legal');
  const o = op as unknown as Record<string, unknown>;
  return cands.some((c) => {
    if (typeof c === 'number') {
      const key = ['virq', 'cpu', 'parent', 'domain', 'unit', 'task'].find((k) => typeof o[k] === 'number');
      return key !== undefined && o[key] === c;
    }
    const x = c as Record<string, unknown>;
    if ('caps' in x) return o.pf === x.dev; // a DSA PF
    if ('imsIndex' in x) return o.mdev === x.id; // an mdev
    if ('levels' in x) return o.virq === x.virq; // an irq_desc
    if ('bus' in x) return o.dev === x.id; // a device
    // a tuple of handles: every field the operation also has must agree
    return Object.entries(x).every(([k, v]) => (k === 'index' && !('index' in o) ? o.first === v : !(k in o) || k === 'pasid' || o[k] === v));
  });
}
