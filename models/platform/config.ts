/*
 * models/platform/config.ts - the machine being modelled: CPUs, vector window, DMAR units, devices
 *
 * `small` is sized so that exhaustion, error paths and hot-remove are hit often by generated
 * sequences (product brief); `spr` has the real sizes of a Sapphire Rapids socket (spec section 5).
 */
export interface DmarUnitConfig {
  readonly name: string;
  readonly irEnabled: boolean;
  readonly cachingMode: boolean;
  readonly includeAll: boolean;
  readonly irteEntries: number;
  readonly maxHandleMask: number;
  /** device names in the unit's device scope */
  readonly scope: readonly string[];
}

/** a DSA PF's capabilities (models/dsa) */
export interface DsaConfig {
  readonly gencap: bigint;
  /** IMS entries; a small configuration overrides max_ims_mult x 256 */
  readonly imsSize: number;
  readonly numWqs: number;
  readonly numEngines: number;
  readonly numGroups: number;
  readonly totalWqSize: number;
  readonly sharedWq: boolean;
  readonly pasid: boolean;
  readonly intHandleReq: boolean;
}

export interface DeviceConfig {
  readonly name: string;
  readonly bus: 'pci' | 'platform';
  readonly rid: number | null;
  readonly msixTableSize: number;
  readonly msiVectors: number;
  readonly msiMaskable: boolean;
  /** an Intel DSA PF (PCI 8086:0b25) */
  readonly dsa?: DsaConfig;
  /** the pin of the wired controller its interrupt line goes to (several devices may share one) */
  readonly irqLine?: number;
}

export interface PlatformConfig {
  readonly name: string;
  readonly cpus: number;
  /** vector allocation window [start, end): irq_alloc_matrix(NR_VECTORS, 0x20, FIRST_SYSTEM_VECTOR) */
  readonly vectorStart: number;
  readonly vectorEnd: number;
  /** system vectors inside the window on every CPU (pre-6.6: IRQ_MOVE_CLEANUP_VECTOR 0x20) */
  readonly systemVectors: readonly number[];
  /** upper bound of the virq space (nr_irqs) */
  readonly nrIrqs: number;
  readonly units: readonly DmarUnitConfig[];
  readonly devices: readonly DeviceConfig[];
  /** vdcm mdevs a PF may host at once */
  readonly maxMdevsPerPf: number;
  /**
   * other tasks run kernel paths concurrently with the caller (sysfs readers, parallel probes,
   * modules registering domains): racy paths are split into steps (models/kernel/concurrency.ts)
   */
  readonly concurrency?: boolean;
  /** a wired (IOAPIC-like) interrupt controller (models/kernel/irq-mapping.ts) */
  readonly wired?: { readonly name: string; readonly pins: number };
}

/** GENCAP of an SPR DSA (intel/idxd-config issue #8 dmesg): max_ims_mult = 8 -> 2048 IMS entries */
export const SPR_DSA_GENCAP = 0x40915f010fn;

/** SPR DSA 1.0: 8 WQs, 4 engines, 4 groups, 128 WQ entries, 9 MSI-X vectors [spec section 5] */
export const sprDsa: DsaConfig = {
  gencap: SPR_DSA_GENCAP,
  imsSize: 2048,
  numWqs: 8,
  numEngines: 4,
  numGroups: 4,
  totalWqSize: 128,
  sharedWq: true,
  pasid: true,
  intHandleReq: true,
};

/** PCI requester id from bus/device/function */
export const pciRid = (bus: number, dev: number, fn: number): number => (bus << 8) | (dev << 3) | fn;

/** arch/x86/include/asm/irq_vectors.h */
export const FIRST_EXTERNAL_VECTOR = 0x20;
export const IRQ_MOVE_CLEANUP_VECTOR = 0x20; // a system vector inside the window before 6.6
export const FIRST_SYSTEM_VECTOR = 0xec; // LOCAL_TIMER_VECTOR up to 6.9
export const MANAGED_IRQ_SHUTDOWN_VECTOR = 0xef;

