/*
 * models/world/types.ts - the state of the modelled kernel (the "world")
 *
 * Modelled: irq domains, virqs with their per-level irq_data chain, the x86 vector matrix,
 * Intel interrupt-remapping units with their IRTE tables, msi_descs in both the 5.10 list shape
 * and the 6.2 per-device-domain shape, devices with driver binding and devres.
 * Left out: locking (every operation is atomic), irq_desc memory beyond what invariants read,
 * the exact IRTE bit layout (only owner, presence, vector, destination, SID and SVT matter).
 *
 * Everything is plain readonly data: a world can be compared, hashed and printed. Ids are never
 * reused (the kernel reuses memory, so a stale id stands for a dangling pointer), except virq
 * numbers, which are reused first-fit exactly as the kernel does.
 */
import type { KernelProfile } from './profile.ts';
import type { PlatformConfig } from './platform.ts';

export type DomainId = number;
export type Virq = number;
export type DevId = number;
export type DescId = number;
export type UnitId = number;
export type CpuId = number;

/** include/linux/irqdomain.h enum irq_domain_bus_token (the ones the model uses) */
export type BusToken =
  | 'ANY'
  | 'WIRED'
  | 'GENERIC_MSI'
  | 'PCI_MSI'
  | 'PLATFORM_MSI'
  | 'DMAR'
  | 'PCI_DEVICE_MSI'
  | 'PCI_DEVICE_MSIX'
  | 'PCI_DEVICE_IMS'
  | 'DEVICE_MSI'
  | 'VMD_MSI';

/** How a domain's levels behave: the ops table is chosen by kind (models/kernel/irq/registry.ts, filled by models/machine/). */
export type DomainKind = 'vector' | 'ir' | 'msi' | 'ioapic' | 'its' | 'mbigen' | 'vmd' | 'wired';

/** kernel/irq/msi.c struct msi_domain_info: the flags the model acts on */
export interface MsiDomainInfo {
  readonly activateEarly: boolean; // MSI_FLAG_ACTIVATE_EARLY (PCI)
  readonly mustReactivate: boolean; // MSI_FLAG_MUST_REACTIVATE (reservation mode)
  readonly allocSimpleDescs: boolean; // MSI_FLAG_ALLOC_SIMPLE_MSI_DESCS (core allocates descs)
  readonly freeDescs: boolean; // MSI_FLAG_FREE_MSI_DESCS (core frees descs)
  readonly multiPciMsi: boolean; // MSI_FLAG_MULTI_PCI_MSI
  readonly pciMsix: boolean; // MSI_FLAG_PCI_MSIX
  readonly allocDyn: boolean; // MSI_FLAG_PCI_MSIX_ALLOC_DYN
  readonly pciIms: boolean; // MSI_FLAG_PCI_IMS
  readonly hwsize: number; // max index + 1 (6.2 device domains); 0 for global domains
  /** what the chip writes on activation: a PCI MSI/MSI-X entry, an IMS slot, a platform callback */
  readonly chip: 'pci-msi' | 'pci-msix' | 'ims' | 'ims-array' | 'platform' | 'dmar' | 'hv-pci';
  /**
   * the msi_domain_ops callbacks the domain has after msi_domain_update_dom_ops(); absent: all
   * of them (every domain whose info has MSI_FLAG_USE_DEF_DOM_OPS or its own full set)
   */
  readonly ops?: readonly MsiDomainOp[];
}

/** kernel/irq/msi.c struct msi_domain_ops: the callbacks the model's MSI levels call */
export type MsiDomainOp = 'get_hwirq' | 'msi_init' | 'msi_free' | 'msi_check' | 'msi_prepare' | 'set_desc';

