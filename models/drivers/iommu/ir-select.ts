/*
 * models/drivers/iommu/ir-select.ts - the interrupt-remapping unit kinds in one place: which driver runs
 * a unit (Intel VT-d, AMD-Vi, Hyper-V), its setup at boot, its domain ops, and how an I/O APIC
 * finds its parent domain through the units' select() callbacks.
 *
 * Kernel: kernel/irq/irqdomain.c irq_find_matching_fwspec() walks irq_domain_list (newest domain
 * first, irq_domain_add() does list_add()) and takes the first domain whose ops->select() claims
 * the fwspec. The I/O APIC's fwspec is { fwnode of "IO-APIC-<id>", param[0] = its APIC id }
 * (arch/x86/kernel/apic/io_apic.c mp_irqdomain_create()). The claimants are:
 *   drivers/iommu/intel/irq_remapping.c intel_irq_remapping_select(): map_ioapic_to_iommu(param[0])
 *     (the DRHD whose IOAPIC device scope lists that id) owns this domain;
 *   drivers/iommu/amd/iommu.c irq_remapping_select(): remapping on (amd_iommu_irq_remap), then
 *     get_ioapic_devid(param[0]) from the IVRS and the IOMMU that covers that devid;
 *   drivers/iommu/hyperv-iommu.c hyperv_irq_remapping_select(): any I/O APIC fwspec (Hyper-V
 *     emulates a single I/O APIC);
 *   arch/x86/kernel/apic/vector.c x86_vector_select(): any I/O APIC, but only while interrupt
 *     remapping is off (apic_id_valid(32768) is false).
 */
import type { DmarUnit, DomainId, IrUnitKind, UnitId, Virq, World } from '../../world/types.ts';
import type { DomainOps } from '../../kernel/irq/hierarchy.ts';
import { intelIrDomainOps } from './intel/irq-remapping.ts';
import { intelSetupIrqRemapping } from './intel/dmar.ts';
import { amdIommuCheckIoapics, amdIrDomainOps, amdIommuCreateIrqDomain } from './amd/amd-iommu.ts';
import { hypervIrDomainOps, hypervPrepareIrqRemapping } from './hyperv/hyperv-iommu.ts';
import { hasFault } from '../../world/profile.ts';
import { levelOf } from '../../world/world.ts';

export const irUnitKind = (u: DmarUnit): IrUnitKind => u.kind ?? 'intel';

/** irq_remapping_enabled: some unit remaps interrupts */
export const irqRemappingEnabled = (w: World): boolean => w.units.some((u) => u.present && u.irEnabled);

/** the unit whose scope lists the I/O APIC with APIC id @id (map_ioapic_to_iommu(), IVRS rlookup) */
export function unitForIoapicId(w: World, id: number): UnitId | null {
  const u = w.units.find((x) => x.present && (x.ioapicScope ?? []).includes(id));
  return u ? u.id : null;
}

/**
 * irqRemappingSelect() - does the IR domain @d of unit @u claim the I/O APIC fwspec @param0?
 * Kernel: intel_irq_remapping_select(), amd irq_remapping_select(), hyperv_irq_remapping_select()
 */
export function irqRemappingSelect(w: World, u: DmarUnit, d: DomainId, param0: number): boolean {
  switch (irUnitKind(u)) {
    case 'intel':
      return u.irDomain === d && unitForIoapicId(w, param0) === u.id;
    case 'amd':
      // B29: before b34f10c2dc59 ("iommu/amd: Stop irq_remapping_select() matching when
      // remapping is disabled") there was no amd_iommu_irq_remap check here
      if (!u.irEnabled && !hasFault(w.profile, 'B29')) return false;
      return u.irDomain === d && unitForIoapicId(w, param0) === u.id;
    case 'hyperv':
      // B28: before 26ab12bb9d96 ("iommu/hyper-v: Remove I/O-APIC ID check from
      // hyperv_irq_remapping_select()") only param[0] == 0 was claimed
      return u.irDomain === d && (!hasFault(w.profile, 'B28') || param0 === 0);
  }
}

/**
 * irqFindIoapicParent() - irq_find_matching_fwspec() for an I/O APIC fwspec with @param0: the
 * newest domain whose select() claims it, or null
 */
export function irqFindIoapicParent(w: World, param0: number): DomainId | null {
  const ids = Object.keys(w.domains)
    .map(Number)
    .sort((a, b) => b - a);
  for (const id of ids) {
    const d = w.domains[id]!;
    if (d.kind === 'ir' && d.unit !== null && w.units[d.unit] && irqRemappingSelect(w, w.units[d.unit]!, id, param0))
      return id;
    if (id === w.vectorDomain && !irqRemappingEnabled(w)) return id; // x86_vector_select()
  }
  return null;
}

/**
 * irUnitSetup() - a remapping unit's IR domain at boot, by driver
 * Kernel: intel_setup_irq_remapping(); amd_iommu_create_irq_domain(); hyperv_prepare_irq_remapping()
 */
export function irUnitSetup(w: World, unitId: UnitId): World {
  switch (irUnitKind(w.units[unitId]!)) {
    case 'intel':
      return intelSetupIrqRemapping(w, unitId).world;
    case 'amd':
      return amdIommuCreateIrqDomain(w, unitId);
    case 'hyperv':
      return hypervPrepareIrqRemapping(w, unitId);
  }
}

/** the checks that run after every unit registered its IR domain (AMD: check_ioapic_information()) */
export function irLateInit(w: World): World {
  return w.units.some((u) => irUnitKind(u) === 'amd') ? amdIommuCheckIoapics(w) : w;
}

/** the ops of the IR level at @lvl of @virq, by the driver of its unit */
function opsAt(w: World, virq: Virq, lvl: number): DomainOps {
  const d = w.domains[levelOf(w, virq, lvl).domain];
  const u = !d || d.unit === null ? undefined : w.units[d.unit];
  const kind = u ? irUnitKind(u) : 'intel';
  return kind === 'amd' ? amdIrDomainOps : kind === 'hyperv' ? hypervIrDomainOps : intelIrDomainOps;
}

/** every IR domain's ops: Intel's intel_ir_domain_ops, AMD's amd_ir_domain_ops, Hyper-V's hyperv_ir_domain_ops */
export const irDomainOps: DomainOps = {
  alloc: (w, lvl, virq, n, arg) => opsAt(w, virq, lvl).alloc(w, lvl, virq, n, arg),
  free: (w, lvl, virq, n) => opsAt(w, virq, lvl).free(w, lvl, virq, n),
  activate: (w, lvl, virq, reserve, arg) => opsAt(w, virq, lvl).activate(w, lvl, virq, reserve, arg),
  deactivate: (w, lvl, virq) => opsAt(w, virq, lvl).deactivate(w, lvl, virq),
};