export const smallConfig: PlatformConfig = {
  name: 'small',
  cpus: 4,
  // 8 usable vectors per CPU after the move-cleanup system vector
  vectorStart: FIRST_EXTERNAL_VECTOR,
  vectorEnd: FIRST_EXTERNAL_VECTOR + 9,
  systemVectors: [IRQ_MOVE_CLEANUP_VECTOR],
  nrIrqs: 96,
  units: [
    { name: 'DRHD0', irEnabled: true, cachingMode: false, includeAll: false, irteEntries: 16, maxHandleMask: 4, scope: ['0000:6a:01.0', '0000:17:00.0'] },
    // the catch-all unit of the segment (dmar_find_matched_drhd_unit falls back to it)
    { name: 'DRHD1', irEnabled: true, cachingMode: false, includeAll: true, irteEntries: 16, maxHandleMask: 4, scope: ['0000:6f:01.0'] },
  ],
  devices: [
    { name: '0000:6a:01.0', bus: 'pci', rid: pciRid(0x6a, 1, 0), msixTableSize: 9, msiVectors: 0, msiMaskable: false, dsa: { ...sprDsa, imsSize: 16 } },
    { name: '0000:6f:01.0', bus: 'pci', rid: pciRid(0x6f, 1, 0), msixTableSize: 9, msiVectors: 0, msiMaskable: false, dsa: { ...sprDsa, imsSize: 16 } },
    { name: '0000:17:00.0', bus: 'pci', rid: pciRid(0x17, 0, 0), msixTableSize: 4, msiVectors: 4, msiMaskable: true },
    { name: 'plat0', bus: 'platform', rid: null, msixTableSize: 0, msiVectors: 0, msiMaskable: false },
  ],
  maxMdevsPerPf: 3,
};

/** Sapphire Rapids, one socket: 4 DSA instances each on its own root bus behind its own DRHD */
export const sprConfig: PlatformConfig = {
  name: 'spr',
  cpus: 56,
  vectorStart: FIRST_EXTERNAL_VECTOR,
  vectorEnd: FIRST_SYSTEM_VECTOR,
  systemVectors: [IRQ_MOVE_CLEANUP_VECTOR],
  nrIrqs: 4096,
  units: [0x6a, 0x6f, 0x74, 0x79].map((bus, i) => ({
    name: `DRHD${i}`,
    irEnabled: true,
    cachingMode: false,
    includeAll: false,
    irteEntries: 65536,
    maxHandleMask: 15,
    scope: [`0000:${bus.toString(16)}:01.0`],
  })),
  devices: [0x6a, 0x6f, 0x74, 0x79].map((bus) => ({
    name: `0000:${bus.toString(16)}:01.0`,
    bus: 'pci' as const,
    rid: pciRid(bus, 1, 0),
    msixTableSize: 9,
    msiVectors: 0,
    msiMaskable: false,
    dsa: sprDsa,
  })),
  maxMdevsPerPf: 64,
};

/**
 * `small` with other tasks running kernel paths at the same time as the caller (sysfs readers,
 * modules registering domains, drivers probing in parallel): the racy paths of
 * models/kernel/concurrency.ts are split into steps. The hardware is `small`'s plus a wired
 * interrupt controller with one line shared by two devices.
 */
export const racesConfig: PlatformConfig = {
  ...smallConfig,
  name: 'races',
  concurrency: true,
  // an IOAPIC whose pin 16 is shared by the INTx line of 0000:17:00.0 and plat0's interrupt
  wired: { name: 'IO-APIC-0', pins: 24 },
  devices: smallConfig.devices.map((d) => (d.name === '0000:17:00.0' || d.name === 'plat0' ? { ...d, irqLine: 16 } : d)),
};

export const platformConfigs: Readonly<Record<string, PlatformConfig>> = { small: smallConfig, spr: sprConfig, races: racesConfig };
