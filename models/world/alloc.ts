/*
 * models/world/alloc.ts - what an allocation carries down the hierarchy (x86 struct
 * irq_alloc_info) and the injected allocation failures an operation may take as a parameter
 *
 * Plain data, used by the core, the arch code, the drivers and the designs alike.
 */
import type { CpuId, DescId, DevId } from './types.ts';

/** where an injected allocation failure hits (an operation parameter, see FailPoint) */
export type FailSite = 'irq-desc' | 'irq-data' | 'vector' | 'irte' | 'msi-desc' | 'activate';

/**
 * FailPoint - make the @index-th attempt at @site fail inside one operation
 * irq-desc/irte: per __irq_domain_alloc_irqs call; irq-data/vector/activate: per virq;
 * msi-desc: per descriptor.
 */
export interface FailPoint {
  readonly site: FailSite;
  readonly index: number;
}

/** x86 struct irq_alloc_info: what the top level passes down the hierarchy */
export interface AllocArg {
  /** X86_IRQ_ALLOC_TYPE_*: decides the IRTE source-id (intel_irq_remapping_prepare_irte) */
  readonly type: 'pci-msi' | 'pci-msix' | 'dev-msi' | 'ioapic' | 'none';
  /** X86_IRQ_ALLOC_TYPE_IOAPIC: info->devid = mpc_ioapic_id() of the pin's I/O APIC */
  readonly ioapicId?: number;
  /** the device that emits the interrupt (msi_desc_to_pci_dev) */
  readonly dev: DevId | null;
  readonly desc: DescId | null;
  /** hwirq of the MSI level for the first virq */
  readonly hwirqBase: number;
  /** info->mask: a fixed destination, real vector at allocation */
  readonly fixedMask: readonly CpuId[] | null;
  readonly fail: FailPoint | null;
  /** position of this call's first virq within the operation (for per-virq fail points) */
  readonly virqOffset: number;
  /** position of this __irq_domain_alloc_irqs call within the operation */
  readonly callIndex: number;
}

export const noArg: AllocArg = {
  type: 'none',
  dev: null,
  desc: null,
  hwirqBase: 0,
  fixedMask: null,
  fail: null,
  virqOffset: 0,
  callIndex: 0,
};

export const failsAt = (arg: AllocArg, site: FailSite, index: number): boolean =>
  arg.fail !== null && arg.fail.site === site && arg.fail.index === index;
