/*
 * models/faults/catalog.ts - real kernel bugs that the model can switch back on
 *
 * Each entry is one row of ../shared/spec/bug-catalog.md: the fix commit (subject and full hash),
 * where the bug lived, and where it is reproduced in the model (the spot calls hasFault() with a
 * comment naming the fix). A fault is the smallest change that brings the pre-fix behaviour back;
 * the invariants know nothing of faults. `target` is the world a detection is sought in: the
 * kernel model under a legal caller with the quirks off (nothing is found there without a fault),
 * at the kernel version the bug lived in.
 */
import type { KernelVersion } from '../kernel/profile.ts';

export interface FaultTarget {
  readonly kernel: KernelVersion;
  /** 'kernel': the generic legal caller; a design name: that design under its workload */
  readonly design: 'kernel';
  /** the platform (models/platform/config.ts) whose hardware the bug needs: 'small' unless it needs VMD, AMD, ... */
  readonly config: string;
}

export interface Fault {
  readonly id: string;
  readonly subject: string;
  readonly hash: string;
  /** kernel file and function of the bug */
  readonly location: string;
  /** the model file and function where the fault is switched */
  readonly model: string;
  /** what the pre-fix kernel does, in the model's terms */
  readonly says: string;
  readonly target: FaultTarget;
}

const k62: FaultTarget = { kernel: '6.2', design: 'kernel', config: 'small' };

