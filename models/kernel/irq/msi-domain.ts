/*
 * models/kernel/irq/msi-domain.ts - the level ops of an MSI domain (kernel/irq/msi.c msi_domain_ops)
 *
 * One ops table serves every MSI flavour (PCI MSI/MSI-X, platform-MSI, IMS, per-device domains);
 * what differs is data: the bus token and msi_domain_info. Activation composes the message
 * through the parent (remappable format under IR, vector/destination without) and writes it to
 * the device; deactivation writes a zero message.
 */
import type { CpuId, IrChipData, ItsChipData, MsiChipData, MsiMsg, VectorChipData, Virq, World } from '../../world/types.ts';
import type { AllocArg, DomainOps } from './hierarchy.ts';
import { irqDomainAllocIrqsParent, irqDomainFreeIrqsParent } from './hierarchy.ts';
import { bug, err, okVoid, type Outcome } from '../../world/outcome.ts';
import { apicSetAffinity } from '../../arch/x86/vector.ts';
import { intelIrSetAffinity } from '../../drivers/iommu/intel/irq-remapping.ts';
import { itsSetAffinity } from '../../drivers/irqchip/its.ts';
import { levelOf, putLevel } from '../../world/world.ts';
import { imsPlatformWriteMsg, imsWriteMsg } from '../../drivers/dma/idxd/ims-chip.ts';
import { recValues } from '../../world/util.ts';
import { vmdComposeMsiMsg } from '../../drivers/pci/controller/vmd.ts';
import { hvComposeMsiMsg, hvMsiFree } from '../../drivers/pci/controller/pci-hyperv.ts';

/** the Hyper-V PCI chip: its compose asks the host for an interrupt (pci-hyperv.c) */
const isHv = (w: World, virq: Virq, lvl: number): boolean => w.domains[levelOf(w, virq, lvl).domain]?.msiInfo?.chip === 'hv-pci';

/** irq_find_mapping(domain, hwirq): another live virq already maps @hwirq in this domain */
function hwirqTaken(w: World, domain: number, hwirq: number, exclude: Virq, n: number): boolean {
  return recValues(w.irqs).some(
    (d) => (d.virq < exclude || d.virq >= exclude + n) && d.levels.some((l) => l.domain === domain && l.chip !== null && l.hwirq === hwirq),
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
  if (info?.ops && !info.ops.includes('get_hwirq')) return bug(w, `msi_domain_alloc(${w.domains[domain]!.name}): ops->get_hwirq is NULL (the domain info lacks MSI_FLAG_USE_DEF_DOM_OPS): NULL pointer dereference`);
  // an IMS array hands out slots below its size (ims_array_alloc_msi_store: -ENOSPC)
  if (info?.chip === 'ims-array' && arg.hwirqBase + n > info.hwsize) return err(w, 'ENOSPC', `${w.domains[domain]!.name}: all ${info.hwsize} IMS slots in use`);
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
    if (out.irqs[virq + i]?.levels[lvl]?.chip && isHv(out, virq + i, lvl)) out = hvMsiFree(out, lvl, virq + i);
    const l = out.irqs[virq + i]?.levels[lvl];
    if (l) out = putLevel(out, virq + i, lvl, { ...l, chip: null, programmed: false });
  }
  return irqDomainFreeIrqsParent(out, lvl, virq, n);
}

/** irq_chip_compose_msi_msg(): the first parent that composes - IR (remappable) or the vector */
export function composeMsiMsg(w: World, virq: Virq, lvl: number): MsiMsg {
  const below = levelOf(w, virq, lvl + 1).chip!;
  // a VMD parent composes its own message (vmd.c vmd_compose_msi_msg())
  if (below.kind === 'vmd') return vmdComposeMsiMsg(w, below) ?? { format: 'vmd', vmd: -1, index: -1 };
  if (below.kind === 'ir') {
    const c = below as IrChipData;
    return { format: 'remappable', unit: c.unit, index: c.irteIndex, sub: c.subHandle };
  }
  // GIC-ITS: GITS_TRANSLATER and the event id (its_irq_compose_msi_msg())
  if (below.kind === 'its') return { format: 'its', dev: (below as ItsChipData).itsDev, event: (below as ItsChipData).event };
  const v = below as VectorChipData;
  return { format: 'direct', vector: v.cfgVector, cpu: v.cfgCpu };
}