export interface IrqDomain {
  readonly id: DomainId;
  readonly name: string; // as debugfs shows it, e.g. "INTEL-IR-0", "IR-PCI-MSIX-0000:6a:01.0"
  readonly kind: DomainKind;
  /** irq_domain::parent - set once at creation, never changed, not reference counted */
  readonly parent: DomainId | null;
  readonly busToken: BusToken;
  readonly msiParent: boolean; // IRQ_DOMAIN_FLAG_MSI_PARENT (6.2)
  readonly msiDevice: boolean; // IRQ_DOMAIN_FLAG_MSI_DEVICE (6.2 per-device domain)
  readonly isolatedMsi: boolean; // IRQ_DOMAIN_FLAG_MSI_REMAP (5.x) / ISOLATED_MSI (6.x)
  /** irq_domain::dev - the owning device of a 6.2 per-device domain */
  readonly dev: DevId | null;
  /** the IR unit behind an 'ir' domain (host_data = intel_iommu) */
  readonly unit: UnitId | null;
  readonly msiInfo: MsiDomainInfo | null;
  /** irq_domain::mapcount - bookkeeping only, never checked by irq_domain_remove() */
  readonly mapcount: number;
  /** who must remove it: the kernel at boot, a driver/caller, the PCI core (device domains) */
  readonly creator: 'boot' | 'caller' | 'pci-core' | 'driver';
  /**
   * irq_domain::fwnode when it is a named fwnode (irq_domain_alloc_named_fwnode()), which its
   * creator frees after irq_domain_remove(); absent: a firmware node the model does not track
   */
  readonly fwnode?: FwnodeId;
}

/** a named fwnode (struct irqchip_fwid) */
export type FwnodeId = number;

/** arch/x86/kernel/apic/vector.c struct apic_chip_data (+ its hw_irq_cfg) */
export interface VectorChipData {
  readonly kind: 'vector';
  readonly vector: number; // 0 = none
  readonly cpu: CpuId;
  readonly prevVector: number; // 0 = none; freed by the cleanup after a move
  readonly prevCpu: CpuId;
  readonly moveInProgress: boolean;
  readonly isManaged: boolean;
  readonly canReserve: boolean;
  readonly hasReserved: boolean;
  /** hw_irq_cfg: what the hardware is told (the dummy 0xEF vector while reserved/shut down) */
  readonly cfgVector: number;
  readonly cfgCpu: CpuId;
}

/** drivers/iommu/intel/irq_remapping.c struct intel_ir_data / irq_2_iommu */
export interface IrChipData {
  readonly kind: 'ir';
  readonly unit: UnitId;
  readonly irteIndex: number;
  readonly subHandle: number;
  readonly irteMask: number; // log2 of the block size
  readonly sid: number; // source-id prepared into the IRTE
  readonly svt: 0 | 1 | 2; // source validation type: 0 none, 1 verify SID, 2 verify bus
}

/** kernel/irq/msi.c: the message an MSI level last wrote to the device */
export interface MsiChipData {
  readonly kind: 'msi';
  readonly msg: MsiMsg | null; // null = zero message (deactivated)
  /** Hyper-V PCI: the tran_int_desc the host returned for this interrupt (irq_data->chip_data) */
  readonly intDesc?: number;
}
export type MsiMsg =
  | { readonly format: 'remappable'; readonly unit: UnitId; readonly index: number; readonly sub: number }
  | { readonly format: 'direct'; readonly vector: number; readonly cpu: CpuId }
  /** GIC-ITS: the device writes its event id to GITS_TRANSLATER; the ITS finds the DeviceID */
  | { readonly format: 'its'; readonly dev: DevId; readonly event: number }
  /** drivers/pci/controller/vmd.c vmd_compose_msi_msg(): destination id = VMD MSI-X index */
  | { readonly format: 'vmd'; readonly vmd: DevId; readonly index: number };

/**
 * drivers/pci/controller/vmd.c: a VMD level's chip_data is its struct vmd_irq (a kzalloc'd
 * object, models/drivers/pci/controller/vmd-types.ts); as the top level (5.10 shape) it also keeps the message
 * msi_domain_activate() wrote to the child device
 */
export interface VmdChipData {
  readonly kind: 'vmd';
  readonly obj: number;
  readonly msg: MsiMsg | null;
}

