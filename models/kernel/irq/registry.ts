/*
 * models/kernel/irq/registry.ts - the ops tables through which the core reaches arch code and drivers
 *
 * The kernel's core never includes a driver: a driver hands it a table of callbacks (struct
 * irq_domain_ops, struct irq_chip, struct msi_domain_ops, ...) and the core calls through the
 * table. Here a domain's kind, a chip's kind or an MSI flavour selects the table. The tables are
 * filled once, by the composition root models/machine/ when it is imported; the core only reads
 * them, and a slot nobody filled is an error that names it.
 */
import type {
  ChipData,
  CpuId,
  DevId,
  DomainId,
  DomainKind,
  MsiDesc,
  MsiDomainInfo,
  MsiMsg,
  Device,
  Virq,
  World,
} from '../../world/types.ts';
import type { AllocArg } from '../../world/alloc.ts';
import type { Outcome } from '../../world/outcome.ts';

/** a kind-keyed table: set by the machine, read by the core */
function kindTable<K extends string, V>(what: string) {
  const slots = new Map<K, V>();
  return {
    set(kind: K, v: V): void {
      slots.set(kind, v);
    },
    get(kind: K): V {
      const v = slots.get(kind);
      if (v === undefined)
        throw new Error(`no ${what} for kind '${kind}' (models/machine fills these tables: is it imported?)`);
      return v;
    },
  };
}

/** a table of one slot (hooks that are not chosen by a kind) */
function slot<V>(what: string) {
  let v: V | undefined;
  return {
    set(x: V): void {
      v = x;
    },
    get(): V {
      if (v === undefined) throw new Error(`no ${what} registered (models/machine fills it: is it imported?)`);
      return v;
    },
  };
}

/** struct irq_domain_ops, per level: @lvl is the position of this domain in the virq's chain */
export interface DomainOps {
  alloc(w: World, lvl: number, virq: Virq, n: number, arg: AllocArg): Outcome<void>;
  free(w: World, lvl: number, virq: Virq, n: number): World;
  activate(w: World, lvl: number, virq: Virq, reserve: boolean, arg: AllocArg): Outcome<void>;
  deactivate(w: World, lvl: number, virq: Virq): World;
}

const domainOpsTable = kindTable<DomainKind, DomainOps>('struct irq_domain_ops');
export const registerDomainOps = domainOpsTable.set;
/** the irq_domain_ops of a domain of @kind */
export const domainOpsOf = domainOpsTable.get;

/**
 * A catalog fault that is a callback of its own: while it is switched on (w.profile.faults), its
 * slots replace those of the domain kind's irq_domain_ops, as the buggy kernel's ops table had
 * them (models/faults/overlays.ts; the machine registers them)
 */
export interface DomainOpsOverlay {
  readonly fault: string;
  readonly kind: DomainKind;
  readonly ops: Partial<DomainOps>;
}
const domainOpsOverlays: DomainOpsOverlay[] = [];
export const registerDomainOpsOverlay = (o: DomainOpsOverlay): void => void domainOpsOverlays.push(o);

/** the irq_domain_ops a domain of @kind has in @w: its table, with the slots of faults switched on */
export function domainOpsIn(w: World, kind: DomainKind): DomainOps {
  const base = domainOpsOf(kind);
  const on = w.profile.faults;
  if (!on?.length) return base;
  let ops = base;
  for (const o of domainOpsOverlays) if (o.kind === kind && on.includes(o.fault)) ops = { ...ops, ...o.ops };
  return ops;
}

/** irq_chip::irq_set_affinity of the level at @lvl */
export type SetAffinity = (w: World, virq: Virq, lvl: number, dest: readonly CpuId[]) => Outcome<void>;

/** struct irq_chip: the callbacks irq_do_set_affinity() finds on an irq's top level */
export interface IrqChipOps {
  readonly setAffinity: SetAffinity;
}

const irqChipTable = kindTable<DomainKind, IrqChipOps>('struct irq_chip');
export const registerIrqChip = irqChipTable.set;
/** the chip of the top level of an irq whose top domain is of @kind */
export const irqChipOf = irqChipTable.get;

