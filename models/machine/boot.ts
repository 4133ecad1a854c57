/*
 * models/machine/boot.ts - the world after boot: matrix, vector domain, IR units, PCI devices
 *
 * Kernel: arch/x86/kernel/apic/vector.c arch_early_irq_init() (matrix, vector domain),
 * arch/x86/kernel/apic/msi.c native_create_pci_msi_domain() (5.10 global PCI-MSI; 6.2 the vector
 * domain becomes an MSI parent), drivers/iommu/intel/irq_remapping.c intel_setup_irq_remapping()
 * (INTEL-IR-<n>, 5.10 also INTEL-IR-MSI-<n>; 6.2 the IR domain is an MSI parent, bus DMAR);
 * the AMD / Hyper-V IR units and the I/O APICs' domains where the platform has them
 * (models/drivers/iommu/ir-select.ts, models/arch/x86/ioapic.ts setup_IO_APIC()).
 */
import type { Device, DmarUnit, World } from '../world/types.ts';
import type { KernelProfile } from '../world/profile.ts';
import type { PlatformConfig } from '../world/platform.ts';
import { irqAllocMatrix } from '../kernel/irq/matrix.ts';
import { irqDomainCreateNamed } from '../kernel/irq/fwnode.ts';
import { pciMsiGlobalInfo } from '../drivers/pci/msi.ts';
import { irLateInit, irUnitSetup } from '../drivers/iommu/ir-select.ts';
import { ioapicsAtBoot, setupIoApic } from '../arch/x86/ioapic.ts';
import { deviceAdd } from '../drivers/base/device.ts';
import { hvPciProbe } from '../drivers/pci/controller/pci-hyperv.ts';
import { wiredSetup } from '../kernel/irq/irq-mapping.ts';
import { newDevice } from '../world/world.ts';
import { sparseTable } from '../world/util.ts';
import { dsaPfAtReset } from '../drivers/dma/idxd/device.ts';
import { itsInit } from '../drivers/irqchip/its.ts';
import { mbigenProbe } from '../drivers/irqchip/mbigen.ts';
import type { Design } from '../designs/design.ts';
import './index.ts'; // a booted world runs through the ops tables: fill them

/**
 * bootWorld() - @design: the API design installed (its kernel features join the profile, its
 * IR-unit and boot hooks run where intel_setup_irq_remapping() and the initcalls would call
 * them); null = the kernel alone
 */
