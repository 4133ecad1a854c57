/*
 * models/kernel/boot.ts - the world after boot: matrix, vector domain, IR units, PCI devices
 *
 * Kernel: arch/x86/kernel/apic/vector.c arch_early_irq_init() (matrix, vector domain),
 * arch/x86/kernel/apic/msi.c native_create_pci_msi_domain() (5.10 global PCI-MSI; 6.2 the vector
 * domain becomes an MSI parent), drivers/iommu/intel/irq_remapping.c intel_setup_irq_remapping()
 * (INTEL-IR-<n>, 5.10 also INTEL-IR-MSI-<n>; 6.2 the IR domain is an MSI parent, bus DMAR).
 */
import type { Device, DmarUnit, World } from './types.ts';
import type { KernelProfile } from './profile.ts';
import type { PlatformConfig } from '../platform/config.ts';
import { irqAllocMatrix } from './matrix.ts';
import { irqDomainCreateNamed } from './fwnode.ts';
import { pciMsiGlobalInfo } from './pci-msi.ts';
import { intelSetupIrqRemapping } from './dmar.ts';
import { deviceAdd } from './device.ts';
import { wiredSetup } from './irq-mapping.ts';
import { newDevice, putUnit } from './world.ts';
import { sparseTable } from './util.ts';
import { dsaPfAtReset } from '../dsa/device.ts';
import type { Design } from '../designs/design.ts';


/**
 * bootWorld() - @design: the API design installed (its kernel features join the profile, its
 * IR-unit and boot hooks run where intel_setup_irq_remapping() and the initcalls would call
 * them); null = the kernel alone
 */
export function bootWorld(profile0: KernelProfile, config: PlatformConfig, design: Design | null = null): World {
  if (design && design.kernel !== profile0.version) throw new Error(`design ${design.name} needs kernel ${design.kernel}, not ${profile0.version}`);
  const profile: KernelProfile = design?.features?.length ? { ...profile0, features: design.features } : profile0;
  const v62 = profile.version !== '5.10';
  const devices: Record<number, Device> = {};
  config.devices.forEach((c, id) => {
    devices[id] = newDevice({ id, name: c.name, bus: c.bus, parent: null, rid: c.rid, msixTableSize: c.msixTableSize, msiVectors: c.msiVectors, msiMaskable: c.msiMaskable });
  });
  const units: DmarUnit[] = config.units.map((u, id) => ({
    id,
    name: u.name,
    present: true,
    includeAll: u.includeAll,
    scope: u.scope.map((n) => config.devices.findIndex((d) => d.name === n)).filter((i) => i >= 0),
    irEnabled: u.irEnabled,
    cachingMode: u.cachingMode,
    maxHandleMask: u.maxHandleMask,
    irteEntries: u.irteEntries,
    irteBitmap: [],
    irtes: {},
    irDomain: null,
    irMsiDomain: null,
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
    dsa: Object.fromEntries(config.devices.flatMap((c, id) => (c.dsa ? [[id, dsaPfAtReset(id, c.dsa, c.msixTableSize)]] : []))),
    mdevs: {},
    nextMdevId: 0,
    platformDevids: [],
    recentFrees: [],
    freedWithAction: [],
    fwnodes: {},
    nextFwnode: 0,
  };
  const base = { msiDevice: false, dev: null, unit: null, msiInfo: null, creator: 'boot' as const };
  const vec = irqDomainCreateNamed(w, { ...base, name: 'VECTOR', kind: 'vector', parent: null, busToken: 'ANY', msiParent: v62, isolatedMsi: false });
  w = { ...vec.w, vectorDomain: vec.id };
  if (!v62) {
    const pm = irqDomainCreateNamed(w, { ...base, name: 'PCI-MSI', kind: 'msi', parent: vec.id, busToken: 'PCI_MSI', msiParent: false, isolatedMsi: false, msiInfo: pciMsiGlobalInfo(false) });
    w = { ...pm.w, defaultPciMsiDomain: pm.id };
  }
  for (const u of units) {
    if (!u.irEnabled) continue;
    w = intelSetupIrqRemapping(w, u.id);
    if (design?.irUnitAdded) w = design.irUnitAdded(w, u.id);
  }
  if (config.wired) w = wiredSetup(w);
  if (design?.boot) w = design.boot(w);
  for (const id of Object.keys(devices).map(Number)) {
    const r = deviceAdd(w, id);
    if (r.kind === 'ok') w = r.world;
  }
  return w;
}
