/*
 * models/kernel/irq/hierarchy.ts - the domain ops table and the parent calls (kernel/irq/irqdomain.c)
 *
 * A domain is data plus an ops table chosen by its kind, as in the kernel. A level reaches its
 * parent only through irqDomainAllocIrqsParent()/irqDomainFreeIrqsParent(); by convention a
 * level's alloc calls its parent first and undoes that itself when its own part fails.
 */
import type { CpuId, DescId, DevId, DomainKind, Virq, World } from '../../world/types.ts';
import type { Outcome } from '../../world/outcome.ts';
import { vectorDomainOps } from '../../arch/x86/vector.ts';
import { irDomainOps } from '../../drivers/iommu/ir-select.ts';
import { ioapicDomainOps } from '../../arch/x86/ioapic.ts';
import { msiDomainOps } from './msi-domain.ts';
import { itsDomainOps } from '../../drivers/irqchip/its.ts';
import { mbigenDomainOps } from '../../drivers/irqchip/mbigen.ts';
import { vmdDomainOps } from '../../drivers/pci/controller/vmd.ts';
import { wiredDomainOps } from './irq-mapping.ts';

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

/** struct irq_domain_ops, per level: @lvl is the position of this domain in the virq's chain */
export interface DomainOps {
  alloc(w: World, lvl: number, virq: Virq, n: number, arg: AllocArg): Outcome<void>;
  free(w: World, lvl: number, virq: Virq, n: number): World;
  activate(w: World, lvl: number, virq: Virq, reserve: boolean, arg: AllocArg): Outcome<void>;
  deactivate(w: World, lvl: number, virq: Virq): World;
}

/** the ops table by kind (built on first use: the level modules import this one too) */
let table: Readonly<Record<DomainKind, DomainOps>> | null = null;
export const domainOps = (kind: DomainKind): DomainOps =>
  (table ??= { vector: vectorDomainOps, ir: irDomainOps, msi: msiDomainOps, ioapic: ioapicDomainOps, its: itsDomainOps, mbigen: mbigenDomainOps, vmd: vmdDomainOps, wired: wiredDomainOps })[kind];

const kindAt = (w: World, virq: Virq, lvl: number): DomainKind | null => {
  const l = w.irqs[virq]?.levels[lvl];
  return l ? w.domains[l.domain]!.kind : null;
};

/** irq_domain_alloc_irqs_parent(): run the parent level's alloc (no parent: nothing to do) */
export function irqDomainAllocIrqsParent(w: World, lvl: number, virq: Virq, n: number, arg: AllocArg): Outcome<void> {
  const kind = kindAt(w, virq, lvl + 1);
  if (kind === null) return { kind: 'ok', world: w, value: undefined };
  return domainOps(kind).alloc(w, lvl + 1, virq, n, arg);
}

/** irq_domain_free_irqs_parent() */
export function irqDomainFreeIrqsParent(w: World, lvl: number, virq: Virq, n: number): World {
  let out = w;
  for (let i = 0; i < n; i++) {
    const kind = kindAt(out, virq + i, lvl + 1);
    if (kind !== null) out = domainOps(kind).free(out, lvl + 1, virq + i, 1);
  }
  return out;
}
