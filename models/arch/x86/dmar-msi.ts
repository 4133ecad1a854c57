/*
 * models/arch/x86/dmar-msi.ts - the DMAR fault-event interrupt and its DMAR-MSI domain
 *
 * Kernel: arch/x86/kernel/apic/msi.c dmar_get_irq_domain(), dmar_alloc_hwirq(), dmar_free_hwirq()
 * (5.10 and 6.2); drivers/iommu/intel/dmar.c dmar_set_interrupt(), free_iommu();
 * kernel/irq/msi.c msi_create_irq_domain(), msi_domain_update_dom_ops().
 *
 * Every VT-d unit reports faults through one MSI of its own (the fault-event registers are the
 * "device"). dmar_set_interrupt() allocates it once per unit - at boot from
 * enable_drhd_fault_handling() (apic_bsp_setup() -> irq_remap_enable_fault_handling()) and on
 * hot add from intel_iommu_add() - and requests it (dmar_fault, IRQF_NO_THREAD). The interrupts
 * come from a single DMAR-MSI domain on the x86 vector domain, created on first use on a named
 * fwnode and never removed; hwirq = the unit's sequence id. free_iommu() frees the handler and
 * the interrupt when the unit goes away.
 *
 * Only platforms with `dmarFaultIrq` model the fault interrupt (the `small` platform does not, so
 * its results stay as they were). On those the booted world stands just before
 * irq_remap_enable_fault_handling(): the per-unit step is the operation dmarSetInterrupt.
 * Left out: the page-request interrupt (pr_irq), the fault handler itself, HPET-MSI (same
 * msi_domain_info pattern: hpet_create_irq_domain()).
 */
import type { DomainId, MsiDomainInfo, MsiDomainOp, UnitId, World } from '../../world/types.ts';
import { err, okVoid, type Outcome } from '../../world/outcome.ts';
import { irqDomainCreateNamed, bootPlainDomain } from '../../kernel/irq/fwnode.ts';
import { irqDomainAllocIrqs, irqDomainFreeIrqs } from '../../kernel/irq/irqdomain.ts';
import { noArg } from '../../kernel/irq/hierarchy.ts';
import { freeIrq, requestIrq } from '../../kernel/irq/manage.ts';
import { putPlatform, putUnit } from '../../world/world.ts';
import { hasFault } from '../../world/profile.ts';

/** kernel/irq/msi.c msi_domain_ops_default: what MSI_FLAG_USE_DEF_DOM_OPS fills in where NULL */
const DEFAULT_DOM_OPS: readonly MsiDomainOp[] = ['get_hwirq', 'msi_init', 'msi_check', 'msi_prepare', 'set_desc'];

/**
 * msiDomainUpdateDomOps() - the callbacks an MSI domain ends up with: its own, plus the core's
 * defaults for the missing ones only when the info asks for them (MSI_FLAG_USE_DEF_DOM_OPS)
 * Kernel: kernel/irq/msi.c msi_domain_update_dom_ops() (called by msi_create_irq_domain())
 */
export function msiDomainUpdateDomOps(own: readonly MsiDomainOp[], useDefDomOps: boolean): readonly MsiDomainOp[] {
  return useDefDomOps ? [...new Set([...own, ...DEFAULT_DOM_OPS])] : own;
}

/**
 * the DMAR-MSI msi_domain_info: dmar_msi_domain_ops has only .msi_init (dmar_msi_init()); the
 * hwirq comes from info.hwirq through the default get_hwirq
 */
function dmarMsiDomainInfo(w: World): MsiDomainInfo {
  // B31: before d27e623ace6a ("x86/apic/msi: Unbreak DMAR and HPET MSI") the info lacked
  // MSI_FLAG_USE_DEF_DOM_OPS, so the defaults (get_hwirq among them) were never filled in
  const useDef = !hasFault(w.profile, 'B31');
  return {
    activateEarly: false,
    mustReactivate: false,
    allocSimpleDescs: false,
    freeDescs: false,
    multiPciMsi: false,
    pciMsix: false,
    allocDyn: false,
    pciIms: false,
    hwsize: 0,
    chip: 'dmar',
    ops: msiDomainUpdateDomOps(['msi_init'], useDef),
  };
}

/**
 * dmarGetIrqDomain() - the DMAR-MSI domain, created on first use (named fwnode "DMAR-MSI",
 * parent x86_vector_domain)
 * Kernel: arch/x86/kernel/apic/msi.c dmar_get_irq_domain()
 */
export function dmarGetIrqDomain(w: World): { w: World; id: DomainId } {
  if (w.platform.dmarMsiDomain !== null) return { w, id: w.platform.dmarMsiDomain };
  const d = irqDomainCreateNamed(w, {
    name: 'DMAR-MSI',
    kind: 'msi',
    parent: w.vectorDomain,
    busToken: 'ANY',
    msiParent: false,
    ...bootPlainDomain,
    msiInfo: dmarMsiDomainInfo(w),
  });
  return { w: putPlatform(d.w, { dmarMsiDomain: d.id }), id: d.id };
}

/**
 * dmarSetInterrupt() - allocate and request a unit's fault interrupt; nothing to do if it has one
 * Kernel: drivers/iommu/intel/dmar.c dmar_set_interrupt() -> arch/x86/kernel/apic/msi.c
 * dmar_alloc_hwirq(seq_id, node, iommu) (irq_domain_alloc_irqs(domain, 1, ...) with
 * info.hwirq = seq_id), then request_irq(irq, dmar_fault, IRQF_NO_THREAD, iommu->name, iommu)
 */
export function dmarSetInterrupt(w: World, unitId: UnitId): Outcome<void> {
  const u = w.units[unitId];
  if (!u) return err(w, 'ENODEV', `no DMAR unit ${unitId}`);
  if (!u.present) return err(w, 'ENODEV', `${u.name} is not present`);
  if (u.faultIrq) return okVoid(w); // if (iommu->irq) return 0
  const g = dmarGetIrqDomain(w);
  const a = irqDomainAllocIrqs(
    g.w,
    g.id,
    1,
    { ...noArg, hwirqBase: unitId },
    { owner: { kind: 'dmar', unit: unitId }, affinity: null, managed: false },
  );
  // dmar_set_interrupt(): irq <= 0 -> pr_err("No free IRQ vectors"), -EINVAL
  if (a.kind === 'err') return err(w, 'EINVAL', `${u.name}: no free IRQ vectors (${a.why})`);
  if (a.kind !== 'ok') return a;
  const virq = a.value;
  const out = putUnit(a.world, { ...a.world.units[unitId]!, faultIrq: virq });
  const r = requestIrq(out, virq, null, false);
  if (r.kind === 'err') {
    // request_irq() failed: pr_err("Can't request irq"); the interrupt stays with the unit
    return okVoid(out);
  }
  return r;
}

/**
 * dmarFreeInterrupt() - a unit going away frees its fault handler and interrupt
 * Kernel: drivers/iommu/intel/dmar.c free_iommu(): free_irq(iommu->irq, iommu);
 * dmar_free_hwirq(iommu->irq); iommu->irq = 0
 */
export function dmarFreeInterrupt(w: World, unitId: UnitId): World {
  const virq = w.units[unitId]?.faultIrq;
  if (!virq) return w;
  let out = w;
  if (out.irqs[virq]?.action) {
    const f = freeIrq(out, virq);
    if (f.kind === 'ok') out = f.world;
  }
  const r = irqDomainFreeIrqs(out, virq, 1);
  out = r.world;
  return putUnit(out, { ...out.units[unitId]!, faultIrq: 0 });
}
