/*
 * models/kernel/irq/msi-domain.ts - the level ops of an MSI domain (kernel/irq/msi.c msi_domain_ops)
 *
 * One ops table serves every MSI flavour (PCI MSI/MSI-X, platform-MSI, IMS, per-device domains);
 * what differs is data: the bus token and msi_domain_info. Activation composes the message
 * through the parent (remappable format under IR, vector/destination without) and writes it to
 * the device; deactivation writes a zero message.
 */
import type { CpuId, MsiChipData, MsiMsg, Virq, World } from '../../world/types.ts';
import type { AllocArg, DomainOps } from './hierarchy.ts';
import { irqDomainAllocIrqsParent, irqDomainFreeIrqsParent } from './hierarchy.ts';
import { bug, err, okVoid, type Outcome } from '../../world/outcome.ts';
import { levelOf, putLevel } from '../../world/world.ts';
import { recValues } from '../../world/util.ts';
import { composeMsiMsgOf, msiChipOf, msiParentChipOf, type MsiChipOps } from './registry.ts';

/** the MSI chip ops of the domain of @virq's level @lvl (none: the domain has no msi_domain_info) */
const msiChipAt = (w: World, virq: Virq, lvl: number): MsiChipOps | undefined => {
  const chip = w.domains[levelOf(w, virq, lvl).domain]?.msiInfo?.chip;
  return chip === undefined ? undefined : msiChipOf(chip);
};

/** after the message is composed: the chip's own step (Hyper-V PCI asks the host, pci-hyperv.c) */
const afterCompose = (w: World, before: World, virq: Virq, lvl: number): World => {
  const composed = msiChipAt(before, virq, lvl)?.composed;
  return composed ? composed(w, lvl, virq) : w;
};

/** irq_find_mapping(domain, hwirq): another live virq already maps @hwirq in this domain */
function hwirqTaken(w: World, domain: number, hwirq: number, exclude: Virq, n: number): boolean {
  return recValues(w.irqs).some(
    (d) =>
      (d.virq < exclude || d.virq >= exclude + n) &&
      d.levels.some((l) => l.domain === domain && l.chip !== null && l.hwirq === hwirq),
  );
}

/**
 * msiDomainAlloc() - refuse a duplicate hwirq (-EEXIST), parent first, then hwirq per virq
 * Kernel: kernel/irq/msi.c msi_domain_alloc()
 */
function msiDomainAlloc(w: World, lvl: number, virq: Virq, n: number, arg: AllocArg): Outcome<void> {
  const domain = levelOf(w, virq, lvl).domain;
  const info = w.domains[domain]!.msiInfo;
  // hwirq = ops->get_hwirq(info, arg): a domain built without the callback calls NULL
  if (info?.ops && !info.ops.includes('get_hwirq'))
    return bug(
      w,
      `msi_domain_alloc(${w.domains[domain]!.name}): ops->get_hwirq is NULL (the domain info lacks MSI_FLAG_USE_DEF_DOM_OPS): NULL pointer dereference`,
    );
  // an IMS array hands out slots below its size (ims_array_alloc_msi_store: -ENOSPC)
  if (info?.chip === 'ims-array' && arg.hwirqBase + n > info.hwsize)
    return err(w, 'ENOSPC', `${w.domains[domain]!.name}: all ${info.hwsize} IMS slots in use`);
  for (let i = 0; i < n; i++) {
    if (hwirqTaken(w, domain, arg.hwirqBase + i, virq, n)) {
      return err(w, 'EEXIST', `hwirq ${arg.hwirqBase + i} already mapped in ${w.domains[domain]!.name}`);
    }
  }
  const p = irqDomainAllocIrqsParent(w, lvl, virq, n, arg);
  if (p.kind !== 'ok') return p;
  let out = p.world;
  for (let i = 0; i < n; i++) {
    const chip: MsiChipData = { kind: 'msi', msg: null };
    out = putLevel(out, virq + i, lvl, { ...levelOf(out, virq + i, lvl), hwirq: arg.hwirqBase + i, chip });
  }
  return okVoid(out);
}

/** msi_domain_free() via irq_domain_free_irqs_top(): drop chip data, free the parent */
function msiDomainFree(w: World, lvl: number, virq: Virq, n: number): World {
  let out = w;
  for (let i = 0; i < n; i++) {
    // info->ops->msi_free (Hyper-V: hv_msi_free() releases the host's interrupt descriptor)
    const msiFree = out.irqs[virq + i]?.levels[lvl]?.chip ? msiChipAt(out, virq + i, lvl)?.msiFree : undefined;
    if (msiFree) out = msiFree(out, lvl, virq + i);
    const l = out.irqs[virq + i]?.levels[lvl];
    if (l) out = putLevel(out, virq + i, lvl, { ...l, chip: null, programmed: false });
  }
  return irqDomainFreeIrqsParent(out, lvl, virq, n);
}

