/*
 * models/drivers/iommu/intel/dmar.ts - DMAR unit hot add and remove, interrupt-remapping part
 * (drivers/iommu/intel/dmar.c dmar_hp_add_drhd(), dmar_hp_remove_drhd(), dmar_hotplug_remove();
 * drivers/iommu/intel/irq_remapping.c dmar_ir_hotplug(), dmar_ir_add(),
 * intel_teardown_irq_remapping())
 *
 * Remove: -EBUSY while a device of the unit's scope is present (not checked for include_all
 * units) and while any IRTE is allocated. Not checked: child domains of the IR domain that have
 * no interrupts (per-device domains, RFC DEV-MSI domains) and devices whose msi_domain points at
 * it - they dangle. Add: a new table and IR domain (5.10 also INTEL-IR-MSI); devices already
 * present keep the MSI domain they had.
 * Left out: the DMA-remapping half, ATSR scopes, posted interrupts, EIM.
 */
import type { UnitId, World } from '../../../world/types.ts';
import { err, okVoid, warned, type Outcome } from '../../../world/outcome.ts';
import { irqDomainRemove } from '../../../kernel/irq/irqdomain.ts';
import { putUnit } from '../../../world/world.ts';
import { freeDomainFwnode, irqDomainCreateNamed, irqDomainFreeFwnode } from '../../../kernel/irq/fwnode.ts';
import { pciMsiGlobalInfo } from '../../pci/msi.ts';
import { hasFault } from '../../../world/profile.ts';
import { designHooks } from '../../design-hooks.ts';
import { dmarFreeInterrupt, dmarSetInterrupt } from '../../../arch/x86/dmar-msi.ts';

export function dmarHotRemove(w: World, unitId: UnitId): Outcome<void> {
  const u = w.units[unitId];
  if (!u) return err(w, 'ENODEV', `no DMAR unit ${unitId}`);
  if (!u.present) return err(w, 'ENODEV', `${u.name} is not present`);
  if (!u.includeAll) {
    const busy = u.scope.find((d) => w.devices[d]?.present && !w.devices[d]!.released);
    if (busy !== undefined) return err(w, 'EBUSY', `${u.name}: ${w.devices[busy]!.name} in its scope is still present`);
  }
  if (u.irteBitmap.length > 0) return err(w, 'EBUSY', `${u.name}: ${u.irteBitmap.length} IRTEs still allocated`);
  let out = w;
  const warnings: string[] = [];
  // the design's part of intel_teardown_irq_remapping()
  const hook = designHooks(w).irUnitRemoving;
  if (hook) {
    const h = hook(out, unitId);
    if (h.kind === 'bug' || h.kind === 'use-after-free' || h.kind === 'err') return h;
    if (h.kind === 'warned') warnings.push(h.why);
    out = h.world;
  }
  for (const d of [u.irMsiDomain, u.irDomain]) {
    if (d === null || !out.domains[d]) continue;
    const fwnode = out.domains[d]!.fwnode;
    const r = irqDomainRemove(out, d);
    if (r.kind === 'warned') warnings.push(r.why);
    out = r.world;
    // B10: before ec0160891e38 intel_teardown_irq_remapping() left the fwnode allocated
    if (hasFault(w.profile, 'B10')) continue;
    const f = freeDomainFwnode(out, fwnode);
    if (f.kind !== 'ok') return f;
    out = f.world;
  }
  // free_iommu(): the fault interrupt goes with the unit (platforms that model it)
  out = dmarFreeInterrupt(out, unitId);
  // the table is freed; the domain ids stay on the unit so the lifetime invariants can see them
  out = putUnit(out, { ...out.units[unitId]!, present: false, irEnabled: false, irtes: {} });
  return warnings.length ? warned(out, warnings.join('; ')) : okVoid(out);
}

