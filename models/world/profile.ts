/*
 * models/world/profile.ts - which kernel the model behaves like
 *
 * 5.10: global and per-IOMMU PCI-MSI domains, dev->msi_list, platform-MSI, no per-device domains.
 * 6.2:  per-device MSI domains under MSI parent domains (vector or VT-d IR), index stores, IMS
 *       (pci_create_ims_domain() and friends: merged for 6.2 without an in-tree user, reverted for
 *       6.10 with their VT-d/AMD/x86 companions; every IMS design here is a proposal on 6.2).
 * 6.12: the long-term kernel Debian ships (linux-source-6.12): per-device MSI domains under MSI
 *       parents as 6.2, no IMS (its calls are -ENOSYS; a design written for IMS is refused),
 *       irq_matrix_allocated() without managed vectors (a0b0bad10587, 6.7).
 *       Simplified, and why no verdict depends on it: device-MSI and platform-MSI became per-device
 *       domains in 6.11 (platform_device_msi_init_and_alloc_irqs()), and irq domains are created
 *       through irq_domain_instantiate() (6.11); the model keeps 6.2's platform-MSI path and its
 *       creation calls. No campaign runs 6.12 (kernelVersions: 5.10, 6.2); `--kernel 6.12` runs
 *       the kernel model there, whose verdicts do not use platform-MSI devices on that profile's
 *       default platforms.
 *
 * Quirks are known deviations of a real kernel from the contract the invariants state (failed
 * operations are atomic, counters match bitmaps, ...), found while validating the model. A profile switches on the ones its version has; tests switch them off to
 * check that the model's own bookkeeping is sound, and on to check that the engine finds them.
 * Fixes of the bug catalog are applied; catalog bugs come back as faults, not as quirks.
 */
/**
 * the id of a catalog bug (models/faults/catalog.ts, e.g. 'B01'): the profile names faults by
 * id only, so that the world needs nothing of the catalog (which checks its ids against this)
 */
export type FaultName = string;

export type KernelVersion = '5.10' | '6.2' | '6.12';

export const kernelQuirks = {
  'platform-msi-partial-alloc-leak': {
    version: '5.10',
    says:
      'a platform-MSI allocation that fails part way keeps the virqs of the descs already done ' +
      '(msi_domain_alloc_irqs returns at once; platform_msi_domain_alloc_irqs frees only the descs)',
    kernel: 'kernel/irq/msi.c msi_domain_alloc_irqs(), drivers/base/platform-msi.c (5.10)',
  },
  'msi-range-failure-frees-range': {
    version: '6.2',
    says:
      'a failed msi_domain_alloc_irqs_range() frees every interrupt in [first, last], ' +
      'including ones allocated by earlier successful calls',
    kernel: 'kernel/irq/msi.c msi_domain_alloc_locked() (6.2)',
  },
  'matrix-offline-managed-available': {
    version: 'both',
    says:
      "a managed reservation made or dropped while a CPU is offline does not change that CPU's " +
      'available count, and irq_matrix_online() does not recompute it: the count drifts',
    kernel: 'kernel/irq/matrix.c irq_matrix_reserve_managed(), irq_matrix_remove_managed(), irq_matrix_online()',
  },
  'lapic-online-clears-vector-irq': {
    version: 'both',
    says:
      'lapic_online() clears vector_irq[] of every non-legacy vector, also those still held by a ' +
      'dormant irq (allocated, not started) that keeps its vector across offline/online',
    kernel: 'arch/x86/kernel/apic/vector.c lapic_online(), kernel/irq/matrix.c (651ca2c00405)',
  },
  'activate-keeps-stale-effective-affinity': {
    version: 'both',
    says:
      'activating a fixed-vector irq that keeps its vector (assign_vector_locked() returns early) ' +
      'leaves the effective mask stored while it was deactivated, so a later CPU offline may not ' +
      'migrate it (irq_needs_fixup() reads the effective mask)',
    kernel: 'arch/x86/kernel/apic/vector.c assign_vector_locked(), kernel/irq/manage.c irq_set_affinity_deactivated()',
  },
  'activate-ignores-vector-exhaustion': {
    version: 'both',
    says:
      'activating a fixed-vector irq whose vector sits on a CPU that went offline while it was ' +
      'dormant, when no online CPU has a free vector, keeps the stale vector: x86_vector_activate() ' +
      'ignores the failure of assign_irq_vector_any_locked(), and request_irq() succeeds',
    kernel:
      'arch/x86/kernel/apic/vector.c x86_vector_activate(), assign_irq_vector_any_locked(); kernel/irq/cpuhotplug.c migrate_one_irq() (skips irqs not started)',
  },
} as const;

