/*
 * models/ops.ts - the whole vocabulary of operations a caller can perform on the kernel model
 * (as TLA+'s Next lists every action), one line per operation, in the order the generator offers
 * them. Names are the kernel functions, camelCased; the trace prints them back in snake_case with
 * their arguments.
 *
 * Each operation is one module under models/ops/<area>/ (see models/ops/op.ts for its parts).
 * Everything else is derived from this list: the Op union, opTypes, step()'s dispatch
 * (models/step.ts), generation (src/generate/op-specs.ts), the explorer's alphabet
 * (src/search/explore-args.ts), the trace (src/report/call.ts) and the counterexample file
 * schema (src/report/counterexample.ts). Adding an operation: one file, one line here.
 */
import type { z } from 'zod';
import type { World } from './world/types.ts';
import type { Outcome } from './world/outcome.ts';
import type { Choices } from './ops/choices.ts';
import type { Mode, OpDef } from './ops/op.ts';
import pciAllocIrqVectors from './ops/pci/pci-alloc-irq-vectors.ts';
import pciFreeIrqVectors from './ops/pci/pci-free-irq-vectors.ts';
import requestIrq from './ops/irq/request-irq.ts';
import freeIrq from './ops/irq/free-irq.ts';
import irqSetAffinity from './ops/irq/irq-set-affinity.ts';
import deviceFireIrq from './ops/irq/device-fire-irq.ts';
import cpuOffline from './ops/irq/cpu-offline.ts';
import cpuOnline from './ops/irq/cpu-online.ts';
import pciMsixAllocIrqAt from './ops/pci/pci-msix-alloc-irq-at.ts';
import pciMsixFreeIrq from './ops/pci/pci-msix-free-irq.ts';
import pciCreateImsDomain from './ops/pci/pci-create-ims-domain.ts';
import pciImsAllocIrq from './ops/pci/pci-ims-alloc-irq.ts';
import pciImsFreeIrq from './ops/pci/pci-ims-free-irq.ts';
import msiDomainAllocIrqsRange from './ops/irq/msi-domain-alloc-irqs-range.ts';
import msiDomainFreeIrqsRange from './ops/irq/msi-domain-free-irqs-range.ts';
import msiRemoveDeviceIrqDomain from './ops/irq/msi-remove-device-irq-domain.ts';
import platformMsiCreateIrqDomain from './ops/base/platform-msi-create-irq-domain.ts';
import devSetMsiDomain from './ops/base/dev-set-msi-domain.ts';
import platformMsiDomainAllocIrqs from './ops/base/platform-msi-domain-alloc-irqs.ts';
import platformMsiDomainFreeIrqs from './ops/base/platform-msi-domain-free-irqs.ts';
import irqDomainAllocIrqs from './ops/irq/irq-domain-alloc-irqs.ts';
import irqDomainFreeIrqs from './ops/irq/irq-domain-free-irqs.ts';
import irqDomainRemove from './ops/irq/irq-domain-remove.ts';
import idxdProbe from './ops/idxd/idxd-probe.ts';
import idxdWqConfig from './ops/idxd/idxd-wq-config.ts';
import idxdEngineConfig from './ops/idxd/idxd-engine-config.ts';
import idxdDeviceEnable from './ops/idxd/idxd-device-enable.ts';
import idxdDeviceDisable from './ops/idxd/idxd-device-disable.ts';
import idxdWqEnable from './ops/idxd/idxd-wq-enable.ts';
import idxdWqDisable from './ops/idxd/idxd-wq-disable.ts';
import mdevCreate from './ops/idxd/mdev-create.ts';
import mdevOpen from './ops/idxd/mdev-open.ts';
import mdevRelease from './ops/idxd/mdev-release.ts';
import mdevRemove from './ops/idxd/mdev-remove.ts';
import dsaImsInterrupt from './ops/idxd/dsa-ims-interrupt.ts';
import dmarHotRemove from './ops/iommu/dmar-hot-remove.ts';
import dmarHotAdd from './ops/iommu/dmar-hot-add.ts';
import driverProbe from './ops/base/driver-probe.ts';
import deviceReleaseDriver from './ops/base/device-release-driver.ts';
import deviceUnregister from './ops/base/device-unregister.ts';
import acpiIoapicAdd from './ops/x86/acpi-ioapic-add.ts';
import mpUnregisterIoapic from './ops/x86/mp-unregister-ioapic.ts';
import mpMapPinToIrq from './ops/x86/mp-map-pin-to-irq.ts';
import mpUnmapIrq from './ops/x86/mp-unmap-irq.ts';
import dmarSetInterrupt from './ops/x86/dmar-set-interrupt.ts';
import hvEjectDevice from './ops/pci/hv-eject-device.ts';
import irqCreateFwspecMapping from './ops/irqchip/irq-create-fwspec-mapping.ts';
import irqDisposeMapping from './ops/irqchip/irq-dispose-mapping.ts';
import vmdProbe from './ops/pci/vmd-probe.ts';
import msiIrqsShow from './ops/irq/msi-irqs-show.ts';
import taskResume from './ops/irq/task-resume.ts';
import irqCreateLineMapping from './ops/irq/irq-create-line-mapping.ts';
import irqDisposeLineMapping from './ops/irq/irq-dispose-line-mapping.ts';