export function bootWorld(profile0: KernelProfile, config: PlatformConfig, design: Design | null = null): World {
  if (design && design.kernel !== profile0.version)
    throw new Error(`design ${design.name} needs kernel ${design.kernel}, not ${profile0.version}`);
  const profile: KernelProfile = design?.features?.length ? { ...profile0, features: design.features } : profile0;
  const v62 = profile.version !== '5.10';
  const devices: Record<number, Device> = {};
  config.devices.forEach((c, id) => {
    devices[id] = newDevice({
      id,
      name: c.name,
      bus: c.bus,
      parent: null,
      rid: c.rid,
      msixTableSize: c.msixTableSize,
      msiVectors: c.msiVectors,
      msiMaskable: c.msiMaskable,
      ...(c.segment ? { segment: c.segment } : {}),
    });
  });
  const units: DmarUnit[] = config.units.map((u, id) => ({
    id,
    name: u.name,
    // a unit absent at boot comes later by DMAR hot add (dmar_hp_add_drhd())
    present: !u.absentAtBoot,
    includeAll: u.includeAll,
    scope: u.scope.map((n) => config.devices.findIndex((d) => d.name === n)).filter((i) => i >= 0),
    irEnabled: u.irEnabled && !u.absentAtBoot,
    cachingMode: u.cachingMode,
    maxHandleMask: u.maxHandleMask,
    irteEntries: u.irteEntries,
    irteBitmap: [],
    irtes: {},
    irDomain: null,
    irMsiDomain: null,
    // only platforms with I/O APICs or non-Intel units carry these (the others stay as they were)
    ...(u.kind ? { kind: u.kind } : {}),
    ...(u.ioapicScope ? { ioapicScope: u.ioapicScope } : {}),
  }));
  let w: World = {
    profile,
    design: design?.name ?? 'kernel',
    designDomains: {},
    config,
    cpuOnline: Array.from({ length: config.cpus }, () => true),
    matrix: irqAllocMatrix(config.cpus, config.vectorStart, config.vectorEnd, config.systemVectors),
    domains: {},
    nextDomainId: 0,
    domainNames: {},
    vectorDomain: 0,
    defaultPciMsiDomain: null,
    irqs: sparseTable(),
    coreAllocs: {},
    nextCoreAlloc: 0,
    descs: sparseTable(),
    nextDescId: 0,
    devices,
    nextDevId: config.devices.length,
    units,
    dsa: Object.fromEntries(
      config.devices.flatMap((c, id) => (c.dsa ? [[id, dsaPfAtReset(id, c.dsa, c.msixTableSize)]] : [])),
    ),
    mdevs: {},
    nextMdevId: 0,
    platformDevids: [],
    recentFrees: [],
    freedWithAction: [],
    fwnodes: {},
    nextFwnode: 0,
    platform: {
      ioapics: config.ioapics ? ioapicsAtBoot(config) : [],
      dmarMsiDomain: null,
      hvChildren: [],
      hvIntDescs: {},
      its: null,
      vmd: {},
      vmdIrqs: {},
    },
    nextHvIntDesc: 0,
    nextVmdIrq: 0,
    bootBug: null,
    crash: null,
    kernelWarn: [],
    inflight: [],
    nextTask: 0,
    lineIrqs: {},
  };
  const base = { msiDevice: false, dev: null, unit: null, msiInfo: null, creator: 'boot' as const };
  if (config.gicIts) {
    // arm64 GICv3: no x86 vector domain (vectorDomain names none); the ITS is the MSI parent
    if (!v62) throw new Error(`platform ${config.name} is modelled on kernel 6.2 only`);
    w = itsInit({ ...w, vectorDomain: -1 });
  } else {
    const vec = irqDomainCreateNamed(w, {
      ...base,
      name: 'VECTOR',
      kind: 'vector',
      parent: null,
      busToken: 'ANY',
      msiParent: v62,
      isolatedMsi: false,
    });
    w = { ...vec.w, vectorDomain: vec.id };
  }
  if (!v62) {
    const pm = irqDomainCreateNamed(w, {
      ...base,
      name: 'PCI-MSI',
      kind: 'msi',
      parent: w.vectorDomain,
      busToken: 'PCI_MSI',
      msiParent: false,
      isolatedMsi: false,
      msiInfo: pciMsiGlobalInfo(false),
    });
    w = { ...pm.w, defaultPciMsiDomain: pm.id };
  }
  for (const u of units) {
    if (!u.irEnabled) continue;
    w = irUnitSetup(w, u.id);
    if (design?.irUnitAdded) w = design.irUnitAdded(w, u.id);
  }
  w = irLateInit(w);
  // setup_IO_APIC() runs from the APIC init, before PCI enumeration
  if (w.platform.ioapics.length > 0) w = setupIoApic(w);
  if (config.wired) w = wiredSetup(w);
  if (design?.boot) w = design.boot(w);
  for (const id of Object.keys(devices).map(Number)) {
    const r = deviceAdd(w, id);
    if (r.kind === 'ok') w = r.world;
  }
  // the Hyper-V PCI bus driver, on platforms that have one
  w = hvPciProbe(w);
  // the mbigen driver binds at boot and creates its platform-MSI device domain on ITS-pMSI
  const pmsi = w.platform.its?.pmsiDomain;
  if (pmsi !== undefined)
    for (const [id, c] of config.devices.entries()) if (c.mbigenPins) w = mbigenProbe(w, id, pmsi);
  return w;
}
