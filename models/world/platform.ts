/*
 * models/world/platform.ts - the machine being modelled: CPUs, vector window, DMAR units, devices
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
  /** not there at boot: the unit arrives by DMAR hot add (ACPI _DSM, dmar_device_add()) */
  readonly absentAtBoot?: boolean;
  /** the IR driver: absent = Intel VT-d (DMAR DRHD); 'amd' = an IVHD of the IVRS; 'hyperv' = hyperv-iommu */
  readonly kind?: 'intel' | 'amd' | 'hyperv';
  /** I/O APIC IDs in the unit's scope (DMAR IOAPIC device scope entries / IVRS IOAPIC special devices) */
  readonly ioapicScope?: readonly number[];
}

/** an I/O APIC of the MADT (arch/x86/kernel/apic/io_apic.c struct ioapic) */
export interface IoapicConfig {
  /** mpc_ioapic_id(): the APIC arbitration id; its index is its position in the list */
  readonly id: number;
  /** PCI requester id (bus:devfn) the I/O APIC's interrupt messages carry */
  readonly sid: number;
  readonly pins: number;
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
  /** PCI segment (PCI domain number) of a PCI function; absent = 0 */
  readonly segment?: number;
  /** a function on the Hyper-V virtual PCI bus (models/drivers/pci/controller/pci-hyperv.ts) */
  readonly hv?: boolean;
  /** a HiSilicon mbigen (wired-to-MSI bridge) with this many wired pins */
  readonly mbigenPins?: number;
  /** class PCI_CLASS_STORAGE_EXPRESS (NVMe): VMD gives it a fast vector (vmd_next_irq) */
  readonly storage?: boolean;
  /** the pin of the wired controller its interrupt line goes to (several devices may share one) */
  readonly irqLine?: number;
}

