/*
 * models/drivers/iommu/intel/irq-remapping.ts - Intel interrupt remapping: the IR domain of a DMAR unit
 * (drivers/iommu/intel/irq_remapping.c)
 *
 * Modelled: IRTE blocks (naturally aligned powers of two, released only through sub-handle 0),
 * source-id and SVT prepared at allocation, present/not-present at (de)activation, the IR
 * set_affinity path that rewrites the IRTE and cleans up the old vector at once.
 * Left out: posted interrupts, the IEC flush, EIM.
 */
import type { ChipData, CpuId, IrChipData, Irte, MsiMsg, VectorChipData, Virq, World } from '../../../world/types.ts';
import type { AllocArg, DomainOps } from '../../../kernel/irq/hierarchy.ts';
import { failsAt, irqDomainAllocIrqsParent, irqDomainFreeIrqsParent } from '../../../kernel/irq/hierarchy.ts';
import { bug, err, okVoid, type Outcome } from '../../../world/outcome.ts';
import { apicSetAffinity, vectorFreeMovedVector } from '../../../arch/x86/vector.ts';
import { levelOf, putLevel, putUnit, unitOf, updIrq } from '../../../world/world.ts';
import { recDel, recPut, setAdd, setDel } from '../../../world/util.ts';

/** svt values of the IRTE (intel-iommu.h SVT_*) */
export const SVT_NO_VERIFY = 0;
export const SVT_VERIFY_SID_SQ = 1;

/** bitmap_find_free_region(): first free block of 2^order entries aligned to its size */
function findFreeRegion(bitmap: readonly number[], entries: number, order: number): number {
  const size = 1 << order;
  const taken = new Set(bitmap);
  for (let base = 0; base + size <= entries; base += size) {
    let free = true;
    for (let i = base; i < base + size; i++) {
      if (taken.has(i)) {
        free = false;
        break;
      }
    }
    if (free) return base;
  }
  return -1;
}

/**
 * setIoapicSid() - the source-id of the I/O APIC with APIC id @apicId: the bus:devfn of the
 * ir_ioapic[] entry (a DMAR IOAPIC device scope of any present unit) with that id; null when no
 * unit lists it ("Failed to set source-id of IOAPIC")
 * Kernel: drivers/iommu/intel/irq_remapping.c set_ioapic_sid()
 */
export function setIoapicSid(w: World, apicId: number): number | null {
  if (!w.units.some((u) => u.present && (u.ioapicScope ?? []).includes(apicId))) return null;
  return w.platform.ioapics.find((a) => a.id === apicId)?.sid ?? null;
}

/**
 * allocIrte() - claim one naturally aligned block of 2^ceil(log2 count) IRTEs
 * Kernel: drivers/iommu/intel/irq_remapping.c alloc_irte()
 */
export function allocIrte(w: World, unitId: number, count: number): { w: World; index: number; mask: number } | null {
  const unit = unitOf(w, unitId);
  const mask = count > 1 ? Math.ceil(Math.log2(count)) : 0;
  if (mask > unit.maxHandleMask) return null; // "Requested mask exceeds the max invalidation handle mask"
  const index = findFreeRegion(unit.irteBitmap, unit.irteEntries, mask);
  if (index < 0) return null; // "IR%d: can't allocate an IRTE"
  let bitmap = unit.irteBitmap;
  for (let i = index; i < index + (1 << mask); i++) bitmap = setAdd(bitmap, i);
  return { w: putUnit(w, { ...unit, irteBitmap: bitmap }), index, mask };
}

/** clear_entries(): only sub-handle 0 zeroes the block and releases the bitmap region */
export function clearEntries(w: World, c: IrChipData): World {
  if (c.subHandle !== 0) return w;
  const unit = unitOf(w, c.unit);
  let bitmap = unit.irteBitmap;
  let irtes = unit.irtes;
  for (let i = c.irteIndex; i < c.irteIndex + (1 << c.irteMask); i++) {
    bitmap = setDel(bitmap, i);
    irtes = recDel(irtes, i);
  }
  return putUnit(w, { ...unit, irteBitmap: bitmap, irtes });
}

/**
 * intelIrqRemappingAlloc() - parent vectors first, then an IRTE block, then per virq the
 * hwirq (index << 16 | sub_handle), the prepared IRTE with its source-id, IRQ_MOVE_PCNTXT
 * Kernel: drivers/iommu/intel/irq_remapping.c intel_irq_remapping_alloc(),
 *         intel_irq_remapping_prepare_irte(), set_msi_sid()
 */