/** drivers/iommu/hyperv-iommu.c: the Hyper-V IR level has no IRTE, only its chip (hyperv_ir_chip) */
export interface HvIrChipData {
  readonly kind: 'hv-ir';
  readonly unit: UnitId;
}

/** drivers/irqchip/irq-gic-v3-its.c: an interrupt's ITS level (its_dev, event id, target collection) */
export interface ItsChipData {
  readonly kind: 'its';
  /** the its_device (keyed by the owning device) the event belongs to */
  readonly itsDev: DevId;
  readonly event: number;
  /** the target CPU of the collection it is mapped to (its_select_cpu) */
  readonly cpu: CpuId;
}

/** drivers/irqchip/irq-mbigen.c: a wired interrupt pin of an mbigen */
export interface MbigenChipData {
  readonly kind: 'mbigen';
  readonly pin: number;
}

export type ChipData =
  | VectorChipData
  | IrChipData
  | MsiChipData
  | HvIrChipData
  | ItsChipData
  | MbigenChipData
  | VmdChipData;

/**
 * drivers/irqchip/irq-gic-v3-its.c struct its_device: what an ITS-like MSI parent keeps per
 * device, made by .msi_prepare() and unmade by .msi_teardown() (or, before 2025, by the last
 * its_irq_domain_free() of an unshared device)
 */
export interface ItsDevice {
  readonly dev: DevId;
  /** event_map.nr_lpis: the ITT size (event ids 0..nrEvents-1) */
  readonly nrEvents: number;
  /** event_map.lpi_base: the first LPI of the device's chunk */
  readonly lpiBase: number;
  /** event ids in use (lpi_map), ascending */
  readonly events: readonly number[];
  /** its_dev->shared: prepare found it already there (an alias, or a second prepare) */
  readonly shared: boolean;
  /**
   * hardware state: event ids with a translation in the device's ITT (MAPTI by
   * its_irq_domain_activate(), DISCARD by its_irq_domain_deactivate(); MAPD valid=0 at
   * its_free_device() drops them all), ascending; absent: none
   */
  readonly mapped?: readonly number[];
}

/** the GIC-ITS of an 'arm-its' platform */
export interface ItsState {
  /** the ITS domain (an MSI parent; the GIC redistributor level below it is folded into it) */
  readonly domain: DomainId;
  /** ITS-pMSI: the platform-MSI domain on the ITS (irq-gic-v3-its-platform-msi.c) */
  readonly pmsiDomain: DomainId;
  /** its_device list, by owning device */
  readonly devices: Readonly<Record<DevId, ItsDevice>>;
  /** next free LPI (chunks are never reused) */
  readonly nextLpi: number;
  /**
   * hardware state: the first ITS command error (GITS_CREADR stalls; e.g. MOVI/DISCARD/INV on an
   * event with no translation: UNMAPPED_INTERRUPT); absent: none
   */
  readonly cmdError?: string;
}

/** one level of a virq's irq_data chain */
export interface IrqData {
  readonly domain: DomainId;
  readonly hwirq: number;
  /** activation has programmed this level's hardware and it was not deactivated since */
  readonly programmed: boolean;
  readonly chip: ChipData | null; // null until the level's alloc ran
}

/** who holds a virq: an msi_desc, or a direct irq_domain_alloc_irqs() caller */
export type IrqOwner =
  | { readonly kind: 'msi'; readonly desc: DescId }
  | { readonly kind: 'core'; readonly alloc: number }
  /** an I/O APIC pin mapped by mp_map_pin_to_irq() (models/arch/x86/ioapic.ts) */
  | { readonly kind: 'ioapic'; readonly ioapic: number; readonly pin: number }
  /** a DMAR unit's fault-event interrupt (intel_iommu::irq, dmar_set_interrupt()) */
  | { readonly kind: 'dmar'; readonly unit: UnitId }
  /** a hwirq -> virq mapping of a wired domain (irq_create_fwspec_mapping(), models/kernel/irq/irq-mapping.ts) */
  | { readonly kind: 'mapping'; readonly domain: DomainId; readonly hwirq: number };

