/*
 * models/step.ts - the transition function: (world, op) -> outcome
 *
 * One exhaustive match; each branch delegates to the one kernel file that owns the rule. The
 * branches also keep the callers' bookkeeping (which direct allocations a client holds, which
 * handles were freed lately) that the lifetime invariants read.
 */
import { match } from 'ts-pattern';
import type { Op } from './ops.ts';
import type { CoreAlloc, RecentFree, World } from './world/types.ts';
import { bug, type Outcome } from './world/outcome.ts';
import { noArg } from './kernel/irq/hierarchy.ts';
import { irqDomainAllocIrqs, irqDomainFreeIrqs, irqDomainRemove } from './kernel/irq/irqdomain.ts';
import { msiDomainAllocIrqsRange, msiDomainFreeIrqsRange, msiRemoveDeviceIrqDomain } from './kernel/irq/msi.ts';
import { pciAllocIrqVectors, pciCreateImsDomain, pciFreeIrqVectors, pciImsAllocIrq, pciImsFreeIrq, pciMsixAllocIrqAt, pciMsixFreeIrq } from './drivers/pci/msi.ts';
import { platformMsiCreateIrqDomain, platformMsiDomainAllocIrqs, platformMsiDomainFreeIrqs } from './drivers/base/platform-msi.ts';
import { freeIrq, irqSetAffinity, deviceFireIrq, requestIrq } from './kernel/irq/manage.ts';
import { cpuOffline, cpuOnline } from './kernel/irq/cpuhotplug.ts';
import { devSetMsiDomain, deviceReleaseDriver, deviceUnregister, driverProbe } from './drivers/base/device.ts';
import { recDel, recPut } from './world/util.ts';
import { idxdDeviceDisable, idxdDeviceEnable, idxdEngineConfig, idxdWqConfig } from './drivers/dma/idxd/device.ts';
import { idxdProbe, idxdWqDisable, idxdWqEnable } from './drivers/dma/idxd/idxd.ts';
import { mdevCreate, mdevOpen, mdevRelease, mdevRemove } from './drivers/dma/idxd/vdcm.ts';
import { dsaImsInterrupt } from './drivers/dma/idxd/interrupts.ts';
import { dmarHotAdd, dmarHotRemove } from './drivers/iommu/intel/dmar.ts';
import { designOf } from './designs/index.ts';
import { acpiIoapicAdd, bootBugOutcome, mpMapPinToIrq, mpUnmapIrq, mpUnregisterIoapic } from './arch/x86/ioapic.ts';
import { dmarSetInterrupt } from './arch/x86/dmar-msi.ts';
import { hvEjectDevice } from './drivers/pci/controller/pci-hyperv.ts';
import { irqCreateFwspecMapping, irqDisposeMapping } from './drivers/irqchip/mbigen.ts';
import { vmdProbe } from './drivers/pci/controller/vmd.ts';
import { msiIrqsShow } from './kernel/irq/msi-sysfs.ts';
import { taskResume } from './kernel/irq/concurrency.ts';
import { irqCreateLineMapping, irqDisposeLineMapping } from './kernel/irq/irq-mapping.ts';
import './machine/index.ts'; // fills the ops tables the core looks up (the composition root)

const RECENT_FREES = 4;
const remember = (w: World, f: RecentFree): World => ({ ...w, recentFrees: [...w.recentFrees, f].slice(-RECENT_FREES) });

/** the result of a step: the outcome, and the value an allocation returned (for the trace) */
export type StepOutcome = Outcome<unknown>;

/**
 * step() - apply one operation. After BUG() or a use of freed memory the kernel is dead: the
 * outcome keeps the world as it was before the operation, nothing after it is meaningful.
 */
export function step(w: World, op: Op): StepOutcome {
  // a boot that hit BUG() (setup_IO_APIC()) left no kernel to call
  if (w.bootBug !== undefined) return bootBugOutcome(w);
  const o = dispatch(w, op);
  // a level callback without an outcome (ops->free) oopsed (ghost set by models/drivers/pci/controller/vmd.ts)
  if (o.world.crash !== undefined) return { kind: 'bug', world: w, why: o.world.crash };
  return o.kind === 'bug' || o.kind === 'use-after-free' ? { ...o, world: w } : o;
}

/** the installed design's CPU hotplug callback, after the kernel's own handling succeeded */
function afterHotplug(o: Outcome<void>, cpu: number, online: boolean): Outcome<void> {
  const hook = o.kind === 'ok' ? designOf(o.world).cpuHotplug : undefined;
  return hook ? hook(o.world, cpu, online) : o;
}