/** an Intel VMD controller (one of `devices`) and the devices behind it (drivers/pci/controller/vmd.c) */
export interface VmdConfig {
  readonly controller: string;
  /** VMD_FEAT_OFFSET_FIRST_VECTOR: MSI-X vector 0 is not used for child interrupts */
  readonly firstVec: number;
  /** what pci_scan_child_bus() finds on the VMD root bus each time the driver binds */
  readonly children: readonly DeviceConfig[];
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
  /** I/O APICs registered at boot (absent: none modelled) */
  readonly ioapics?: readonly IoapicConfig[];
  /**
   * each DMAR unit has its fault-event interrupt (DMAR-MSI, models/arch/x86/dmar-msi.ts); the
   * booted world stands before irq_remap_enable_fault_handling()
   */
  readonly dmarFaultIrq?: boolean;
  /** an arm64 GICv3 with an ITS instead of the x86 vector domain (no vector matrix in use) */
  readonly gicIts?: boolean;
  /** Intel VMD controllers (absent: none) */
  readonly vmd?: readonly VmdConfig[];
  /**
   * other tasks run kernel paths concurrently with the caller (sysfs readers, parallel probes,
   * modules registering domains): racy paths are split into steps (models/kernel/irq/concurrency.ts)
   */
  readonly concurrency?: boolean;
  /** a wired (IOAPIC-like) interrupt controller (models/kernel/irq/irq-mapping.ts) */
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
    {
      name: 'DRHD0',
      irEnabled: true,
      cachingMode: false,
      includeAll: false,
      irteEntries: 16,
      maxHandleMask: 4,
      scope: ['0000:6a:01.0', '0000:17:00.0'],
    },
    // the catch-all unit of the segment (dmar_find_matched_drhd_unit falls back to it)
    {
      name: 'DRHD1',
      irEnabled: true,
      cachingMode: false,
      includeAll: true,
      irteEntries: 16,
      maxHandleMask: 4,
      scope: ['0000:6f:01.0'],
    },
  ],
  devices: [
    {
      name: '0000:6a:01.0',
      bus: 'pci',
      rid: pciRid(0x6a, 1, 0),
      msixTableSize: 9,
      msiVectors: 0,
      msiMaskable: false,
      dsa: { ...sprDsa, imsSize: 16 },
    },
    {
      name: '0000:6f:01.0',
      bus: 'pci',
      rid: pciRid(0x6f, 1, 0),
      msixTableSize: 9,
      msiVectors: 0,
      msiMaskable: false,
      dsa: { ...sprDsa, imsSize: 16 },
    },
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
 * `small` plus a hot-pluggable DRHD2 that is absent at boot and has an empty device scope (the
 * remapping unit of a socket or IOH added later): a kernel caller can hot add and remove it at
 * any time, so the DMAR hot add path is exercised without unplugging the devices first
 */
export const smallDmarHotplugConfig: PlatformConfig = {
  ...smallConfig,
  name: 'small-dmar-hp',
  units: [
    ...smallConfig.units,
    {
      name: 'DRHD2',
      irEnabled: true,
      cachingMode: false,
      includeAll: false,
      irteEntries: 16,
      maxHandleMask: 4,
      scope: [],
      absentAtBoot: true,
    },
  ],
};

/** the small machine's CPUs and vector window, without DSA devices (the I/O APIC platforms below) */
const smallCore = {
  cpus: 4,
  vectorStart: FIRST_EXTERNAL_VECTOR,
  vectorEnd: FIRST_EXTERNAL_VECTOR + 9,
  systemVectors: [IRQ_MOVE_CLEANUP_VECTOR],
  nrIrqs: 96,
  maxMdevsPerPf: 0,
} as const;

/**
 * Intel VT-d with two I/O APICs: each DRHD lists one I/O APIC in its device scope, and the
 * I/O APICs' ids are not their indexes (index 0 has id 1 behind DRHD1, index 1 has id 0 behind
 * DRHD0), as on machines whose MADT lists the I/O APICs out of id order.
 */
export const ioapicConfig: PlatformConfig = {
  name: 'ioapic',
  ...smallCore,
  units: [
    {
      name: 'DRHD0',
      irEnabled: true,
      cachingMode: false,
      includeAll: false,
      irteEntries: 16,
      maxHandleMask: 4,
      scope: ['0000:17:00.0'],
      ioapicScope: [0],
    },
    {
      name: 'DRHD1',
      irEnabled: true,
      cachingMode: false,
      includeAll: true,
      irteEntries: 16,
      maxHandleMask: 4,
      scope: [],
      ioapicScope: [1],
    },
  ],
  devices: [
    { name: '0000:17:00.0', bus: 'pci', rid: pciRid(0x17, 0, 0), msixTableSize: 4, msiVectors: 4, msiMaskable: true },
  ],
  ioapics: [
    { id: 1, sid: pciRid(0x00, 0x1e, 1), pins: 4 },
    { id: 0, sid: pciRid(0x80, 0x05, 4), pins: 4 },
  ],
};

/**
 * AMD: one IOMMU whose IVRS lists only the first I/O APIC; the second one is missing from the
 * IVRS, so the init-time check turns interrupt remapping off after the IR domain was registered
 * (drivers/iommu/amd/init.c check_ioapic_information()).
 */
export const amdConfig: PlatformConfig = {
  name: 'amd',
  ...smallCore,
  units: [
    {
      name: 'AMD-Vi0',
      kind: 'amd',
      irEnabled: true,
      cachingMode: false,
      includeAll: true,
      irteEntries: 16,
      maxHandleMask: 4,
      scope: [],
      ioapicScope: [4],
    },
  ],
  devices: [],
  ioapics: [
    { id: 4, sid: pciRid(0x00, 0x14, 0), pins: 4 },
    { id: 5, sid: pciRid(0x00, 0x00, 1), pins: 4 },
  ],
};

/**
 * A Hyper-V guest with more than 255 vCPUs: hyperv-iommu remaps the one emulated I/O APIC
 * (drivers/iommu/hyperv-iommu.c); the I/O APIC's id is not 0.
 */
export const hypervConfig: PlatformConfig = {
  name: 'hyperv',
  ...smallCore,
  units: [
    {
      name: 'HYPERV-IR',
      kind: 'hyperv',
      irEnabled: true,
      cachingMode: false,
      includeAll: true,
      irteEntries: 0,
      maxHandleMask: 0,
      scope: [],
      ioapicScope: [],
    },
  ],
  devices: [],
  ioapics: [{ id: 8, sid: 0, pins: 4 }],
};

/**
 * `small` with the DMAR units' fault-event interrupts modelled (DMAR-MSI domain, dmar_set_interrupt()
 * at boot and on hot add, freed on hot remove)
 */
export const dmarFaultConfig: PlatformConfig = { ...smallConfig, name: 'dmar-fault', dmarFaultIrq: true };

/**
 * Three PCI segments, one DRHD each, interrupt remapping off (intremap=off): every PCI function
 * takes its MSIs from the one global PCI-MSI domain (5.10), which tells them apart by a hwirq
 * that includes the segment (models/drivers/pci/segment.ts). The functions on segments 0x19 and
 * 0x39 have the same bus/device/function, as on the multi-segment machine of db744ddd59be.
 */
export const segmentsConfig: PlatformConfig = {
  name: 'segments',
  // one CPU: no CPU hotplug, so runs spend their steps on the devices
  cpus: 1,
  vectorStart: FIRST_EXTERNAL_VECTOR,
  vectorEnd: FIRST_EXTERNAL_VECTOR + 17,
  systemVectors: [IRQ_MOVE_CLEANUP_VECTOR],
  nrIrqs: 96,
  units: [
    {
      name: 'DRHD0',
      irEnabled: false,
      cachingMode: false,
      includeAll: false,
      irteEntries: 16,
      maxHandleMask: 4,
      scope: ['0000:17:00.0'],
    },
    {
      name: 'DRHD1',
      irEnabled: false,
      cachingMode: false,
      includeAll: false,
      irteEntries: 16,
      maxHandleMask: 4,
      scope: ['0019:00:00.0'],
    },
    {
      name: 'DRHD2',
      irEnabled: false,
      cachingMode: false,
      includeAll: false,
      irteEntries: 16,
      maxHandleMask: 4,
      scope: ['0039:00:00.0'],
    },
  ],
  devices: [
    { name: '0000:17:00.0', bus: 'pci', rid: pciRid(0x17, 0, 0), msixTableSize: 4, msiVectors: 4, msiMaskable: true },
    {
      name: '0019:00:00.0',
      bus: 'pci',
      rid: pciRid(0, 0, 0),
      msixTableSize: 4,
      msiVectors: 1,
      msiMaskable: false,
      segment: 0x19,
    },
    {
      name: '0039:00:00.0',
      bus: 'pci',
      rid: pciRid(0, 0, 0),
      msixTableSize: 4,
      msiVectors: 1,
      msiMaskable: false,
      segment: 0x39,
    },
  ],
  maxMdevsPerPf: 0,
};

/**
 * A Hyper-V guest with two pass-through VFs on the Hyper-V virtual PCI bus (its own PCI segment,
 * no VT-d: the VFs' MSIs come from the bus's HV-PCI-MSI domain on the vector domain). One CPU, so
 * runs spend their steps on the VFs. (Hyper-V interrupt remapping for IOAPICs is not here.)
 */
export const hypervPciConfig: PlatformConfig = {
  name: 'hyperv-pci',
  cpus: 1,
  vectorStart: FIRST_EXTERNAL_VECTOR,
  vectorEnd: FIRST_EXTERNAL_VECTOR + 17,
  systemVectors: [IRQ_MOVE_CLEANUP_VECTOR],
  nrIrqs: 96,
  units: [],
  devices: [
    {
      name: '7870:00:02.0',
      bus: 'pci',
      rid: pciRid(0, 2, 0),
      msixTableSize: 4,
      msiVectors: 1,
      msiMaskable: false,
      segment: 0x7870,
      hv: true,
    },
    {
      name: '7870:00:03.0',
      bus: 'pci',
      rid: pciRid(0, 3, 0),
      msixTableSize: 4,
      msiVectors: 1,
      msiMaskable: false,
      segment: 0x7870,
      hv: true,
    },
  ],
  maxMdevsPerPf: 0,
};

/**
 * An arm64 server in miniature: GICv3 with one ITS (the MSI parent of PCI per-device MSI domains
 * and of the ITS-pMSI platform-MSI domain) and an mbigen whose wired pins become platform MSIs
 * through a platform-MSI device domain. No x86 vectors: the matrix window is empty.
 */
export const armItsConfig: PlatformConfig = {
  name: 'arm-its',
  cpus: 4,
  vectorStart: FIRST_EXTERNAL_VECTOR,
  vectorEnd: FIRST_EXTERNAL_VECTOR,
  systemVectors: [],
  nrIrqs: 96,
  units: [],
  devices: [
    { name: '0000:00:01.0', bus: 'pci', rid: pciRid(0, 1, 0), msixTableSize: 8, msiVectors: 0, msiMaskable: false },
    { name: '0000:00:02.0', bus: 'pci', rid: pciRid(0, 2, 0), msixTableSize: 0, msiVectors: 4, msiMaskable: true },
    { name: 'mbigen0', bus: 'platform', rid: null, msixTableSize: 0, msiVectors: 0, msiMaskable: false, mbigenPins: 4 },
  ],
  maxMdevsPerPf: 0,
  gicIts: true,
};

/**
 * `vmd`: the small machine with an Intel VMD controller (3 MSI-X vectors: vector 0 the shared
 * "slow" one, 1-2 for NVMe) and two devices behind it, an NVMe SSD (MSI-X) and another function
 * (MSI only); a normal PCI device elsewhere; one catch-all DRHD remapping what is not behind VMD
 */
export const vmdPlatformConfig: PlatformConfig = {
  name: 'vmd',
  cpus: 4,
  vectorStart: FIRST_EXTERNAL_VECTOR,
  vectorEnd: FIRST_EXTERNAL_VECTOR + 9,
  systemVectors: [IRQ_MOVE_CLEANUP_VECTOR],
  nrIrqs: 96,
  units: [
    {
      name: 'DRHD0',
      irEnabled: true,
      cachingMode: false,
      includeAll: true,
      irteEntries: 16,
      maxHandleMask: 4,
      scope: [],
    },
  ],
  devices: [
    { name: '0000:00:0e.0', bus: 'pci', rid: pciRid(0, 0x0e, 0), msixTableSize: 3, msiVectors: 0, msiMaskable: false },
    { name: '0000:17:00.0', bus: 'pci', rid: pciRid(0x17, 0, 0), msixTableSize: 4, msiVectors: 4, msiMaskable: true },
  ],
  maxMdevsPerPf: 0,
  vmd: [
    {
      controller: '0000:00:0e.0',
      firstVec: 0,
      children: [
        // VMD domains are PCI segments from 0x10000 (vmd_find_free_domain)
        {
          name: '10000:01:00.0',
          bus: 'pci',
          rid: pciRid(1, 0, 0),
          msixTableSize: 4,
          msiVectors: 0,
          msiMaskable: false,
          storage: true,
        },
        {
          name: '10000:02:00.0',
          bus: 'pci',
          rid: pciRid(2, 0, 0),
          msixTableSize: 0,
          msiVectors: 1,
          msiMaskable: false,
        },
      ],
    },
  ],
};

/**
 * `small` with other tasks running kernel paths at the same time as the caller (sysfs readers,
 * modules registering domains, drivers probing in parallel): the racy paths of
 * models/kernel/irq/concurrency.ts are split into steps. The hardware is `small`'s plus a wired
 * interrupt controller with one line shared by two devices.
 */
export const racesConfig: PlatformConfig = {
  ...smallConfig,
  name: 'races',
  concurrency: true,
  // an IOAPIC whose pin 16 is shared by the INTx line of 0000:17:00.0 and plat0's interrupt
  wired: { name: 'IO-APIC-0', pins: 24 },
  devices: smallConfig.devices.map((d) =>
    d.name === '0000:17:00.0' || d.name === 'plat0' ? { ...d, irqLine: 16 } : d,
  ),
};

/**
 * A machine whose vector space is nearly used up (many devices per CPU, the x86 limit of about
 * 200 vectors per CPU, here 2): moving an irq to the CPUs of its mask can fail with -ENOSPC while
 * other CPUs still have room. Three CPUs, one catch-all DRHD, the small machine's NIC and a
 * platform device; no DSA.
 */
export const tightVectorsConfig: PlatformConfig = {
  name: 'tight-vectors',
  cpus: 3,
  vectorStart: FIRST_EXTERNAL_VECTOR,
  vectorEnd: FIRST_EXTERNAL_VECTOR + 3,
  systemVectors: [IRQ_MOVE_CLEANUP_VECTOR],
  nrIrqs: 96,
  units: [
    {
      name: 'DRHD0',
      irEnabled: true,
      cachingMode: false,
      includeAll: true,
      irteEntries: 16,
      maxHandleMask: 4,
      scope: [],
    },
  ],
  devices: [
    { name: '0000:17:00.0', bus: 'pci', rid: pciRid(0x17, 0, 0), msixTableSize: 4, msiVectors: 4, msiMaskable: true },
    { name: 'plat0', bus: 'platform', rid: null, msixTableSize: 0, msiVectors: 0, msiMaskable: false },
  ],
  maxMdevsPerPf: 0,
};

export const platformConfigs: Readonly<Record<string, PlatformConfig>> = {
  small: smallConfig,
  spr: sprConfig,
  'small-dmar-hp': smallDmarHotplugConfig,
  ioapic: ioapicConfig,
  amd: amdConfig,
  hyperv: hypervConfig,
  'dmar-fault': dmarFaultConfig,
  segments: segmentsConfig,
  'hyperv-pci': hypervPciConfig,
  'arm-its': armItsConfig,
  vmd: vmdPlatformConfig,
  races: racesConfig,
  'tight-vectors': tightVectorsConfig,
};