/** include/linux/irqdesc.h struct irq_desc + the irqd state bits the model tracks */
export interface IrqDesc {
  readonly virq: Virq;
  /** the irq_data chain: snapshot of domain, domain.parent, ..., root at allocation (top first) */
  readonly levels: readonly IrqData[];
  readonly owner: IrqOwner | null;
  /** installed handler (desc->action); devm = devm_request_irq, released by devres */
  readonly action: { readonly dev: DevId | null; readonly devm: boolean } | null;
  readonly activated: boolean; // IRQD_ACTIVATED
  readonly started: boolean; // IRQD_IRQ_STARTED
  readonly managed: boolean; // IRQD_AFFINITY_MANAGED
  readonly managedShutdown: boolean; // IRQD_MANAGED_SHUTDOWN
  readonly canReserve: boolean; // IRQD_CAN_RESERVE
  readonly movePcntxt: boolean; // IRQ_MOVE_PCNTXT: affinity can change in process context (IR)
  readonly affinity: readonly CpuId[]; // irq_common_data.affinity (requested)
  readonly effective: readonly CpuId[]; // effective affinity
  readonly pendingAffinity: readonly CpuId[] | null; // IRQD_SETAFFINITY_PENDING + pending_mask
  /** model record: the kernel broke the affinity (vector exhaustion, last CPU of the mask offline) */
  readonly affinityBroken: boolean;
}

/** a direct irq_domain_alloc_irqs() caller (like the DMAR fault irq code), by name */
export type CoreClient = 'client0' | 'client1';

/** a direct irq_domain_alloc_irqs() allocation and the caller's handle for it */
export interface CoreAlloc {
  readonly id: number;
  readonly client: CoreClient;
  readonly domain: DomainId;
  readonly base: Virq;
  readonly count: number;
}

/** include/linux/msi.h struct msi_desc */
export interface MsiDesc {
  readonly id: DescId;
  readonly dev: DevId;
  readonly irq: Virq; // base virq, 0 = not associated
  readonly nvecUsed: number;
  readonly msiIndex: number;
  readonly domid: 0 | 1; // 6.2 MSI_DEFAULT_DOMAIN / MSI_SECONDARY_DOMAIN; 0 on 5.10
  readonly isMsix: boolean;
  readonly affinity: readonly (readonly CpuId[])[] | null; // per-vector managed masks
  readonly icookie: number | null; // 6.2 per-instance cookie (e.g. a PASID)
}

/** 6.2 struct msi_device_data (a devres object of the device) */
export interface MsiDeviceData {
  readonly domains: readonly [DomainId | null, DomainId | null];
  /** per domid: msi_index -> desc (the xarray) */
  readonly stores: readonly [Readonly<Record<number, DescId>>, Readonly<Record<number, DescId>>];
  /** platform-MSI private data present (6.2 "Greed" check) */
  readonly platformDevid: number | null;
}

/** drivers/base/devres.c: entries are released last-in first-out */
export type DevresEntry =
  | { readonly kind: 'pcim-enable' } // 5.10 pcim_release: disables MSI/MSI-X
  | { readonly kind: 'pcim-msi' } // 6.2 pcim_msi_release: pci_free_irq_vectors
  | { readonly kind: 'msi-device-data' } // 6.2 msi_device_data_release
  | { readonly kind: 'devm-irq'; readonly virq: Virq }; // devm_request_irq -> free_irq

