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
import type { FaultName, KernelVersion } from '../world/profile.ts';

export interface FaultTarget {
  readonly kernel: KernelVersion;
  /** 'kernel': the generic legal caller; a design name: that design under its workload */
  readonly design: 'kernel';
  /** the platform (models/world/platform.ts) whose hardware the bug needs: 'small' unless it needs VMD, AMD, ... */
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
/** the arm64 platform with a GIC-ITS, ITS-pMSI and an mbigen (models/world/platform.ts armItsConfig) */
const k62its: FaultTarget = { kernel: '6.2', design: 'kernel', config: 'arm-its' };

export const faultCatalog = {
  B01: {
    id: 'B01',
    subject: 'genirq/cpuhotplug, x86/vector: Prevent vector leak during CPU offline',
    hash: 'a6c11c0a5235fb144a65e0cb2ffd360ddc1f6c32',
    location:
      'arch/x86/kernel/apic/vector.c irq_force_complete_move(), __vector_schedule_cleanup(); kernel/irq/cpuhotplug.c migrate_one_irq()',
    model: 'models/kernel/irq/cpuhotplug.ts cpuOffline(), models/arch/x86/vector.ts vectorFreeMovedVector()',
    says: 'a pending move is force-completed only for irqs affine to the dying CPU, and a cleanup aimed at an offline CPU drops prev_vector without freeing it in the matrix',
    target: k62,
  },
  B02: {
    id: 'B02',
    subject: 'genirq/matrix: Handle CPU offlining proper',
    hash: '651ca2c00405a2ae3870cc0b4f15a182eb6fbe26',
    location: 'kernel/irq/matrix.c irq_matrix_offline(), irq_matrix_online()',
    model:
      'models/kernel/irq/cpuhotplug.ts cpuOnline() (the pre-fix wipe of the map: models/kernel/irq/matrix.ts irqMatrixOnline())',
    says: 'a CPU coming online starts from an empty allocation map, forgetting the vectors dormant irqs still hold there',
    target: k62,
  },
  B03: {
    id: 'B03',
    subject: 'x86/irq: Unbreak interrupt affinity setting',
    hash: 'e027fffff799cdd70400c5485b1a54f482255985',
    location: 'arch/x86/kernel/apic/vector.c irq_complete_move()',
    model: 'models/kernel/irq/manage.ts deviceFireIrq()',
    says: 'the vector irq_complete_move() compares with comes from pt_regs::orig_ax, which the entry rework left at -1: no interrupt ever completes a move, the old vector stays and every later affinity change is refused',
    target: k62,
  },
  B08: {
    id: 'B08',
    subject: 'x86/pci/xen: Fixup fallout from the PCI/MSI overhaul',
    hash: '6c796996ee7033bcbbc3cd733513eb43f8160f5e',
    location: 'arch/x86/pci/xen.c xen_pci_msi_domain_info, xen_teardown_msi_irqs()',
    model:
      'models/drivers/pci/msi.ts pciSetupDeviceDomain() (Xen is not modelled: the per-device PCI/MSI domain info stands in)',
    says: 'the PCI/MSI domain info lacks MSI_FLAG_FREE_MSI_DESCS, so freeing the vectors leaves the descriptors in the store',
    target: k62,
  },
  B10: {
    id: 'B10',
    subject: 'irqdomain/treewide: Free firmware node after domain removal',
    hash: 'ec0160891e387f4771f953b888b1fe951398e5d9',
    location: 'drivers/iommu/intel/irq_remapping.c intel_teardown_irq_remapping() (also io_apic.c, vmd.c, xtalk, ioc3)',
    model: 'models/drivers/iommu/intel/dmar.ts dmarHotRemove()',
    says: 'removing the IR domains of a hot-removed DMAR unit leaves their named fwnodes allocated',
    target: k62,
  },
  B11: {
    id: 'B11',
    subject: 'genirq/msi: Free the fwnode created by msi_create_device_irq_domain()',
    hash: 'ac8f29aef2f1695956ff6773b33f975290437f29',
    location: 'kernel/irq/msi.c msi_remove_device_irq_domain()',
    model: 'models/kernel/irq/msi.ts msiRemoveDeviceIrqDomain()',
    says: 'removing a per-device MSI domain leaves its named fwnode allocated (one leak per unbind)',
    target: k62,
  },
  B18: {
    id: 'B18',
    subject: 'irqdomain/treewide: Keep firmware node unconditionally allocated',
    hash: 'e3beca48a45b5e0e6e6a4e0124276b8248dcc9bb',
    location:
      'drivers/iommu/intel/irq_remapping.c intel_setup_irq_remapping() (also x86 vector, PCI-MSI, IOAPIC, HPET, AMD/Hyper-V IR, VMD)',
    model: 'models/drivers/iommu/intel/dmar.ts intelSetupIrqRemapping()',
    says: 'the IR code frees the named fwnode right after creating its domain on it, so the domain keeps a dangling fwnode (freed again at teardown)',
    target: k62,
  },
  B19: {
    id: 'B19',
    subject: 'PCI/MSI: Fix UAF in msi_capability_init',
    hash: '9eee5330656bf92f51cb1f09b2dc9f8cf975b3d1',
    location: 'drivers/pci/msi/msi.c msi_capability_init()',
    model: 'models/drivers/pci/msi.ts enable62()',
    says: 'after a failed MSI allocation the core has freed the descriptor, and the error exit unmasks through it',
    target: k62,
  },
  B12: {
    id: 'B12',
    subject: 'iommu/vt-d: Fix potential memory leak in intel_setup_irq_remapping()',
    hash: '99e675d473eb8cf2deac1376a0f840222fc1adcf',
    location: 'drivers/iommu/intel/irq_remapping.c intel_setup_irq_remapping()',
    model: 'models/drivers/iommu/intel/dmar.ts intelSetupIrqRemapping()',
    says: 'when dmar_enable_qi() fails on DMAR hot add, the IR domain and the INTEL-IR-MSI domain stay registered with their fwnodes for a unit that is released',
    target: { kernel: '5.10', design: 'kernel', config: 'small-dmar-hp' },
  },
  B27: {
    id: 'B27',
    subject: 'x86/ioapic: Use I/O-APIC ID for finding irqdomain, not index',
    hash: 'f36a74b9345aebaf5d325380df87a54720229d18',
    location: 'arch/x86/kernel/apic/io_apic.c mp_irqdomain_create()',
    model: 'models/arch/x86/ioapic.ts mpIrqdomainCreate()',
    says: "the I/O APIC's parent IR domain is looked up with its index in ioapics[] instead of its APIC id, so it lands on the DRHD whose scope lists that index as an id",
    target: { kernel: '5.10', design: 'kernel', config: 'ioapic' },
  },
  B28: {
    id: 'B28',
    subject: 'iommu/hyper-v: Remove I/O-APIC ID check from hyperv_irq_remapping_select()',
    hash: '26ab12bb9d96133b7880141d68b5e01a8783de9d',
    location: 'drivers/iommu/hyperv-iommu.c hyperv_irq_remapping_select()',
    model: 'models/drivers/iommu/ir-select.ts irqRemappingSelect()',
    says: 'Hyper-V claims only the I/O APIC fwspec with param[0] == 0; keyed by APIC id, an I/O APIC with id != 0 finds no parent and setup_IO_APIC() hits BUG()',
    target: { kernel: '5.10', design: 'kernel', config: 'hyperv' },
  },
  B29: {
    id: 'B29',
    subject: 'iommu/amd: Stop irq_remapping_select() matching when remapping is disabled',
    hash: 'b34f10c2dc5961021850c3c15f46a84b56a0c0e8',
    location: 'drivers/iommu/amd/iommu.c irq_remapping_select()',
    model: 'models/drivers/iommu/ir-select.ts irqRemappingSelect()',
    says: "the AMD IR domain still claims its I/O APIC after the init check turned remapping off, so the I/O APIC's pins are allocated through a disabled unit (NULL dereference in alloc_irq_table())",
    target: { kernel: '5.10', design: 'kernel', config: 'amd' },
  },
  B14: {
    id: 'B14',
    subject: 'PCI: hv: Fix interrupt cleanup path',
    hash: '0c6e617f656ec259162a41c0849e3a7557c99d95',
    location: 'drivers/pci/controller/pci-hyperv.c hv_msi_free()',
    model: 'models/drivers/pci/controller/pci-hyperv.ts hvMsiFree()',
    says: 'after the host ejected a function its hpdev is off the bus list, and freeing its interrupts returns early without freeing their host interrupt descriptors (int_desc)',
    target: { kernel: '5.10', design: 'kernel', config: 'hyperv-pci' },
  },
  B31: {
    id: 'B31',
    subject: 'x86/apic/msi: Unbreak DMAR and HPET MSI',
    hash: 'd27e623ace6af259075b6e0437380ee8d6268c5d',
    location:
      'arch/x86/kernel/apic/msi.c dmar_msi_domain_info, hpet_msi_domain_info; kernel/irq/msi.c msi_domain_update_dom_ops()',
    model: 'models/arch/x86/dmar-msi.ts dmarMsiDomainInfo()',
    says: 'the DMAR-MSI domain info lacks MSI_FLAG_USE_DEF_DOM_OPS, so the core leaves get_hwirq NULL and the first fault-interrupt allocation (dmar_set_interrupt) calls it',
    target: { kernel: '5.10', design: 'kernel', config: 'dmar-fault' },
  },
  B32: {
    id: 'B32',
    subject: 'PCI/MSI: Prevent MSI hardware interrupt number truncation',
    hash: 'db744ddd59be798c2627efbfc71f707f5a935a40',
    location: 'drivers/pci/msi/irqdomain.c pci_msi_domain_calc_hwirq()',
    model: 'models/drivers/pci/segment.ts pciMsiHwirq() (through pciMsiDomainCalcHwirq())',
    says: 'the PCI segment is shifted as a 32-bit value, so functions with the same bus/devfn on segments 0x19 and 0x39 get one hwirq in the shared PCI-MSI domain and the second one is refused (-EEXIST)',
    target: { kernel: '5.10', design: 'kernel', config: 'segments' },
  },
  B06: {
    id: 'B06',
    subject: 'irqchip/mbigen: Free msi_desc on device teardown',
    hash: 'edfc23f6f9fdbd7825d50ac1f380243cde19b679',
    location: 'drivers/irqchip/irq-mbigen.c mbigen_domain_ops .free (mbigen_irq_domain_free())',
    model:
      'models/faults/overlays.ts (the .free slot of mbigen_domain_ops), models/drivers/irqchip/mbigen.ts mbigenIrqDomainFree()',
    says: "the mbigen domain frees a wired interrupt with irq_domain_free_irqs_common(), so the platform-MSI device domain's free never runs and the mbigen's msi_desc stays, naming the freed irq",
    target: k62its,
  },
  B07: {
    id: 'B07',
    subject: 'platform-msi: Free descriptors in platform_msi_domain_free()',
    hash: '81b1e6e6a859',
    location: 'drivers/base/platform-msi.c platform_msi_domain_free() (6.2: platform_msi_device_domain_free())',
    model: 'models/drivers/base/platform-msi-device.ts platformMsiDeviceDomainFree()',
    says: 'freeing interrupts of a platform-MSI device domain frees the levels but leaves the descriptors made at allocation, still naming their irq; they pile up across map/unmap cycles',
    target: k62its,
  },
  B39: {
    id: 'B39',
    subject: 'genirq/msi: Move prepare() call to per-device allocation',
    hash: '1396e89e09f00deb816e5f4a176d71d554922292',
    location:
      'kernel/irq/msi.c __msi_domain_alloc_irqs(), msi_create_device_irq_domain(), msi_remove_device_irq_domain() (03c298760ed9); drivers/irqchip/irq-gic-v3-its.c its_irq_domain_free() (713335b6ee29)',
    model:
      'models/kernel/irq/msi.ts msiDomainAllocLocked(), msiRemoveDeviceIrqDomain(); models/drivers/pci/msi.ts pciSetupDeviceDomain(); models/drivers/irqchip/its.ts itsIrqDomainFree()',
    says: "a per-device MSI domain has its parent prepare on every allocation instead of once at creation, nothing tears the its_device down at domain removal, and the ITS frees an unshared its_device at its last event free instead: the per-device state is gone (and re-created) while its domain lives, kept forever once a second prepare marked it shared, and a domain prepared once (the mbigen's) allocates from a freed its_device",
    target: k62its,
  },
  B05: {
    id: 'B05',
    subject: 'PCI: vmd: Dont abuse vector irqomain as parent',
    hash: '585dfe8abc4460810c07114b64aca10a74fa2718',
    location: 'drivers/pci/controller/vmd.c vmd_enable_domain()',
    model: 'models/drivers/pci/controller/vmd.ts vmdProbe()',
    says: 'the VMD MSI domain is created with x86_vector_domain as parent, so every child interrupt also takes a CPU vector, which its message (a VMD MSI-X index) never reaches',
    target: { kernel: '5.10', design: 'kernel', config: 'vmd' },
  },
  B25: {
    id: 'B25',
    subject: 'PCI: vmd: Fix wrong kfree() in vmd_msi_free()',
    hash: 'd5c647b08ee02cb7fa50d89414ed0f5dc7c1ca0e',
    location: 'drivers/pci/controller/vmd.c vmd_msi_free()',
    model: 'models/drivers/pci/controller/vmd.ts vmdMsiFree()',
    says: "with VMD as MSI parent, vmd_msi_free() takes irq_get_chip_data(virq), the per-device PCI/MSI level's chip_data (already reset to NULL), instead of its own vmd_irq: NULL dereference, and the vmd_irq is never freed",
    target: { kernel: '6.2', design: 'kernel', config: 'vmd' },
  },
  B20: {
    id: 'B20',
    subject: 'PCI/MSI: Destroy sysfs before freeing entries',
    hash: '3735459037114d31e5acd9894fad9aed104231a0',
    location: 'drivers/pci/msi.c free_msi_irqs() (5.10)',
    model:
      'models/drivers/pci/msi.ts pciFreeIrqVectors() (readers: models/kernel/irq/msi-sysfs.ts, models/kernel/irq/concurrency.ts)',
    says: 'free_msi_irqs() frees the MSI entries before removing the msi_irqs/ files, so a reader inside msi_mode_show() finishes (kernfs_drain) on a freed entry',
    target: { kernel: '5.10', design: 'kernel', config: 'races' },
  },
  B30: {
    id: 'B30',
    subject: 'irqdomain: Fix domain registration race',
    hash: '8932c32c3053accd50702b36e944ac2016cd103c',
    location: 'kernel/irq/irqdomain.c irq_domain_create_hierarchy(), __irq_domain_add()',
    model:
      'models/kernel/irq/irqdomain.ts irqDomainCreateHierarchy() (the creating task: models/kernel/irq/concurrency.ts)',
    says: 'a new hierarchy domain is on irq_domain_list before its parent is set, so an allocation through it meanwhile gets irq data for the outer level only',
    target: { kernel: '6.2', design: 'kernel', config: 'races' },
  },
  B33: {
    id: 'B33',
    subject: 'irqdomain: Fix mapping-creation race',
    hash: '601363cc08da25747feb87c55573dd54de91d66a',
    location: 'kernel/irq/irqdomain.c irq_create_fwspec_mapping(), irq_create_mapping_affinity()',
    model:
      'models/kernel/irq/irq-mapping.ts irqCreateLineMapping() (the mapping task: models/kernel/irq/concurrency.ts)',
    says: 'the lookup of an existing mapping and the allocation of a new one are not under one lock, so two drivers of devices sharing a line both find none and map the pin twice',
    target: { kernel: '6.2', design: 'kernel', config: 'races' },
  },
  B35: {
    id: 'B35',
    subject: 'genirq/cpuhotplug: Retry with cpu_online_mask when migration fails',
    hash: '88d724e2301a69c1ab805cd74fc27aa36ae529e0',
    location: 'kernel/irq/cpuhotplug.c migrate_one_irq()',
    model: 'models/kernel/irq/cpuhotplug.ts cpuOffline()',
    says: 'when no online CPU of its mask has a free vector, migrating an irq off a dying CPU fails with -ENOSPC and is not retried with cpu_online_mask: the irq stays on the offline CPU',
    target: { kernel: '6.2', design: 'kernel', config: 'tight-vectors' },
  },
  B04: {
    id: 'B04',
    subject: 'genirq/msi: Ensure deactivation on teardown',
    hash: 'dbbc93576e03fbe24b365fab0e901eb442237a8a',
    location: 'kernel/irq/msi.c msi_domain_free_irqs() (6.2: __msi_domain_free_irqs())',
    model: 'models/kernel/irq/msi.ts freeDescIrqs()',
    says: 'freeing MSI interrupts does not deactivate those still activated (early activation, never requested): on the GIC-ITS no DISCARD is sent, so the freed event keeps its translation to the freed LPI in the ITT',
    target: k62its,
  },
  B36: {
    id: 'B36',
    subject: 'genirq/msi: Shutdown managed interrupts with unsatifiable affinities',
    hash: 'd802057c7c553ad426520a053da9f9fe08e2c35a',
    location:
      'kernel/irq/msi.c msi_init_virq() (6.2; the fix: __msi_domain_alloc_irqs()); drivers/irqchip/irq-gic-v3-its.c its_select_cpu()',
    model: 'models/kernel/irq/msi.ts msiInitVirq()',
    says: 'early activation activates a managed interrupt whose mask has no online CPU instead of leaving it in managed shutdown: the GIC-ITS falls back to an online CPU outside the mask',
    target: k62its,
  },
  B37: {
    id: 'B37',
    subject: 'genirq/affinity: Handle affinity setting on inactive interrupts correctly',
    hash: 'baedb87d1b53532f81b4bd0387f83b05d4f7eb9a',
    location:
      'kernel/irq/manage.c irq_set_affinity_locked() (the fix: irq_set_affinity_deactivated()); drivers/irqchip/irq-gic-v3-its.c its_set_affinity()',
    model: 'models/kernel/irq/manage.ts irqSetAffinity()',
    says: 'setting the affinity of an allocated but not activated interrupt calls the chip: the GIC-ITS sends MOVI for an event it has not mapped (a command error) instead of keeping the mask for activation',
    target: k62its,
  },
} as const satisfies Record<FaultName, Fault>;

/** a catalog id: what a profile's faults (FaultName, models/world/profile.ts) hold */
export type FaultId = keyof typeof faultCatalog & FaultName;

export const faultIds = Object.keys(faultCatalog) as FaultId[];

export const isFaultId = (s: string): s is FaultId => Object.hasOwn(faultCatalog, s);

export const faultById = (id: FaultId): Fault => faultCatalog[id];
