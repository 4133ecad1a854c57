/*
 * models/ops.ts - the whole vocabulary of operations a caller can perform on the kernel model
 * (as TLA+'s Next lists every action). Names are the kernel functions, camelCased; the trace
 * prints them back in snake_case with their arguments.
 */
import type { CoreClient, CpuId, DevId, DomainId, UnitId, Virq } from './world/types.ts';
import type { MdevId, WqType } from './drivers/dma/idxd/types.ts';
import type { FailPoint } from './kernel/irq/hierarchy.ts';
import type { TaskId } from './kernel/irq/concurrency.ts';

export type Op =
  // 2.1 domain lifecycle
  | { readonly type: 'platformMsiCreateIrqDomain'; readonly parent: DomainId }
  | { readonly type: 'irqDomainRemove'; readonly domain: DomainId }
  | { readonly type: 'devSetMsiDomain'; readonly dev: DevId; readonly domain: DomainId | null }
  | { readonly type: 'pciCreateImsDomain'; readonly dev: DevId; readonly hwsize: number }
  | { readonly type: 'msiRemoveDeviceIrqDomain'; readonly dev: DevId; readonly domid: 0 | 1 }
  // 2.2 hierarchy core, called directly (a non-MSI kernel user)
  | { readonly type: 'irqDomainAllocIrqs'; readonly client: CoreClient; readonly domain: DomainId; readonly n: number; readonly cpus: readonly CpuId[] | null; readonly fail: FailPoint | null }
  | { readonly type: 'irqDomainFreeIrqs'; readonly client: CoreClient; readonly virq: Virq; readonly n: number }
  // 2.3 handlers and 2.5 affinity / hotplug
  | { readonly type: 'requestIrq'; readonly virq: Virq; readonly dev: DevId | null; readonly devm: boolean }
  | { readonly type: 'freeIrq'; readonly virq: Virq }
  | { readonly type: 'irqSetAffinity'; readonly virq: Virq; readonly cpus: readonly CpuId[]; readonly fromUser: boolean }
  | { readonly type: 'deviceFireIrq'; readonly virq: Virq }
  | { readonly type: 'cpuOffline'; readonly cpu: CpuId }
  | { readonly type: 'cpuOnline'; readonly cpu: CpuId }
  // 2.4 MSI layer
  | { readonly type: 'pciAllocIrqVectors'; readonly dev: DevId; readonly min: number; readonly max: number; readonly irqType: 'msi' | 'msix'; readonly affinity: boolean; readonly fail: FailPoint | null }
  | { readonly type: 'pciFreeIrqVectors'; readonly dev: DevId }
  | { readonly type: 'pciMsixAllocIrqAt'; readonly dev: DevId; readonly index: number | 'any'; readonly fail: FailPoint | null }
  | { readonly type: 'pciMsixFreeIrq'; readonly dev: DevId; readonly index: number; readonly virq: Virq }
  | { readonly type: 'pciImsAllocIrq'; readonly dev: DevId; readonly icookie: number; readonly fail: FailPoint | null }
  | { readonly type: 'pciImsFreeIrq'; readonly dev: DevId; readonly index: number; readonly virq: Virq }
  | { readonly type: 'msiDomainAllocIrqsRange'; readonly dev: DevId; readonly domid: 0 | 1; readonly first: number; readonly last: number; readonly fail: FailPoint | null }
  | { readonly type: 'msiDomainFreeIrqsRange'; readonly dev: DevId; readonly domid: 0 | 1; readonly first: number; readonly last: number }
  | { readonly type: 'platformMsiDomainAllocIrqs'; readonly dev: DevId; readonly nvec: number; readonly fail: FailPoint | null }
  | { readonly type: 'platformMsiDomainFreeIrqs'; readonly dev: DevId }
  // 1.6-1.7 the idxd driver, its configuration (sysfs) and vdcm mdevs; the DSA raising IMS
  | { readonly type: 'idxdProbe'; readonly pf: DevId; readonly fail: FailPoint | null }
  | { readonly type: 'idxdWqConfig'; readonly pf: DevId; readonly wq: number; readonly wqType: WqType; readonly mode: 'dedicated' | 'shared'; readonly size: number; readonly group: number | null }
  | { readonly type: 'idxdEngineConfig'; readonly pf: DevId; readonly engine: number; readonly group: number | null }
  | { readonly type: 'idxdDeviceEnable'; readonly pf: DevId }
  | { readonly type: 'idxdDeviceDisable'; readonly pf: DevId }
  | { readonly type: 'idxdWqEnable'; readonly pf: DevId; readonly wq: number }
  | { readonly type: 'idxdWqDisable'; readonly pf: DevId; readonly wq: number }
  | { readonly type: 'mdevCreate'; readonly pf: DevId; readonly wq: number }
  | { readonly type: 'mdevOpen'; readonly mdev: MdevId; readonly fail: FailPoint | null }
  | { readonly type: 'mdevRelease'; readonly mdev: MdevId }
  | { readonly type: 'mdevRemove'; readonly mdev: MdevId }
  | { readonly type: 'dsaImsInterrupt'; readonly pf: DevId; readonly slot: number; readonly pasid: number }
  // 2.9 DMAR unit hotplug
  | { readonly type: 'dmarHotRemove'; readonly unit: UnitId }
  | { readonly type: 'dmarHotAdd'; readonly unit: UnitId; /** dmar_enable_qi() fails in intel_setup_irq_remapping() */ readonly fail?: boolean }
  // 2.6 device core
  | { readonly type: 'driverProbe'; readonly dev: DevId; readonly managed: boolean; readonly fail: boolean }
  | { readonly type: 'deviceReleaseDriver'; readonly dev: DevId }
  | { readonly type: 'deviceUnregister'; readonly dev: DevId }
  // I/O APICs (models/arch/x86/ioapic.ts): hot add/remove, pins mapped to irqs
  | { readonly type: 'acpiIoapicAdd'; readonly ioapic: number }
  | { readonly type: 'mpUnregisterIoapic'; readonly ioapic: number }
  | { readonly type: 'mpMapPinToIrq'; readonly ioapic: number; readonly pin: number }
  | { readonly type: 'mpUnmapIrq'; readonly virq: Virq }
  // DMAR fault reporting: dmar_set_interrupt() of one unit (enable_drhd_fault_handling() at boot)
  | { readonly type: 'dmarSetInterrupt'; readonly unit: UnitId }
  // Hyper-V PCI: the host ejects a pass-through function (PCI_EJECT)
  | { readonly type: 'hvEjectDevice'; readonly dev: DevId }
  // wired interrupts behind a wired-to-MSI bridge (mbigen): a consumer maps and unmaps a pin
  | { readonly type: 'irqCreateFwspecMapping'; readonly dev: DevId; readonly pin: number }
  | { readonly type: 'irqDisposeMapping'; readonly virq: Virq }
  // Intel VMD (models/drivers/pci/controller/vmd.ts); its remove() runs on device_release_driver
  | { readonly type: 'vmdProbe'; readonly dev: DevId; readonly fail: FailPoint | null }
  // concurrent tasks (models/kernel/irq/concurrency.ts): a sysfs reader enters show(); a task in
  // flight gets the CPU back
  | { readonly type: 'msiIrqsShow'; readonly dev: DevId; readonly virq: Virq }
  | { readonly type: 'taskResume'; readonly task: TaskId }
  // hwirq -> virq mappings of a wired controller (a driver maps its interrupt line)
  | { readonly type: 'irqCreateLineMapping'; readonly dev: DevId }
  | { readonly type: 'irqDisposeLineMapping'; readonly dev: DevId };