export interface Device {
  readonly id: DevId;
  readonly name: string; // "0000:6a:01.0" for PCI functions
  readonly bus: 'pci' | 'platform' | 'mdev';
  readonly parent: DevId | null;
  readonly rid: number | null; // PCI requester id (bus << 8 | devfn)
  /** PCI segment (pci_domain_nr()); absent = 0 */
  readonly segment?: number;
  readonly msixTableSize: number;
  readonly msiVectors: number; // MSI capability: multiple message capable (0 = no MSI cap)
  readonly msiMaskable: boolean; // MSI per-vector masking
  /** device_add() has run and device_del() has not */
  readonly present: boolean;
  /** the last reference was put: struct device freed (device_release) */
  readonly released: boolean;
  readonly driver: string | null;
  /** dev->msi_domain (5.10) / dev->msi.domain (6.2): plain pointer, no refcount */
  readonly msiDomain: DomainId | null;
  readonly msiEnabled: 'msi' | 'msix' | null;
  /** 5.10 dev->msi_list */
  readonly msiList: readonly DescId[];
  /** 5.10 platform_msi_priv_data devid */
  readonly platformDevid: number | null;
  /** 6.2 dev->msi.data */
  readonly msiData: MsiDeviceData | null;
  readonly devres: readonly DevresEntry[];
}

/** drivers/iommu/intel/irq_remapping.c struct irte (only what the model reads) */
export interface Irte {
  readonly present: boolean;
  readonly vector: number;
  readonly destCpu: CpuId;
  readonly sid: number;
  readonly svt: 0 | 1 | 2;
}

/** a DMAR unit (dmar_drhd_unit + intel_iommu) with its interrupt-remapping table */
export interface DmarUnit {
  readonly id: UnitId;
  readonly name: string; // "DRHD0"
  readonly present: boolean;
  readonly includeAll: boolean;
  readonly scope: readonly DevId[];
  readonly irEnabled: boolean;
  readonly cachingMode: boolean; // virtual IOMMU (cap CM)
  readonly maxHandleMask: number; // ecap MHMV: log2 of the largest IRTE block
  readonly irteEntries: number; // INTR_REMAP_TABLE_ENTRIES (65536; reduced in small configs)
  /** allocation bitmap: allocated IRTE indexes, ascending */
  readonly irteBitmap: readonly number[];
  /** IRTE contents by index (absent = all-zero entry) */
  readonly irtes: Readonly<Record<number, Irte>>;
  readonly irDomain: DomainId | null;
  readonly irMsiDomain: DomainId | null; // 5.10 INTEL-IR-MSI-<n>
  /** which IR driver runs the unit (models/drivers/iommu/ir-select.ts); absent: an Intel DMAR unit */
  readonly kind?: IrUnitKind;
  /** I/O APIC IDs in the unit's scope (DMAR IOAPIC device scope, IVRS IOAPIC special device) */
  readonly ioapicScope?: readonly number[];
  /** intel_iommu::irq: the fault-event interrupt (DMAR-MSI), 0 or absent = none */
  readonly faultIrq?: Virq;
}

/** the interrupt-remapping drivers the model knows */
export type IrUnitKind = 'intel' | 'amd' | 'hyperv';

/** arch/x86/kernel/apic/io_apic.c struct ioapic (+ its irqdomain_cfg and the pin mappings) */
export interface IoApic {
  /** position in ioapics[] (the idx of io_apic.c) */
  readonly index: number;
  /** mpc_ioapic_id(): the I/O APIC's APIC arbitration id, the key of the IR units' scope */
  readonly id: number;
  /** its PCI requester id (bus:devfn of the DMAR scope / IVRS devid): the IRTE source-id */
  readonly sid: number;
  readonly pins: number;
  /** registered (boot or acpi_ioapic_add) and not unregistered */
  readonly present: boolean;
  /** ioapics[idx].irqdomain */
  readonly domain: DomainId | null;
  /** pin -> mapped virq and the mp_irqdomain data->count of its users */
  readonly pinIrq: Readonly<Record<number, { readonly virq: Virq; readonly count: number }>>;
}

/** kernel/irq/matrix.c struct cpumap */
export interface CpuMap {
  readonly online: boolean;
  readonly initialized: boolean;
  readonly available: number;
  readonly allocated: number;
  readonly managed: number;
  readonly managedAllocated: number;
  readonly allocMap: readonly number[]; // ascending vectors
  readonly managedMap: readonly number[]; // ascending vectors
}

