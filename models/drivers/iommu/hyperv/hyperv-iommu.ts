/*
 * models/drivers/iommu/hyperv/hyperv-iommu.ts - Hyper-V's interrupt "remapping" for the emulated I/O APIC
 * (drivers/iommu/hyperv-iommu.c)
 *
 * Modelled: the HYPERV-IR domain on a named fwnode, parent the vector domain; it takes I/O APIC
 * interrupts only, one at a time, and holds no IRTE: its level only keeps the chip. Its
 * set_affinity moves the vector and cleans up the old one, and the I/O APIC entry is rewritten
 * with the new vector and destination.
 * Left out: the ioapic_max_cpumask affinity limit; the root-partition variant.
 * Model simplification: the level's hwirq is the I/O APIC pin (the kernel leaves it 0).
 */
import type { CpuId, HvIrChipData, UnitId, Virq, World } from '../../../world/types.ts';
import type { DomainOps } from '../../../kernel/irq/hierarchy.ts';
import { irqDomainAllocIrqsParent, irqDomainFreeIrqsParent } from '../../../kernel/irq/hierarchy.ts';
import { err, okVoid, type Outcome } from '../../../world/outcome.ts';
import { irqDomainCreateNamed, bootPlainDomain } from '../../../kernel/irq/fwnode.ts';
import { apicSetAffinity, vectorFreeMovedVector } from '../../../arch/x86/vector.ts';
import { levelOf, putLevel, putUnit } from '../../../world/world.ts';

/**
 * hypervPrepareIrqRemapping() - the HYPERV-IR domain
 * Kernel: drivers/iommu/hyperv-iommu.c hyperv_prepare_irq_remapping()
 */
export function hypervPrepareIrqRemapping(w: World, unitId: UnitId): World {
  const d = irqDomainCreateNamed(w, {
    name: 'HYPERV-IR',
    kind: 'ir',
    parent: w.vectorDomain,
    busToken: 'ANY',
    msiParent: false,
    ...bootPlainDomain,
    unit: unitId,
  });
  return putUnit(d.w, { ...d.w.units[unitId]!, irDomain: d.id });
}

/** hyperv_irq_remapping_alloc(): I/O APIC only, one irq; parent first, then the chip */
function hypervIrqRemappingAlloc(
  w: World,
  lvl: number,
  virq: Virq,
  n: number,
  arg: Parameters<DomainOps['alloc']>[4],
): Outcome<void> {
  const domain = w.domains[levelOf(w, virq, lvl).domain]!;
  if (arg.type !== 'ioapic' || n > 1) return err(w, 'EINVAL', `${domain.name}: only one I/O APIC interrupt per call`);
  const p = irqDomainAllocIrqsParent(w, lvl, virq, n, arg);
  if (p.kind !== 'ok') return p;
  const chip: HvIrChipData = { kind: 'hv-ir', unit: domain.unit! };
  return okVoid(putLevel(p.world, virq, lvl, { ...levelOf(p.world, virq, lvl), hwirq: arg.hwirqBase, chip }));
}

/** hyperv_irq_remapping_free(): irq_domain_free_irqs_common() */
function hypervIrqRemappingFree(w: World, lvl: number, virq: Virq, n: number): World {
  let out = w;
  for (let i = 0; i < n; i++) {
    const l = out.irqs[virq + i]?.levels[lvl];
    if (l) out = putLevel(out, virq + i, lvl, { ...l, chip: null, programmed: false });
  }
  return irqDomainFreeIrqsParent(out, lvl, virq, n);
}

/**
 * hypervIrSetAffinity() - move the parent vector and clean up the old one; not "done": the
 * I/O APIC entry is rewritten by its own chip
 * Kernel: drivers/iommu/hyperv-iommu.c hyperv_ir_set_affinity()
 */
export function hypervIrSetAffinity(w: World, virq: Virq, lvl: number, dest: readonly CpuId[]): Outcome<void> {
  const r = apicSetAffinity(w, virq, lvl + 1, dest);
  if (r.kind !== 'ok') return r;
  return okVoid(vectorFreeMovedVector(r.world, virq, lvl + 1));
}

/** hyperv_ir_domain_ops: no activate/deactivate callbacks, the level just follows its parent */
export const hypervIrDomainOps: DomainOps = {
  alloc: hypervIrqRemappingAlloc,
  free: hypervIrqRemappingFree,
  activate: (w, lvl, virq) => okVoid(putLevel(w, virq, lvl, { ...levelOf(w, virq, lvl), programmed: true })),
  deactivate: (w, lvl, virq) => putLevel(w, virq, lvl, { ...levelOf(w, virq, lvl), programmed: false }),
};