/**
 * irq_chip_write_msi_msg(): the device side. An IMS chip (6.2 per-device, 2021 IMS array)
 * writes the PF's IMS entry of its hwirq; a platform-MSI domain calls the device driver's
 * write_msg, which for an mdev is the RFC idxd callback (slot ims_index[msi_index]).
 */
function writeMsg(w: World, lvl: number, virq: Virq, msg: MsiMsg | null): World {
  const l = levelOf(w, virq, lvl);
  const domain = w.domains[l.domain]!;
  const chip = domain.msiInfo?.chip;
  if ((chip === 'ims' || chip === 'ims-array') && domain.dev !== null) return imsWriteMsg(w, domain.dev, l.hwirq, msg);
  if (chip === 'platform') {
    const o = w.irqs[virq]!.owner;
    const desc = o?.kind === 'msi' ? w.descs[o.desc] : undefined;
    if (desc) return imsPlatformWriteMsg(w, desc.dev, desc.msiIndex, msg);
  }
  return w;
}

/** msi_domain_activate(): compose and write the message to the device */
function msiDomainActivate(w: World, lvl: number, virq: Virq): Outcome<void> {
  // no parent level composes a message: BUG_ON(irq_chip_compose_msi_msg()) (-ENOSYS)
  if (!w.irqs[virq]!.levels[lvl + 1]) return bug(w, `msi_domain_activate(${virq}): no parent composes the MSI message: BUG_ON(irq_chip_compose_msi_msg())`);
  const msg = composeMsiMsg(w, virq, lvl);
  const out = writeMsg(w, lvl, virq, msg);
  const activated = putLevel(out, virq, lvl, { ...levelOf(out, virq, lvl), programmed: true, chip: { ...(levelOf(out, virq, lvl).chip as MsiChipData | null), kind: 'msi', msg } });
  return okVoid(isHv(w, virq, lvl) ? hvComposeMsiMsg(activated, lvl, virq) : activated);
}

/** msi_domain_deactivate(): write a zero message */
function msiDomainDeactivate(w: World, lvl: number, virq: Virq): World {
  const out = writeMsg(w, lvl, virq, null);
  return putLevel(out, virq, lvl, { ...levelOf(out, virq, lvl), programmed: false, chip: { ...(levelOf(out, virq, lvl).chip as MsiChipData | null), kind: 'msi', msg: null } });
}

/**
 * msiDomainSetAffinity() - move through the parent; rewrite the device message unless the
 * parent (IR) reports the move done
 * Kernel: kernel/irq/msi.c msi_domain_set_affinity()
 */
export function msiDomainSetAffinity(w: World, virq: Virq, lvl: number, dest: readonly CpuId[]): Outcome<void> {
  if (!w.irqs[virq]!.levels[lvl + 1]) return bug(w, `msi_domain_set_affinity(${virq}): irq_data->parent_data is NULL: NULL pointer dereference`);
  const parentKind = w.domains[levelOf(w, virq, lvl + 1).domain]!.kind;
  // a VMD child cannot move (vmd.c: MSI_FLAG_NO_AFFINITY, no irq_set_affinity callback)
  if (parentKind === 'vmd') return err(w, 'EINVAL', `irq ${virq}: a VMD child interrupt has no affinity of its own`);
  if (parentKind === 'ir') return intelIrSetAffinity(w, virq, lvl + 1, dest);
  if (parentKind === 'its') return itsSetAffinity(w, virq, lvl + 1, dest);
  const r = apicSetAffinity(w, virq, lvl + 1, dest);
  if (r.kind !== 'ok') return r;
  const l = levelOf(r.world, virq, lvl);
  if (!l.programmed) return r;
  const moved = putLevel(r.world, virq, lvl, { ...l, chip: { ...(l.chip as MsiChipData | null), kind: 'msi', msg: composeMsiMsg(r.world, virq, lvl) } });
  return okVoid(isHv(moved, virq, lvl) ? hvComposeMsiMsg(moved, lvl, virq) : moved);
}

export const msiDomainOps: DomainOps = {
  alloc: msiDomainAlloc,
  free: msiDomainFree,
  activate: (w, lvl, virq) => msiDomainActivate(w, lvl, virq),
  deactivate: msiDomainDeactivate,
};