/** kernel/irq/matrix.c struct irq_matrix (+ per-CPU vector_irq of vector.c) */
export interface VectorMatrix {
  readonly allocStart: number;
  readonly allocEnd: number;
  readonly allocSize: number;
  readonly systemMap: readonly number[];
  readonly systembitsInalloc: number;
  readonly globalAvailable: number;
  readonly globalReserved: number;
  readonly totalAllocated: number;
  readonly onlineMaps: number;
  readonly maps: readonly CpuMap[];
  /** per_cpu(vector_irq)[vector] -> virq (absent = VECTOR_UNUSED / VECTOR_SHUTDOWN) */
  readonly vectorIrq: readonly Readonly<Record<number, Virq>>[];
  /** ghost counter: frees on an offline CPU, which the kernel does not take off total_allocated */
  readonly offlineFrees: number;
}

export interface World {
  readonly profile: KernelProfile;
  /** the API design installed (models/designs), by name; its hooks run inside idxd and vdcm */
  readonly design: string;
  /** the design's static domain pointers (e.g. dev_msi_default_domain, iommu->ir_dev_msi_domain), by name */
  readonly designDomains: Readonly<Record<string, DomainId>>;
  readonly config: PlatformConfig;
  /** cpu_online_mask */
  readonly cpuOnline: readonly boolean[];
  readonly matrix: VectorMatrix;
  readonly domains: Readonly<Record<DomainId, IrqDomain>>;
  readonly nextDomainId: DomainId;
  /** the name every domain ever created had (model only: lets messages name removed domains) */
  readonly domainNames: Readonly<Record<DomainId, string>>;
  readonly vectorDomain: DomainId;
  /** irq_default_host / the 5.10 global PCI-MSI domain used when dev->msi_domain is NULL */
  readonly defaultPciMsiDomain: DomainId | null;
  readonly irqs: Readonly<Record<Virq, IrqDesc>>;
  readonly coreAllocs: Readonly<Record<number, CoreAlloc>>;
  readonly nextCoreAlloc: number;
  readonly descs: Readonly<Record<DescId, MsiDesc>>;
  readonly nextDescId: DescId;
  readonly devices: Readonly<Record<DevId, Device>>;
  readonly nextDevId: DevId;
  readonly units: readonly DmarUnit[];
  /** DSA PF hardware and host-driver state, by PF device */
  readonly dsa: Readonly<Record<DevId, DsaPf>>;
  /** vdcm mediated devices */
  readonly mdevs: Readonly<Record<MdevId, Mdev>>;
  readonly nextMdevId: MdevId;
  /** platform_msi_devid_ida: devids in use */
  readonly platformDevids: readonly number[];
  /** the callers' memory of what they freed lately (stale handles a buggy caller may reuse) */
  readonly recentFrees: readonly RecentFree[];
  /** ghost record (model only): virqs whose desc was freed while a handler was installed */
  readonly freedWithAction: readonly Virq[];
  /** named fwnodes allocated and not yet freed (kernel/irq/irqdomain.c __irq_domain_alloc_fwnode()) */
  readonly fwnodes: Readonly<Record<FwnodeId, string>>;
  readonly nextFwnode: FwnodeId;
  /** per-platform driver state: every slice is there from boot, empty where the platform lacks the hardware */
  readonly platform: PlatformState;
  /** id counters of platform objects (kept at the top level with the other counters, which fingerprints leave out) */
  readonly nextHvIntDesc: number;
  readonly nextVmdIrq: number;
  /** the boot itself hit BUG() (e.g. setup_IO_APIC()): the kernel is dead from the start; null: it booted */
  readonly bootBug: string | null;
  /**
   * ghost (model only): a level callback that returns no outcome (an ops->free) dereferenced a
   * bad pointer; step() turns it into the oops it is. null between steps
   */
  readonly crash: string | null;
  /**
   * ghost (model only): the WARNs hit during this step by a call whose caller carries on as if it
   * succeeded (the vector matrix's WARN_ON_ONCE()s; __irq_startup_managed(), after which
   * request_irq() returns 0), one text each; step() turns them into a warned outcome and empties it
   */
  readonly kernelWarn: readonly string[];
  /** kernel paths started and not finished (models/kernel/irq/concurrency.ts) */
  readonly inflight: readonly InFlight[];
  readonly nextTask: TaskId;
  /** the virq each device's driver got for its interrupt line (models/kernel/irq/irq-mapping.ts) */
  readonly lineIrqs: Readonly<Record<DevId, Virq>>;
}