export type OpType = Op['type'];
export type OpOf<K extends OpType> = Extract<Op, { type: K }>;

/** every operation type, in the order the generator offers them */
export const opTypes: readonly OpType[] = [
  'pciAllocIrqVectors',
  'pciFreeIrqVectors',
  'requestIrq',
  'freeIrq',
  'irqSetAffinity',
  'deviceFireIrq',
  'cpuOffline',
  'cpuOnline',
  'pciMsixAllocIrqAt',
  'pciMsixFreeIrq',
  'pciCreateImsDomain',
  'pciImsAllocIrq',
  'pciImsFreeIrq',
  'msiDomainAllocIrqsRange',
  'msiDomainFreeIrqsRange',
  'msiRemoveDeviceIrqDomain',
  'platformMsiCreateIrqDomain',
  'devSetMsiDomain',
  'platformMsiDomainAllocIrqs',
  'platformMsiDomainFreeIrqs',
  'irqDomainAllocIrqs',
  'irqDomainFreeIrqs',
  'irqDomainRemove',
  'idxdProbe',
  'idxdWqConfig',
  'idxdEngineConfig',
  'idxdDeviceEnable',
  'idxdDeviceDisable',
  'idxdWqEnable',
  'idxdWqDisable',
  'mdevCreate',
  'mdevOpen',
  'mdevRelease',
  'mdevRemove',
  'dsaImsInterrupt',
  'dmarHotRemove',
  'dmarHotAdd',
  'driverProbe',
  'deviceReleaseDriver',
  'deviceUnregister',
  'acpiIoapicAdd',
  'mpUnregisterIoapic',
  'mpMapPinToIrq',
  'mpUnmapIrq',
  'dmarSetInterrupt',
  'hvEjectDevice',
  'irqCreateFwspecMapping',
  'irqDisposeMapping',
  'vmdProbe',
  'msiIrqsShow',
  'taskResume',
  'irqCreateLineMapping',
  'irqDisposeLineMapping',
];