/**
 * every operation, keyed by its type. The order is the generator's: a step's first choice picks
 * among the enabled operations in this order, so moving a line changes every seeded run.
 */
export const opDefs = registry({
  // 2.4 MSI layer: PCI MSI/MSI-X
  pciAllocIrqVectors,
  pciFreeIrqVectors,
  // 2.3 handlers, 2.5 affinity and CPU hotplug
  requestIrq,
  freeIrq,
  irqSetAffinity,
  deviceFireIrq,
  cpuOffline,
  cpuOnline,
  // 2.4 MSI layer (6.2): dynamic MSI-X, PCI/IMS, per-device MSI domains
  pciMsixAllocIrqAt,
  pciMsixFreeIrq,
  pciCreateImsDomain,
  pciImsAllocIrq,
  pciImsFreeIrq,
  msiDomainAllocIrqsRange,
  msiDomainFreeIrqsRange,
  msiRemoveDeviceIrqDomain,
  // 2.1 domain lifecycle and platform-MSI
  platformMsiCreateIrqDomain,
  devSetMsiDomain,
  platformMsiDomainAllocIrqs,
  platformMsiDomainFreeIrqs,
  // 2.2 hierarchy core, called directly (a non-MSI kernel user)
  irqDomainAllocIrqs,
  irqDomainFreeIrqs,
  irqDomainRemove,
  // 1.6-1.7 the idxd driver, its configuration (sysfs) and vdcm mdevs; the DSA raising IMS
  idxdProbe,
  idxdWqConfig,
  idxdEngineConfig,
  idxdDeviceEnable,
  idxdDeviceDisable,
  idxdWqEnable,
  idxdWqDisable,
  mdevCreate,
  mdevOpen,
  mdevRelease,
  mdevRemove,
  dsaImsInterrupt,
  // 2.9 DMAR unit hotplug
  dmarHotRemove,
  dmarHotAdd,
  // 2.6 device core
  driverProbe,
  deviceReleaseDriver,
  deviceUnregister,
  // I/O APICs (models/arch/x86/ioapic.ts): hot add/remove, pins mapped to irqs
  acpiIoapicAdd,
  mpUnregisterIoapic,
  mpMapPinToIrq,
  mpUnmapIrq,
  // DMAR fault reporting: dmar_set_interrupt() of one unit (enable_drhd_fault_handling() at boot)
  dmarSetInterrupt,
  // Hyper-V PCI: the host ejects a pass-through function (PCI_EJECT)
  hvEjectDevice,
  // wired interrupts behind a wired-to-MSI bridge (mbigen): a consumer maps and unmaps a pin
  irqCreateFwspecMapping,
  irqDisposeMapping,
  // Intel VMD (models/drivers/pci/controller/vmd.ts); its remove() runs on device_release_driver
  vmdProbe,
  // concurrent tasks (models/kernel/irq/concurrency.ts): a sysfs reader enters show(); a task in
  // flight gets the CPU back
  msiIrqsShow,
  taskResume,
  // hwirq -> virq mappings of a wired controller (a driver maps its interrupt line)
  irqCreateLineMapping,
  irqDisposeLineMapping,
});

/** registry() - @r as it is; its type checks that each key names its own, complete definition */
function registry<R extends { readonly [K in keyof R]: OpDef<K & string, z.ZodObject, unknown> }>(r: R): R {
  return r;
}

type Defs = typeof opDefs;
export type OpType = keyof Defs;
/** one call of operation @K (the arguments its schema declares) */
export type OpOf<K extends OpType> = Parameters<Defs[K]['render']>[1];
export type Op = { [K in OpType]: OpOf<K> }[OpType];

/** every operation type, in the order the generator offers them */
export const opTypes: readonly OpType[] = Object.keys(opDefs) as OpType[];

/**
 * An operation's definition for code that treats every operation alike (dispatch, generation,
 * exploration, rendering). Its candidates are opaque here: the engine hands a candidate back only
 * to the operation that produced it.
 */
export interface AnyOpDef {
  readonly type: OpType;
  readonly args: z.ZodObject;
  step(w: World, op: Op): Outcome<unknown>;
  candidates(w: World, mode: Mode): readonly Candidate[];
  handle(cand: Candidate): Readonly<Record<string, unknown>>;
  recentKeys?(cand: Candidate): readonly string[];
  build(w: World, mode: Mode, c: Choices, cand: Candidate): Op;
  prefer?(w: World, cand: Candidate): boolean;
  readonly explore: 'variants' | ((w: World, cand: Candidate) => readonly Op[]);
  render(w: World, op: Op): string;
}
declare const candidate: unique symbol;
/** a candidate of some operation, opaque outside it */
export type Candidate = { readonly [candidate]: true };

/** opDef() - the definition of operation @type, seen as AnyOpDef */
export const opDef = (type: OpType): AnyOpDef => opDefs[type] as unknown as AnyOpDef;