/**
 * irq_chip_compose_msi_msg(): the level below composes - IR (remappable), GIC-ITS (translater and
 * event id), a VMD (its own MSI-X index) or the vector (vector and destination)
 */
export function composeMsiMsg(w: World, virq: Virq, lvl: number): MsiMsg {
  // irq_chip_compose_msi_msg(): the first level below whose chip composes; an MSI level's chip
  // (one MSI domain stacked on another) has no irq_compose_msi_msg, so the walk goes past it
  const levels = w.irqs[virq]!.levels;
  let at = lvl + 1;
  while (at + 1 < levels.length && levels[at]!.chip?.kind === 'msi') at++;
  const below = levelOf(w, virq, at).chip!;
  return composeMsiMsgOf(below.kind)(w, below);
}

/**
 * irq_chip_write_msi_msg(): the device side, the MSI domain chip's write_msg. An IMS chip (6.2
 * per-device, 2021 IMS array) writes the PF's IMS entry of its hwirq; a platform-MSI domain calls
 * the device driver's write_msg, which for an mdev is the RFC idxd callback (slot ims_index[msi_index]).
 */
function writeMsg(w: World, lvl: number, virq: Virq, msg: MsiMsg | null): World {
  const write = msiChipAt(w, virq, lvl)?.writeMsg;
  return write ? write(w, lvl, virq, msg) : w;
}

/** msi_domain_activate(): compose and write the message to the device */
function msiDomainActivate(w: World, lvl: number, virq: Virq): Outcome<void> {
  // no parent level composes a message: BUG_ON(irq_chip_compose_msi_msg()) (-ENOSYS)
  if (!w.irqs[virq]!.levels[lvl + 1])
    return bug(
      w,
      `msi_domain_activate(${virq}): no parent composes the MSI message: BUG_ON(irq_chip_compose_msi_msg())`,
    );
  const msg = composeMsiMsg(w, virq, lvl);
  const out = writeMsg(w, lvl, virq, msg);
  const activated = putLevel(out, virq, lvl, {
    ...levelOf(out, virq, lvl),
    programmed: true,
    chip: { ...(levelOf(out, virq, lvl).chip as MsiChipData | null), kind: 'msi', msg },
  });
  return okVoid(afterCompose(activated, w, virq, lvl));
}

/** msi_domain_deactivate(): write a zero message */
function msiDomainDeactivate(w: World, lvl: number, virq: Virq): World {
  const out = writeMsg(w, lvl, virq, null);
  return putLevel(out, virq, lvl, {
    ...levelOf(out, virq, lvl),
    programmed: false,
    chip: { ...(levelOf(out, virq, lvl).chip as MsiChipData | null), kind: 'msi', msg: null },
  });
}

/**
 * msiDomainSetAffinity() - move through the parent; rewrite the device message unless the
 * parent (IR) reports the move done
 * Kernel: kernel/irq/msi.c msi_domain_set_affinity()
 */
export function msiDomainSetAffinity(w: World, virq: Virq, lvl: number, dest: readonly CpuId[]): Outcome<void> {
  if (!w.irqs[virq]!.levels[lvl + 1])
    return bug(w, `msi_domain_set_affinity(${virq}): irq_data->parent_data is NULL: NULL pointer dereference`);
  const parent = msiParentChipOf(w.domains[levelOf(w, virq, lvl + 1).domain]!.kind);
  const r = parent.setAffinity(w, virq, lvl + 1, dest);
  // IRQ_SET_MASK_OK_DONE (IR, ITS): the parent moved it, the device keeps its message
  if (r.kind !== 'ok' || parent.done) return r;
  const l = levelOf(r.world, virq, lvl);
  if (!l.programmed) return r;
  const moved = putLevel(r.world, virq, lvl, {
    ...l,
    chip: { ...(l.chip as MsiChipData | null), kind: 'msi', msg: composeMsiMsg(r.world, virq, lvl) },
  });
  return okVoid(afterCompose(moved, moved, virq, lvl));
}

export const msiDomainOps: DomainOps = {
  alloc: msiDomainAlloc,
  free: msiDomainFree,
  activate: (w, lvl, virq) => msiDomainActivate(w, lvl, virq),
  deactivate: msiDomainDeactivate,
};
