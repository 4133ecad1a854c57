/*
 * models/drivers/iommu/amd/amd-iommu.ts - AMD-Vi interrupt remapping (drivers/iommu/amd/init.c, iommu.c)
 *
 * Modelled: one IR domain per IOMMU ("AMD-IR-<n>" on a named fwnode), registered while the IOMMUs
 * are brought up; the init-time check that every I/O APIC of the MADT is listed in the IVRS,
 * which turns interrupt remapping off (amd_iommu_irq_remap = false) after the domains exist;
 * allocation through an IR domain.
 * Left out: the per-devid remapping tables (alloc_irq_table()/alloc_irq_index()): an IRTE index
 * is taken from the unit's table as for VT-d, with the source's devid as its SID; GA mode, AVIC.
 */
import type { UnitId, World } from '../../../world/types.ts';
import type { DomainOps } from '../../../kernel/irq/hierarchy.ts';
import { bug, err } from '../../../world/outcome.ts';
import { intelIrDomainOps } from '../intel/irq-remapping.ts';
import { irqDomainCreateNamed, bootPlainDomain } from '../../../kernel/irq/fwnode.ts';
import { levelOf, putUnit } from '../../../world/world.ts';

/**
 * amdIommuCreateIrqDomain() - the IOMMU's IR domain on a named fwnode, parent the vector domain
 * Kernel: drivers/iommu/amd/iommu.c amd_iommu_create_irq_domain()
 */
export function amdIommuCreateIrqDomain(w: World, unitId: UnitId): World {
  const d = irqDomainCreateNamed(w, {
    name: `AMD-IR-${unitId}`,
    kind: 'ir',
    parent: w.vectorDomain,
    busToken: 'ANY',
    msiParent: false,
    ...bootPlainDomain,
    isolatedMsi: true,
    unit: unitId,
  });
  return putUnit(d.w, { ...d.w.units[unitId]!, irDomain: d.id });
}

/**
 * amdIommuCheckIoapics() - every I/O APIC must be in the IVRS, else interrupt remapping is
 * turned off for all IOMMUs (the IR domains stay registered)
 * Kernel: drivers/iommu/amd/init.c check_ioapic_information() ("ioapic[%d] not in IVRS table"),
 *         amd_iommu_irq_remap = false
 */
export function amdIommuCheckIoapics(w: World): World {
  const listed = (id: number) => w.units.some((u) => (u.ioapicScope ?? []).includes(id));
  if (w.platform.ioapics.every((a) => listed(a.id))) return w;
  let out = w;
  for (const u of w.units)
    if ((u.kind ?? 'intel') === 'amd') out = putUnit(out, { ...out.units[u.id]!, irEnabled: false });
  return out;
}

/**
 * amd_ir_domain_ops: irq_remapping_alloc() finds the devid's remapping table with
 * alloc_irq_table(), which with remapping off dereferences the never-allocated irq_lookup_table;
 * the rest as for VT-d (IRTE, activation, free)
 * Kernel: drivers/iommu/amd/iommu.c irq_remapping_alloc(), alloc_irq_table()
 */
export const amdIrDomainOps: DomainOps = {
  ...intelIrDomainOps,
  alloc: (w, lvl, virq, n, arg) => {
    const d = w.domains[levelOf(w, virq, lvl).domain]!;
    const u = w.units[d.unit!]!;
    // no irq_alloc_info / no devid for it: -EINVAL before anything is touched
    if (arg.type === 'none') return err(w, 'EINVAL', `${d.name}: irq_remapping_alloc without an allocation type`);
    if (!u.irEnabled)
      return bug(
        w,
        `alloc_irq_table: NULL pointer dereference: ${d.name} allocates while interrupt remapping is off (no irq_lookup_table)`,
      );
    return intelIrDomainOps.alloc(w, lvl, virq, n, arg);
  },
};