/**
 * State that only some platforms have, one group per driver that owns it (in the kernel: the
 * driver's own statics and host_data). Typed and always present, so no reader guesses a default.
 */
export interface PlatformState {
  /** arch/x86/kernel/apic/io_apic.c ioapics[] (empty: no I/O APIC modelled) */
  readonly ioapics: readonly IoApic[];
  /** arch/x86/kernel/apic/msi.c dmar_get_irq_domain()'s static DMAR-MSI domain; null until created */
  readonly dmarMsiDomain: DomainId | null;
  /** drivers/pci/controller/pci-hyperv.c: the hbus child list (hpdevs), by PCI device */
  readonly hvChildren: readonly DevId[];
  /** pci-hyperv.c: tran_int_desc objects allocated and not yet freed, with the irq they were made for */
  readonly hvIntDescs: Readonly<Record<number, Virq>>;
  /** drivers/irqchip/irq-gic-v3-its.c (platforms with `gicIts`); null on x86 */
  readonly its: ItsState | null;
  /** drivers/pci/controller/vmd.c: bound controllers (struct vmd_dev), by controller device */
  readonly vmd: Readonly<Record<DevId, VmdState>>;
  /** vmd.c: live struct vmd_irq objects (kzalloc'd by vmd_msi_alloc/vmd_msi_init), by id */
  readonly vmdIrqs: Readonly<Record<number, VmdIrq>>;
}

/** a handle its caller has freed: core allocations by range, IMS / dynamic MSI-X by msi_map */
export type RecentFree =
  | { readonly kind: 'core'; readonly client: CoreClient; readonly base: Virq; readonly count: number }
  | { readonly kind: 'map'; readonly dev: DevId; readonly domid: 0 | 1; readonly index: number; readonly virq: Virq };

/*
 * Kernel paths in flight (models/kernel/irq/concurrency.ts explains the scheme; models/world/tasks.ts
 * records and forgets them)
 */
export type TaskId = number;

/** a kernel path started and not finished (models/kernel/irq/concurrency.ts) */
export type InFlight =
  | {
      readonly kind: 'sysfs-read';
      readonly id: TaskId;
      readonly dev: DevId;
      readonly virq: Virq;
      readonly desc: DescId;
    }
  | { readonly kind: 'domain-create'; readonly id: TaskId; readonly domain: DomainId; readonly parent: DomainId | null }
  | {
      readonly kind: 'fwspec-mapping';
      readonly id: TaskId;
      readonly dev: DevId;
      readonly domain: DomainId;
      readonly hwirq: number;
    };

export type NewTask = InFlight extends infer T ? (T extends InFlight ? Omit<T, 'id'> : never) : never;

/*
 * Intel DSA (idxd) hardware state and the vdcm mdevs built on it (drivers/dma/idxd/registers.h,
 * idxd.h; RFC drivers/dma/idxd/vdev.h, mdev.h); the driver code is in models/drivers/dma/idxd/
 */
export type MdevId = number;

/** GENCAP/WQCAP/GRPCAP/ENGCAP as the model uses them */
export interface DsaCaps {
  readonly gencap: bigint; // raw GENCAP (max_ims_mult in bits 30:25)
  readonly imsSize: number; // max_ims_mult * 256 (a small configuration sets it directly)
  readonly numWqs: number;
  readonly numEngines: number;
  readonly numGroups: number;
  readonly totalWqSize: number;
  readonly sharedWq: boolean; // WQCAP shared mode support (needs PASID)
  readonly pasid: boolean; // PASID / SVA capable
  readonly intHandleReq: boolean; // CMDCAP REQUEST_INT_HANDLE
}