export type QuirkId = keyof typeof kernelQuirks;

/**
 * Kernel features a design brings with it (patches of its series that are not mainline).
 * dev-msi-alloc-type: X86_IRQ_ALLOC_TYPE_DEV_MSI, the x86 alloc type of a non-PCI device's MSI
 * under interrupt remapping; intel_irq_remapping_prepare_irte() sets no source-id for it
 * [RFC v2 02/18 and "iommu/vt-d: Add DEV-MSI support" (v4 02/17, 2020-10-30)]. Without it a
 * non-PCI MSI under IR hits the BUG_ON of the default case.
 */
export type KernelFeature = 'dev-msi-alloc-type';

export interface KernelProfile {
  readonly version: KernelVersion;
  readonly quirks: readonly QuirkId[];
  readonly features?: readonly KernelFeature[];
  /** catalog bugs switched back on (models/faults/catalog.ts); none in a normal run */
  readonly faults?: readonly FaultName[];
}

/** the profile of a kernel version with all of its known quirks on (what the kernel really does) */
export function kernelProfile(version: KernelVersion, opts: { quirks?: boolean } = {}): KernelProfile {
  const quirks =
    opts.quirks === false
      ? []
      : (Object.keys(kernelQuirks) as QuirkId[]).filter((q) => [version, 'both'].includes(kernelQuirks[q].version));
  return { version, quirks };
}

export function hasFeature(p: KernelProfile, f: KernelFeature): boolean {
  return p.features?.includes(f) ?? false;
}

/** is the pre-fix behaviour of catalog bug @f switched on? (used at the spot the fix changed) */
export function hasFault(p: KernelProfile, f: FaultName): boolean {
  return p.faults?.includes(f) ?? false;
}

export function hasQuirk(p: KernelProfile, q: QuirkId): boolean {
  return p.quirks.includes(q);
}

/** the kernels every campaign and property test runs (compare, check of all kernels) */
export const kernelVersions: readonly KernelVersion[] = ['5.10', '6.2'];
/** every profile a user can name (--kernel, a design file's kernel) */
export const profileVersions: readonly KernelVersion[] = ['5.10', '6.2', '6.12'];

/** IMS (drivers/pci/msi/api.c pci_create_ims_domain() & co.): 6.2 to 6.9, reverted for 6.10 */
export const hasIms = (p: Pick<KernelProfile, 'version'>): boolean => p.version === '6.2';

/** irq_matrix_allocated() leaves managed vectors out since a0b0bad10587 (6.7; 6.1.y, 6.6.y stable) */
export const matrixAllocatedExcludesManaged = (p: Pick<KernelProfile, 'version'>): boolean => p.version === '6.12';

/**
 * how listings name the kernel a design is written for: only the 5.10 kernel's own design is
 * mainline; every other one, the 6.2 'kernel' design included (the IMS API had no in-tree user:
 * idxd's IMS irq_chip was never merged), is a proposal on that kernel
 */
export const designKernelLabel = (design: string, kernel: KernelVersion): string =>
  design === 'kernel' && kernel !== '6.2' ? `mainline ${kernel}` : `proposal on ${kernel}`;

/**
 * why @design (written for @written) cannot run on @kernel, or null: a design runs on the kernel
 * it is written for; one written for 6.2 (the IMS API) has nothing to call on 6.12
 */
export function refuseDesignKernel(design: string, written: KernelVersion, kernel: KernelVersion): string | null {
  if (written === kernel) return null;
  if (written === '6.2' && !hasIms({ version: kernel }))
    return `design ${design} is written for the IMS API of 6.2 (pci_create_ims_domain, 6.2-6.9, reverted for 6.10): it cannot run on ${kernel}`;
  return `design ${design} is written for kernel ${written}: run it without --kernel`;
}
