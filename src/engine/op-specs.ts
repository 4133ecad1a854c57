/*
 * src/engine/op-specs.ts - for every operation: which handles it can be given now, and how a
 * step's choices become its arguments (the guard beside the operation, as in Hypothesis' rules)
 *
 * legal: only calls whose documented preconditions hold (the kernel must stay consistent).
 * any:   misuse allowed - removed domains, freed virqs, unbinding with interrupts live, ...
 */
import type { Op, OpOf, OpType } from '../../models/ops.ts';
import { opTypes } from '../../models/ops.ts';
import type { CoreClient, CpuId, Device, World } from '../../models/kernel/types.ts';
import { Choices, maybeFail } from './choices.ts';
import { allDomainIds, anyVirqs, boundDevices, coreAllocsOf, deviceVirqs, domainUsers, hasPlainAction, irqDevice, liveDevices, liveDomains, liveIrqs, liveMaps } from './handles.ts';
import { onlineCpus } from '../../models/kernel/world.ts';
import { TEST_DRIVER } from '../../models/kernel/device.ts';
import { IDXD_DRIVER } from '../../models/dsa/idxd.ts';
import { dsaOpSpecs } from './dsa-op-specs.ts';
import { MAX_TASKS, tasksOf } from '../../models/kernel/concurrency.ts';
import { msiIrqsFiles } from '../../models/kernel/msi-sysfs.ts';
import { irqLineOf, lineIrqHolders } from '../../models/kernel/irq-mapping.ts';

export type Mode = 'legal' | 'any';

export interface OpSpec<K extends OpType> {
  /** the handles this operation can be applied to now; empty = not enabled */
  readonly candidates: (w: World, mode: Mode) => readonly unknown[];
  /** turn one candidate and the step's remaining choices into the operation */
  readonly build: (w: World, mode: Mode, c: Choices, cand: never) => OpOf<K>;
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
            if (v.action) return false;
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
            .filter((v) => hasPlainAction(v) && (v.action!.dev === null || w.devices[v.action!.dev]?.driver === TEST_DRIVER))
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
  },
  cpuOffline: {
    candidates: (w) => (onlineCpus(w).length > 1 ? onlineCpus(w) : []),
    build: (_w, _m, _c, cpu: number) => ({ type: 'cpuOffline', cpu }),
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
      const devs = mode === 'any' ? liveDevices(w) : testBound(w).filter((d) => d.msiEnabled === 'msix');
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
      return mode === 'legal' ? [w.vectorDomain] : allDomainIds(w);
    },
    build: (_w, _m, _c, parent: number) => ({ type: 'platformMsiCreateIrqDomain', parent }),
  },
  devSetMsiDomain: {
    candidates: (w, mode) => {
      if (mode === 'any') return liveDevices(w);
      const targets = Object.values(w.domains).some((d) => d.busToken === 'PLATFORM_MSI');
      return targets ? liveDevices(w).filter((d) => d.bus === 'platform' && d.platformDevid === null && (d.msiData?.platformDevid ?? null) === null) : [];
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
    candidates: (w, mode) => (coreAllocsOf(w).length >= 4 ? [] : mode === 'legal' ? [w.vectorDomain] : allDomainIds(w)),
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
    candidates: (w, mode) => liveDevices(w).filter((d) => d.present && d.driver === null && d.bus !== 'mdev' && (mode === 'any' || !w.dsa[d.id])),
    build: (_w, _m, c, d: Device) => ({ type: 'driverProbe', dev: d.id, managed: c.oneIn(2), fail: c.oneIn(8) }),
  },
  deviceReleaseDriver: {
    // idxd's remove() tears everything down itself; the test driver relies on the caller
    candidates: (w, mode) => boundDevices(w).filter((d) => d.bus !== 'mdev' && (mode === 'any' || d.driver === IDXD_DRIVER || (d.driver === TEST_DRIVER && canUnbindCleanly(w, d)))),
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

  ...dsaOpSpecs,

  // concurrent tasks (models/kernel/concurrency.ts), only on a platform that runs them
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
 * unit's story (unregister, DMAR hot-remove, domain removal) is rare, so that the long set-ups
 * in front of the interesting states (a configured DSA with open mdevs) get built.
 */
export const opWeights: Partial<Readonly<Record<OpType, number>>> = {
  deviceUnregister: 1,
  dmarHotRemove: 1,
  dmarHotAdd: 4,
  irqDomainRemove: 2,
  deviceReleaseDriver: 3,
  platformMsiCreateIrqDomain: 3,
  devSetMsiDomain: 4,
  idxdProbe: 20,
  idxdWqConfig: 25,
  idxdEngineConfig: 20,
  idxdDeviceEnable: 20,
  idxdWqEnable: 25,
  mdevCreate: 30,
  mdevOpen: 30,
  dsaImsInterrupt: 15,
  // a task in flight resumes like any other call: its window spans a few other calls
  taskResume: 10,
  // drivers map their interrupt line as they probe: as common as a probe
  irqCreateLineMapping: 25,
};

/** one step: pick among the enabled operations (by weight), then its arguments */
export function chooseOp(w: World, mode: Mode, choices: readonly number[], types: readonly OpType[], universe: readonly OpType[] = opTypes): Op {
  const c = new Choices(choices);
  // a careless caller is mostly careful: one step in four may misuse, the others follow the
  // rules, so runs still reach deep states (a configured DSA with open mdevs) before the misuse
  let stepMode: Mode = mode === 'any' && c.nat() % 4 !== 0 ? 'legal' : mode;
  let { enabled, total } = enabledOps(w, stepMode, types);
  if (enabled.length === 0 && stepMode !== mode) ({ enabled, total } = enabledOps(w, (stepMode = mode), types));
  // a swarm subset can leave nothing enabled: then every type of the campaign is allowed (CPU
  // hotplug always is)
  if (enabled.length === 0) ({ enabled, total } = enabledOps(w, stepMode, universe));
  // choice 0 picks the first enabled operation, so shrinking towards 0 stays meaningful
  let r = c.nat() % total;
  let e = enabled[0]!;
  for (const x of enabled) {
    r -= opWeights[x.type] ?? 10;
    if (r < 0) {
      e = x;
      break;
    }
  }
  const spec = opSpecs[e.type] as OpSpec<OpType>;
  return spec.build(w, stepMode, c, c.pick(e.cands) as never);
}

function enabledOps(w: World, mode: Mode, types: readonly OpType[]): { enabled: { type: OpType; cands: readonly unknown[] }[]; total: number } {
  const enabled: { type: OpType; cands: readonly unknown[] }[] = [];
  let total = 0;
  for (const type of types) {
    const cands = opSpecs[type].candidates(w, mode);
    if (cands.length > 0) {
      enabled.push({ type, cands });
      total += opWeights[type] ?? 10;
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