/**
 * The parent's irq_chip as an MSI level calls it (msi_domain_set_affinity()): @setAffinity moves
 * the interrupt at the parent level; @done is IRQ_SET_MASK_OK_DONE, the parent moved it itself
 * (remapped or ITS-translated) and the device keeps its message.
 */
export interface MsiParentChipOps {
  readonly setAffinity: SetAffinity;
  readonly done: boolean;
}

const msiParentChipTable = kindTable<DomainKind, MsiParentChipOps>('MSI parent irq_chip');
export const registerMsiParentChip = msiParentChipTable.set;
/** the chip of the parent (of @kind) of an MSI level */
export const msiParentChipOf = msiParentChipTable.get;

/** irq_chip::irq_compose_msi_msg of the level below an MSI level, by that level's chip data */
export type ComposeMsiMsg = (w: World, below: ChipData) => MsiMsg;

const composeTable = kindTable<ChipData['kind'], ComposeMsiMsg>('irq_chip::irq_compose_msi_msg');
export const registerComposeMsiMsg = composeTable.set;
export const composeMsiMsgOf = composeTable.get;

/**
 * The MSI domain's own chip and callbacks, by msi_domain_info's chip kind: info->chip's
 * irq_write_msi_msg (the device side of the message), info->ops->msi_free, and what a chip does
 * once the message is composed (Hyper-V PCI asks the host for an interrupt)
 */
export interface MsiChipOps {
  readonly writeMsg?: (w: World, lvl: number, virq: Virq, msg: MsiMsg | null) => World;
  readonly msiFree?: (w: World, lvl: number, virq: Virq) => World;
  readonly composed?: (w: World, lvl: number, virq: Virq) => World;
}

const msiChipTable = kindTable<MsiDomainInfo['chip'], MsiChipOps>('MSI domain irq_chip');
export const registerMsiChip = msiChipTable.set;
export const msiChipOf = msiChipTable.get;

/**
 * Where a device's write of a message goes, by the message format: a chained handler (vmd_irq())
 * raises the controller's own interrupt; @chainedVirq absent: straight to a CPU
 */
export interface MsiTargetOps {
  readonly chainedVirq?: (w: World, msg: MsiMsg) => Virq | null;
}

const msiTargetTable = kindTable<MsiMsg['format'], MsiTargetOps>('MSI message target');
export const registerMsiTarget = msiTargetTable.set;
export const msiTargetOf = msiTargetTable.get;

/**
 * The MSI core's calls into the PCI code and the MSI parent (struct msi_domain_ops get_hwirq /
 * set_desc of a shared PCI/MSI domain, struct msi_parent_ops / msi_domain_ops msi_prepare and
 * msi_teardown)
 */
export interface MsiHooks {
  /** pci_msi_domain_calc_hwirq() */
  readonly pciCalcHwirq: (w: World, dev: Device, desc: MsiDesc) => number;
  /** msi_domain_prepare_irqs(): the parent's .msi_prepare() */
  readonly prepare: (w: World, domain: DomainId, dev: DevId, nvec: number) => World;
  /** .msi_teardown() of a per-device domain on its parent */
  readonly teardown: (w: World, domain: DomainId | undefined, dev: DevId) => Outcome<void>;
}

const msiHooksSlot = slot<MsiHooks>('MSI hooks (struct msi_domain_ops / msi_parent_ops)');
export const registerMsiHooks = msiHooksSlot.set;
export const msiHooks = msiHooksSlot.get;

/**
 * Arch hooks the generic code calls (arch/x86/kernel/apic/vector.c): irq_complete_move() when
 * an interrupt arrives on its new vector, irq_force_complete_move() when a CPU goes offline
 */
export interface ArchIrqHooks {
  readonly irqCompleteMove: (w: World, virq: Virq, lvl: number) => World;
  readonly irqForceCompleteMove: (w: World, virq: Virq, lvl: number) => World;
}

const archSlot = slot<ArchIrqHooks>('arch irq hooks');
export const registerArchIrqHooks = archSlot.set;
export const archIrqHooks = archSlot.get;