function dispatch(w: World, op: Op): StepOutcome {
  return match(op)
    .returnType<StepOutcome>()
    .with({ type: 'platformMsiCreateIrqDomain' }, (o) => {
      const r = platformMsiCreateIrqDomain(w, o.parent, `PLATFORM-MSI-${w.nextDomainId}`, { lastStep: true });
      return { kind: 'ok', world: r.w, value: r.id };
    })
    .with({ type: 'irqDomainRemove' }, (o) => irqDomainRemove(w, o.domain))
    .with({ type: 'devSetMsiDomain' }, (o) => devSetMsiDomain(w, o.dev, o.domain))
    .with({ type: 'pciCreateImsDomain' }, (o) => pciCreateImsDomain(w, o.dev, o.hwsize))
    .with({ type: 'msiRemoveDeviceIrqDomain' }, (o) => msiRemoveDeviceIrqDomain(w, o.dev, o.domid))
    .with({ type: 'irqDomainAllocIrqs' }, (o) => {
      const dom = w.domains[o.domain];
      // msi_domain_alloc() -> ops->get_hwirq(info, arg) with no msi_desc: NULL dereference
      if (dom && dom.kind === 'msi') return bug(w, `irq_domain_alloc_irqs(${dom.name}) without an msi_desc: NULL pointer dereference in get_hwirq`);
      // its_irq_domain_alloc() reads its_dev from the NULL msi_alloc_info; mbigen translates a NULL fwspec
      if (dom && (dom.kind === 'its' || dom.kind === 'mbigen')) return bug(w, `irq_domain_alloc_irqs(${dom.name}) without alloc info: NULL pointer dereference`);
      const r = irqDomainAllocIrqs(w, o.domain, o.n, { ...noArg, fail: o.fail, fixedMask: o.cpus }, { owner: { kind: 'core', alloc: w.nextCoreAlloc }, affinity: o.cpus ? Array.from({ length: o.n }, () => o.cpus!) : null, managed: false });
      if (r.kind !== 'ok') return r;
      const rec: CoreAlloc = { id: w.nextCoreAlloc, client: o.client, domain: o.domain, base: r.value, count: o.n };
      return { ...r, world: { ...r.world, coreAllocs: recPut(r.world.coreAllocs, rec.id, rec), nextCoreAlloc: rec.id + 1 } };
    })
    .with({ type: 'irqDomainFreeIrqs' }, (o) => {
      const r = irqDomainFreeIrqs(w, o.virq, o.n);
      const mine = Object.values(w.coreAllocs).find((a) => a.client === o.client && a.base === o.virq && a.count === o.n);
      let out = r.world;
      if (mine) out = { ...out, coreAllocs: recDel(out.coreAllocs, mine.id) };
      if (r.kind === 'ok') out = remember(out, { kind: 'core', client: o.client, base: o.virq, count: o.n });
      return { ...r, world: out };
    })
    .with({ type: 'requestIrq' }, (o) => requestIrq(w, o.virq, o.dev, o.devm))
    .with({ type: 'freeIrq' }, (o) => freeIrq(w, o.virq))
    .with({ type: 'irqSetAffinity' }, (o) => irqSetAffinity(w, o.virq, o.cpus, o.fromUser))
    .with({ type: 'deviceFireIrq' }, (o) => deviceFireIrq(w, o.virq))
    .with({ type: 'cpuOffline' }, (o) => afterHotplug(cpuOffline(w, o.cpu), o.cpu, false))
    .with({ type: 'cpuOnline' }, (o) => afterHotplug(cpuOnline(w, o.cpu), o.cpu, true))
    .with({ type: 'pciAllocIrqVectors' }, (o) => pciAllocIrqVectors(w, o.dev, o.min, o.max, o.irqType, o.affinity, o.fail))
    .with({ type: 'pciFreeIrqVectors' }, (o) => pciFreeIrqVectors(w, o.dev))
    .with({ type: 'pciMsixAllocIrqAt' }, (o) => pciMsixAllocIrqAt(w, o.dev, o.index, o.fail))
    .with({ type: 'pciMsixFreeIrq' }, (o) => {
      const r = pciMsixFreeIrq(w, o.dev, o.index, o.virq);
      return r.kind === 'ok' ? { ...r, world: remember(r.world, { kind: 'map', dev: o.dev, domid: 0, index: o.index, virq: o.virq }) } : r;
    })
    .with({ type: 'pciImsAllocIrq' }, (o) => pciImsAllocIrq(w, o.dev, o.icookie, o.fail))
    .with({ type: 'pciImsFreeIrq' }, (o) => {
      const r = pciImsFreeIrq(w, o.dev, o.index, o.virq);
      return r.kind === 'ok' ? { ...r, world: remember(r.world, { kind: 'map', dev: o.dev, domid: 1, index: o.index, virq: o.virq }) } : r;
    })
    .with({ type: 'msiDomainAllocIrqsRange' }, (o) => msiDomainAllocIrqsRange(w, o.dev, o.domid, o.first, o.last, o.fail))
    .with({ type: 'msiDomainFreeIrqsRange' }, (o) => msiDomainFreeIrqsRange(w, o.dev, o.domid, o.first, o.last))
    .with({ type: 'platformMsiDomainAllocIrqs' }, (o) => platformMsiDomainAllocIrqs(w, o.dev, o.nvec, o.fail))
    .with({ type: 'platformMsiDomainFreeIrqs' }, (o) => platformMsiDomainFreeIrqs(w, o.dev))
    .with({ type: 'idxdProbe' }, (o) => idxdProbe(w, o.pf, o.fail))
    .with({ type: 'idxdWqConfig' }, (o) => idxdWqConfig(w, o.pf, o.wq, { type: o.wqType, mode: o.mode, size: o.size, group: o.group }))
    .with({ type: 'idxdEngineConfig' }, (o) => idxdEngineConfig(w, o.pf, o.engine, o.group))
    .with({ type: 'idxdDeviceEnable' }, (o) => idxdDeviceEnable(w, o.pf))
    .with({ type: 'idxdDeviceDisable' }, (o) => idxdDeviceDisable(w, o.pf))
    .with({ type: 'idxdWqEnable' }, (o) => idxdWqEnable(w, o.pf, o.wq))
    .with({ type: 'idxdWqDisable' }, (o) => idxdWqDisable(w, o.pf, o.wq))
    .with({ type: 'mdevCreate' }, (o) => mdevCreate(w, o.pf, o.wq))
    .with({ type: 'mdevOpen' }, (o) => mdevOpen(w, o.mdev, o.fail))
    .with({ type: 'mdevRelease' }, (o) => mdevRelease(w, o.mdev))
    .with({ type: 'mdevRemove' }, (o) => mdevRemove(w, o.mdev))
    .with({ type: 'dsaImsInterrupt' }, (o) => dsaImsInterrupt(w, o.pf, o.slot, o.pasid))
    .with({ type: 'dmarHotRemove' }, (o) => dmarHotRemove(w, o.unit))
    .with({ type: 'dmarHotAdd' }, (o) => dmarHotAdd(w, o.unit, o.fail ?? false))
    .with({ type: 'driverProbe' }, (o) => driverProbe(w, o.dev, o.managed, o.fail))
    .with({ type: 'deviceReleaseDriver' }, (o) => deviceReleaseDriver(w, o.dev))
    .with({ type: 'deviceUnregister' }, (o) => deviceUnregister(w, o.dev))
    .with({ type: 'acpiIoapicAdd' }, (o) => acpiIoapicAdd(w, o.ioapic))
    .with({ type: 'mpUnregisterIoapic' }, (o) => mpUnregisterIoapic(w, o.ioapic))
    .with({ type: 'mpMapPinToIrq' }, (o) => mpMapPinToIrq(w, o.ioapic, o.pin))
    .with({ type: 'mpUnmapIrq' }, (o) => mpUnmapIrq(w, o.virq))
    .with({ type: 'dmarSetInterrupt' }, (o) => dmarSetInterrupt(w, o.unit))
    .with({ type: 'hvEjectDevice' }, (o) => hvEjectDevice(w, o.dev))
    .with({ type: 'irqCreateFwspecMapping' }, (o) => irqCreateFwspecMapping(w, o.dev, o.pin))
    .with({ type: 'irqDisposeMapping' }, (o) => irqDisposeMapping(w, o.virq))
    .with({ type: 'vmdProbe' }, (o) => vmdProbe(w, o.dev, o.fail))
    .with({ type: 'msiIrqsShow' }, (o) => msiIrqsShow(w, o.dev, o.virq))
    .with({ type: 'taskResume' }, (o) => taskResume(w, o.task))
    .with({ type: 'irqCreateLineMapping' }, (o) => irqCreateLineMapping(w, o.dev))
    .with({ type: 'irqDisposeLineMapping' }, (o) => irqDisposeLineMapping(w, o.dev))
    .exhaustive();
}