function intelIrqRemappingAlloc(w: World, lvl: number, virq: Virq, n: number, arg: AllocArg): Outcome<void> {
  const domain = w.domains[levelOf(w, virq, lvl).domain]!;
  const unitId = domain.unit!;
  if (n > 1 && arg.type !== 'pci-msi' && arg.type !== 'pci-msix' && arg.type !== 'dev-msi') {
    return err(w, 'EINVAL', `${domain.name}: ${n} irqs in one call only for PCI MSI/MSI-X`);
  }
  const p = irqDomainAllocIrqsParent(w, lvl, virq, n, arg);
  if (p.kind !== 'ok') return p;
  const undoParent = (why: string) => err(irqDomainFreeIrqsParent(p.world, lvl, virq, n), 'ENOMEM', why);
  if (failsAt(arg, 'irte', arg.callIndex)) return undoParent(`injected: alloc_irte on ${unitOf(w, unitId).name}`);
  const block = allocIrte(p.world, unitId, n);
  if (!block)
    return undoParent(
      `Failed to allocate IRTE: ${unitOf(w, unitId).name} has no free block of ${n > 1 ? 1 << Math.ceil(Math.log2(n)) : 1}`,
    );
  if (arg.type === 'none') {
    // intel_irq_remapping_prepare_irte(): no source-id rule for this alloc type -> BUG_ON(1)
    return bug(w, `intel_irq_remapping_prepare_irte: unsupported allocation type for ${domain.name}`);
  }
  // PCI MSI/MSI-X: set_msi_sid() with the requester id; DEV_MSI (RFC): no source-id at all;
  // I/O APIC: set_ioapic_sid() (no scope entry for its id: no verification)
  const ioapicSid = arg.type === 'ioapic' ? setIoapicSid(w, arg.ioapicId ?? -1) : null;
  const devMsi = arg.type === 'dev-msi' || (arg.type === 'ioapic' && ioapicSid === null);
  const rid = ioapicSid ?? (arg.dev !== null && !devMsi ? (w.devices[arg.dev]?.rid ?? 0) : 0);
  let out = block.w;
  for (let i = 0; i < n; i++) {
    const chip: IrChipData = {
      kind: 'ir',
      unit: unitId,
      irteIndex: block.index,
      subHandle: i,
      irteMask: block.mask,
      sid: rid,
      svt: devMsi ? SVT_NO_VERIFY : SVT_VERIFY_SID_SQ,
    };
    out = putLevel(out, virq + i, lvl, { ...levelOf(out, virq + i, lvl), hwirq: (block.index << 16) + i, chip });
    out = updIrq(out, virq + i, (d) => ({ ...d, movePcntxt: true }));
  }
  return okVoid(out);
}

/** intel_irq_remapping_free(): clear entries (block via sub-handle 0), then the parent */
function intelIrqRemappingFree(w: World, lvl: number, virq: Virq, n: number): World {
  let out = w;
  for (let i = 0; i < n; i++) {
    const l = out.irqs[virq + i]?.levels[lvl];
    if (!l?.chip) continue;
    out = clearEntries(out, l.chip as IrChipData);
    out = putLevel(out, virq + i, lvl, { ...l, chip: null, programmed: false });
  }
  return irqDomainFreeIrqsParent(out, lvl, virq, n);
}

/** modify_irte(): write the entry from the parent vector level's hw_irq_cfg */
function writeIrte(w: World, virq: Virq, lvl: number): World {
  const c = levelOf(w, virq, lvl).chip as IrChipData;
  const cfg = levelOf(w, virq, lvl + 1).chip as VectorChipData;
  const unit = unitOf(w, c.unit);
  const irte: Irte = { present: true, vector: cfg.cfgVector, destCpu: cfg.cfgCpu, sid: c.sid, svt: c.svt };
  return putUnit(w, { ...unit, irtes: recPut(unit.irtes, c.irteIndex + c.subHandle, irte) });
}

/** intel_irq_remapping_activate(): the IRTE becomes present */
function intelIrqRemappingActivate(w: World, lvl: number, virq: Virq): Outcome<void> {
  const out = writeIrte(w, virq, lvl);
  return okVoid(putLevel(out, virq, lvl, { ...levelOf(out, virq, lvl), programmed: true }));
}

/** intel_irq_remapping_deactivate(): an all-zero, non-present IRTE; the index stays owned */
function intelIrqRemappingDeactivate(w: World, lvl: number, virq: Virq): World {
  const c = levelOf(w, virq, lvl).chip as IrChipData;
  const unit = unitOf(w, c.unit);
  const out = putUnit(w, { ...unit, irtes: recDel(unit.irtes, c.irteIndex + c.subHandle) });
  return putLevel(out, virq, lvl, { ...levelOf(out, virq, lvl), programmed: false });
}

/**
 * intelIrSetAffinity() - move the parent vector, rewrite the IRTE, clean up the old vector at
 * once; returns "done" so the MSI message in the device is not rewritten.
 * Kernel: drivers/iommu/intel/irq_remapping.c intel_ir_set_affinity()
 */
export function intelIrSetAffinity(w: World, virq: Virq, lvl: number, dest: readonly CpuId[]): Outcome<void> {
  const r = apicSetAffinity(w, virq, lvl + 1, dest);
  if (r.kind !== 'ok') return r;
  let out = r.world;
  if (out.irqs[virq]!.activated) out = writeIrte(out, virq, lvl);
  return okVoid(vectorFreeMovedVector(out, virq, lvl + 1));
}

/** intel_ir_compose_msi_msg(): the remappable format, pointing at the level's IRTE */
export function intelIrComposeMsiMsg(_w: World, below: ChipData): MsiMsg {
  const c = below as IrChipData;
  return { format: 'remappable', unit: c.unit, index: c.irteIndex, sub: c.subHandle };
}

export const intelIrDomainOps: DomainOps = {
  alloc: intelIrqRemappingAlloc,
  free: intelIrqRemappingFree,
  activate: (w, lvl, virq) => intelIrqRemappingActivate(w, lvl, virq),
  deactivate: intelIrqRemappingDeactivate,
};