export function dmarHotAdd(w: World, unitId: UnitId, qiFails = false): Outcome<void> {
  const u = w.units[unitId];
  if (!u) return err(w, 'ENODEV', `no DMAR unit ${unitId}`);
  if (u.present) return err(w, 'EEXIST', `${u.name} is already present`);
  // dmar_ir_add(): a failed setup is followed by intel_teardown_irq_remapping(), a no-op because
  // the failure path cleared iommu->ir_table; dmar_hotplug_insert() then releases the drhd
  const setup = intelSetupIrqRemapping(w, unitId, qiFails);
  if (setup.kind !== 'ok') return setup;
  let out = putUnit(setup.world, {
    ...setup.world.units[unitId]!,
    present: true,
    irEnabled: true,
    irteBitmap: [],
    irtes: {},
  });
  // intel_iommu_add() -> dmar_set_interrupt(): the new unit's fault interrupt (platforms that
  // model it); a clean failure (no free irq) leaves the unit without one, as pr_err() does
  if (w.config.dmarFaultIrq) {
    const f = dmarSetInterrupt(out, unitId);
    if (f.kind === 'bug' || f.kind === 'use-after-free' || f.kind === 'warned') return f;
    if (f.kind === 'ok') out = f.world;
  }
  const hook = designHooks(out).irUnitAdded;
  return okVoid(hook ? hook(out, unitId) : out);
}

/**
 * intelSetupIrqRemapping() - the IR domain of a unit on a named fwnode (5.10: and its
 * INTEL-IR-MSI child), at boot and on hot add. @qiFails: dmar_enable_qi() fails after the
 * domains were created (a hot-added unit has no queued invalidation yet); the setup then
 * removes both domains and frees the fwnode (out_free_ir_domain, out_free_fwnode) and returns
 * -ENOMEM with the unit's domain pointers cleared.
 * Kernel: drivers/iommu/intel/irq_remapping.c intel_setup_irq_remapping()
 */
export function intelSetupIrqRemapping(w: World, unitId: UnitId, qiFails = false): Outcome<void> {
  const v62 = w.profile.version !== '5.10';
  const base = { msiDevice: false, dev: null, msiInfo: null, creator: 'boot' as const };
  const ir = irqDomainCreateNamed(w, {
    ...base,
    name: `INTEL-IR-${unitId}`,
    kind: 'ir',
    parent: w.vectorDomain,
    busToken: v62 ? 'DMAR' : 'ANY',
    msiParent: v62,
    isolatedMsi: true,
    unit: unitId,
  });
  let out = ir.w;
  let irMsi: number | null = null;
  if (!v62) {
    const m = irqDomainCreateNamed(out, {
      ...base,
      name: `INTEL-IR-MSI-${unitId}`,
      kind: 'msi',
      parent: ir.id,
      busToken: 'PCI_MSI',
      msiParent: false,
      isolatedMsi: true,
      unit: null,
      msiInfo: pciMsiGlobalInfo(true),
    });
    out = m.w;
    irMsi = m.id;
  }
  // B18: before e3beca48a45b the fwnode was freed right after the domain was created on it
  if (hasFault(w.profile, 'B18')) {
    for (const d of [ir.id, irMsi]) if (d !== null) out = irqDomainFreeFwnode(out, out.domains[d]!.fwnode!).world;
  }
  if (qiFails) {
    const why = `${w.units[unitId]!.name}: Failed to enable queued invalidation`;
    // B12: before 99e675d473eb the dmar_enable_qi() failure jumped to out_free_bitmap, past the
    // removal of both domains and the fwnode free: they stay registered for a unit that is gone
    if (hasFault(w.profile, 'B12')) return err(out, 'ENOMEM', why);
    for (const d of [irMsi, ir.id]) {
      if (d === null) continue;
      const fwnode = out.domains[d]!.fwnode;
      out = irqDomainRemove(out, d).world;
      const f = freeDomainFwnode(out, fwnode);
      if (f.kind !== 'ok') return f;
      out = f.world;
    }
    return err(out, 'ENOMEM', why);
  }
  return okVoid(putUnit(out, { ...out.units[unitId]!, irDomain: ir.id, irMsiDomain: irMsi }));
}