export const faultCatalog = {
  B01: {
    id: 'B01',
    subject: 'genirq/cpuhotplug, x86/vector: Prevent vector leak during CPU offline',
    hash: 'a6c11c0a5235fb144a65e0cb2ffd360ddc1f6c32',
    location: 'arch/x86/kernel/apic/vector.c irq_force_complete_move(), __vector_schedule_cleanup(); kernel/irq/cpuhotplug.c migrate_one_irq()',
    model: 'models/kernel/cpuhotplug.ts cpuOffline(), models/kernel/vector.ts vectorFreeMovedVector()',
    says: 'a pending move is force-completed only for irqs affine to the dying CPU, and a cleanup aimed at an offline CPU drops prev_vector without freeing it in the matrix',
    target: k62,
  },
  B02: {
    id: 'B02',
    subject: 'genirq/matrix: Handle CPU offlining proper',
    hash: '651ca2c00405a2ae3870cc0b4f15a182eb6fbe26',
    location: 'kernel/irq/matrix.c irq_matrix_offline(), irq_matrix_online()',
    model: 'models/kernel/matrix.ts irqMatrixOnline()',
    says: 'a CPU coming online starts from an empty allocation map, forgetting the vectors dormant irqs still hold there',
    target: k62,
  },
  B08: {
    id: 'B08',
    subject: 'x86/pci/xen: Fixup fallout from the PCI/MSI overhaul',
    hash: '6c796996ee7033bcbbc3cd733513eb43f8160f5e',
    location: 'arch/x86/pci/xen.c xen_pci_msi_domain_info, xen_teardown_msi_irqs()',
    model: 'models/kernel/pci-msi.ts pciSetupDeviceDomain() (Xen is not modelled: the per-device PCI/MSI domain info stands in)',
    says: 'the PCI/MSI domain info lacks MSI_FLAG_FREE_MSI_DESCS, so freeing the vectors leaves the descriptors in the store',
    target: k62,
  },
  B10: {
    id: 'B10',
    subject: 'irqdomain/treewide: Free firmware node after domain removal',
    hash: 'ec0160891e387f4771f953b888b1fe951398e5d9',
    location: 'drivers/iommu/intel/irq_remapping.c intel_teardown_irq_remapping() (also io_apic.c, vmd.c, xtalk, ioc3)',
    model: 'models/kernel/dmar.ts dmarHotRemove()',
    says: 'removing the IR domains of a hot-removed DMAR unit leaves their named fwnodes allocated',
    target: k62,
  },
  B11: {
    id: 'B11',
    subject: 'genirq/msi: Free the fwnode created by msi_create_device_irq_domain()',
    hash: 'ac8f29aef2f1695956ff6773b33f975290437f29',
    location: 'kernel/irq/msi.c msi_remove_device_irq_domain()',
    model: 'models/kernel/msi.ts msiRemoveDeviceIrqDomain()',
    says: 'removing a per-device MSI domain leaves its named fwnode allocated (one leak per unbind)',
    target: k62,
  },
  B18: {
    id: 'B18',
    subject: 'irqdomain/treewide: Keep firmware node unconditionally allocated',
    hash: 'e3beca48a45b5e0e6e6a4e0124276b8248dcc9bb',
    location: 'drivers/iommu/intel/irq_remapping.c intel_setup_irq_remapping() (also x86 vector, PCI-MSI, IOAPIC, HPET, AMD/Hyper-V IR, VMD)',
    model: 'models/kernel/dmar.ts intelSetupIrqRemapping()',
    says: 'the IR code frees the named fwnode right after creating its domain on it, so the domain keeps a dangling fwnode (freed again at teardown)',
    target: k62,
  },
  B19: {
    id: 'B19',
    subject: 'PCI/MSI: Fix UAF in msi_capability_init',
    hash: '9eee5330656bf92f51cb1f09b2dc9f8cf975b3d1',
    location: 'drivers/pci/msi/msi.c msi_capability_init()',
    model: 'models/kernel/pci-msi.ts enable62()',
    says: 'after a failed MSI allocation the core has freed the descriptor, and the error exit unmasks through it',
    target: k62,
  },
  B20: {
    id: 'B20',
    subject: 'PCI/MSI: Destroy sysfs before freeing entries',
    hash: '3735459037114d31e5acd9894fad9aed104231a0',
    location: 'drivers/pci/msi.c free_msi_irqs() (5.10)',
    model: 'models/kernel/pci-msi.ts pciFreeIrqVectors() (readers: models/kernel/msi-sysfs.ts, models/kernel/concurrency.ts)',
    says: 'free_msi_irqs() frees the MSI entries before removing the msi_irqs/ files, so a reader inside msi_mode_show() finishes (kernfs_drain) on a freed entry',
    target: { kernel: '5.10', design: 'kernel', config: 'races' },
  },
  B30: {
    id: 'B30',
    subject: 'irqdomain: Fix domain registration race',
    hash: '8932c32c3053accd50702b36e944ac2016cd103c',
    location: 'kernel/irq/irqdomain.c irq_domain_create_hierarchy(), __irq_domain_add()',
    model: 'models/kernel/irqdomain.ts irqDomainCreateHierarchy() (the creating task: models/kernel/concurrency.ts)',
    says: 'a new hierarchy domain is on irq_domain_list before its parent is set, so an allocation through it meanwhile gets irq data for the outer level only',
    target: { kernel: '6.2', design: 'kernel', config: 'races' },
  },
  B33: {
    id: 'B33',
    subject: 'irqdomain: Fix mapping-creation race',
    hash: '601363cc08da25747feb87c55573dd54de91d66a',
    location: 'kernel/irq/irqdomain.c irq_create_fwspec_mapping(), irq_create_mapping_affinity()',
    model: 'models/kernel/irq-mapping.ts irqCreateLineMapping() (the mapping task: models/kernel/concurrency.ts)',
    says: 'the lookup of an existing mapping and the allocation of a new one are not under one lock, so two drivers of devices sharing a line both find none and map the pin twice',
    target: { kernel: '6.2', design: 'kernel', config: 'races' },
  },
} as const satisfies Record<string, Fault>;

export type FaultId = keyof typeof faultCatalog;

export const faultIds = Object.keys(faultCatalog) as FaultId[];

export const isFaultId = (s: string): s is FaultId => Object.hasOwn(faultCatalog, s);

export const faultById = (id: FaultId): Fault => faultCatalog[id];