export type WqType = 'none' | 'kernel' | 'user' | 'mdev';

export interface Wq {
  readonly id: number;
  readonly size: number;
  readonly mode: 'dedicated' | 'shared';
  readonly type: WqType;
  readonly group: number | null;
  readonly enabled: boolean;
  /** 5.17+: the MSI-X vector this kernel WQ requested (index id + 1), or null */
  readonly irqRequested: boolean;
  /** mdevs using this WQ (a dedicated WQ backs one mdev) */
  readonly mdevRefs: number;
}

/** union msix_perm: per MSI-X entry */
export interface MsixPerm {
  readonly ignore: boolean;
  readonly pasidEn: boolean;
  readonly pasid: number;
}

/** one 16-byte IMS entry: message (addr/data) and control (mask, PASID enable, PASID) */
export interface ImsEntry {
  readonly msg: MsiMsg | null; // null = zero message
  readonly pasidEn: boolean;
  readonly pasid: number;
}

export interface DsaPf {
  readonly dev: DevId;
  readonly caps: DsaCaps;
  readonly enabled: boolean; // GENSTS state
  readonly wqs: readonly Wq[];
  readonly engineGroups: readonly (number | null)[]; // engine -> group
  readonly msixPerm: readonly MsixPerm[];
  /** interrupt handles per MSI-X vector (REQUEST_INT_HANDLE), null = none */
  readonly intHandles: readonly (number | null)[];
  readonly ims: readonly ImsEntry[];
  /** the system PASID the driver programs into the MSI-X permission table */
  readonly systemPasid: number;
  /** host driver state: probed, its MSI-X virqs by vector index, mdev parent registered */
  readonly driver: {
    readonly probed: boolean;
    readonly vectors: readonly Virq[]; // index -> virq (empty when not allocated)
    readonly mdevParent: boolean;
    /** IMS slots the driver handed out itself (RFC: the PF's sbitmap), for designs whose IRQ
     * domain does not own the slots; freed with the driver's data at remove */
    readonly imsBitmap: readonly number[];
  };
}

/** vdcm_idxd: one mediated device on a PF (RFC; never merged) */
export interface Mdev {
  readonly id: MdevId;
  readonly pf: DevId;
  /** the mdev's struct device (parent = the PF's) */
  readonly dev: DevId;
  readonly wq: number;
  readonly pasid: number;
  readonly open: boolean;
  /** host IMS slot per guest vector i >= 1 (index 0 unused: vector 0 is emulated) */
  readonly imsIndex: readonly number[];
  /** the host virq behind each IMS-backed guest vector */
  readonly irqs: readonly Virq[];
}

/* the Intel VMD driver's state (drivers/pci/controller/vmd.c; models/drivers/pci/controller/vmd.ts) */
/** struct vmd_irq_list: one of the VMD's own MSI-X vectors, shared by the child irqs mapped to it */
export interface VmdIrqList {
  /** the VMD's own Linux irq for this MSI-X vector (pci_irq_vector(vmd, i)), handler vmd_irq() */
  readonly virq: Virq;
  /** child irqs assigned here (vmd_next_irq() counts only its fast path, vmd_msi_free() always decrements) */
  readonly count: number;
}

/** struct vmd_dev */
export interface VmdState {
  readonly dev: DevId;
  /** vmd->irq_domain: the VMD MSI domain (5.10) / MSI parent domain (6.x) */
  readonly domain: DomainId | null;
  readonly firstVec: number;
  readonly lists: readonly VmdIrqList[];
  /** the devices pci_scan_child_bus() found on the VMD root bus */
  readonly children: readonly DevId[];
}

/** struct vmd_irq: maps one child irq onto one vmd_irq_list (chip_data of the VMD level) */
export interface VmdIrq {
  readonly id: number;
  readonly vmd: DevId;
  readonly list: number;
  readonly virq: Virq;
}
