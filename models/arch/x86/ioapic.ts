/*
 * models/arch/x86/ioapic.ts - the I/O APICs and their irq domains (arch/x86/kernel/apic/io_apic.c)
 *
 * Modelled: each I/O APIC with its index in ioapics[] and its APIC id (mpc_ioapic_id()); its
 * "IO-APIC-<id>" domain on a named fwnode, whose parent is found with irq_find_matching_fwspec()
 * keyed by the APIC id (models/drivers/iommu/ir-select.ts); pins mapped to irqs through the hierarchy
 * (X86_IRQ_ALLOC_TYPE_IOAPIC, info->devid = APIC id: the IR level sets the IOAPIC's source-id);
 * the redirection entry written from the composed message at activation and on an affinity
 * change; hot add (acpi_ioapic_add) and remove (acpi_ioapic_remove) with their checks.
 * Left out: GSIs and ISA/legacy pins (a pin is its own hwirq), trigger/polarity attributes,
 * the device-tree case (cfg->dev), the ioapic_dynirq_base.
 */
import type { CpuId, IoApic, IrChipData, MsiMsg, VectorChipData, Virq, World } from '../../world/types.ts';
import type { PlatformConfig } from '../../world/platform.ts';
import type { DomainOps } from '../../kernel/irq/hierarchy.ts';
import { irqDomainAllocIrqsParent, irqDomainFreeIrqsParent, noArg } from '../../kernel/irq/hierarchy.ts';
import { bug, err, ok, okVoid, type Outcome } from '../../world/outcome.ts';
import { irqDomainAllocIrqs, irqDomainFreeIrqs, irqDomainRemove } from '../../kernel/irq/irqdomain.ts';
import { freeDomainFwnode, irqDomainCreateNamed, bootPlainDomain } from '../../kernel/irq/fwnode.ts';
import { irqFindIoapicParent, irUnitKind } from '../../drivers/iommu/ir-select.ts';
import { intelIrSetAffinity } from '../../drivers/iommu/intel/irq-remapping.ts';
import { hypervIrSetAffinity } from '../../drivers/iommu/hyperv/hyperv-iommu.ts';
import { apicSetAffinity } from './vector.ts';
import { arrSet, recDel, recPut } from '../../world/util.ts';
import { levelOf, putLevel, putPlatform } from '../../world/world.ts';
import { hasFault } from '../../world/profile.ts';

/** the I/O APICs of a platform as the MADT registers them at boot (mp_register_ioapic()) */
export const ioapicsAtBoot = (config: PlatformConfig): IoApic[] =>
  (config.ioapics ?? []).map((c, index) => ({
    index,
    id: c.id,
    sid: c.sid,
    pins: c.pins,
    present: true,
    domain: null,
    pinIrq: {},
  }));

const putIoapic = (w: World, a: IoApic): World => putPlatform(w, { ioapics: arrSet(w.platform.ioapics, a.index, a) });

/**
 * mpIrqdomainCreate() - the I/O APIC's domain: a named fwnode, the parent that claims the
 * fwspec { param[0] = APIC id }, the domain; no parent: the fwnode is freed again, -ENODEV
 * Kernel: arch/x86/kernel/apic/io_apic.c mp_irqdomain_create()
 */
export function mpIrqdomainCreate(w: World, idx: number): Outcome<void> {
  const a = w.platform.ioapics[idx]!;
  // B27: before f36a74b9345a ("x86/ioapic: Use I/O-APIC ID for finding irqdomain, not index")
  // the fwspec (and the fwnode name) carried the index in ioapics[], not mpc_ioapic_id()
  const key = hasFault(w.profile, 'B27') ? idx : a.id;
  const parent = irqFindIoapicParent(w, key);
  if (parent === null)
    return err(
      w,
      'ENODEV',
      `mp_irqdomain_create: no parent irqdomain claims IO-APIC-${key} (IOAPIC[${idx}], id ${a.id})`,
    );
  const d = irqDomainCreateNamed(w, {
    name: `IO-APIC-${key}`,
    kind: 'ioapic',
    parent,
    busToken: 'WIRED',
    msiParent: false,
    ...bootPlainDomain,
  });
  return okVoid(putIoapic(d.w, { ...a, domain: d.id }));
}

/**
 * setupIoApic() - the boot-time domains of every registered I/O APIC; a failure is fatal
 * Kernel: arch/x86/kernel/apic/io_apic.c setup_IO_APIC(): BUG_ON(mp_irqdomain_create(ioapic))
 */
export function setupIoApic(w: World): World {
  let out = w;
  for (const a of w.platform.ioapics) {
    const r = mpIrqdomainCreate(out, a.index);
    if (r.kind !== 'ok') return { ...out, bootBug: `setup_IO_APIC: BUG_ON(mp_irqdomain_create(${a.index})): ${r.why}` };
    out = r.world;
  }
  return out;
}

/**
 * acpiIoapicAdd() - register a hot-added I/O APIC and create its domain at once; if that fails
 * the registration is undone (-ENOMEM)
 * Kernel: drivers/acpi/pci_root.c / ioapic.c acpi_ioapic_add() -> acpi_register_ioapic() ->
 *         arch/x86/kernel/apic/io_apic.c mp_register_ioapic() (hotplug: mp_irqdomain_create())
 */
export function acpiIoapicAdd(w: World, idx: number): Outcome<void> {
  const a = w.platform.ioapics[idx];
  if (!a) return err(w, 'ENODEV', `no IOAPIC[${idx}]`);
  if (a.present) return err(w, 'EEXIST', `mp_register_ioapic: IOAPIC[${idx}] (id ${a.id}) already registered`);
  const r = mpIrqdomainCreate(putIoapic(w, { ...a, present: true, domain: null, pinIrq: {} }), idx);
  if (r.kind !== 'ok') return err(w, 'ENOMEM', r.kind === 'err' ? r.why : 'mp_irqdomain_create failed');
  return r;
}

/**
 * mpUnregisterIoapic() - -EBUSY while a pin is in use; else remove the domain and free its
 * named fwnode (ioapic_destroy_irqdomain())
 * Kernel: arch/x86/kernel/apic/io_apic.c mp_unregister_ioapic(), ioapic_destroy_irqdomain()
 */
export function mpUnregisterIoapic(w: World, idx: number): Outcome<void> {
  const a = w.platform.ioapics[idx];
  if (!a?.present) return err(w, 'ENODEV', `mp_unregister_ioapic: IOAPIC[${idx}] is not registered`);
  const busy = Object.entries(a.pinIrq).find(([, m]) => m.count > 0);
  if (busy) return err(w, 'EBUSY', `pin${busy[0]} on IOAPIC${idx} is still in use`);
  let out = w;
  if (a.domain !== null && w.domains[a.domain]) {
    const fwnode = w.domains[a.domain]!.fwnode;
    const r = irqDomainRemove(out, a.domain);
    if (r.kind !== 'ok' && r.kind !== 'warned') return r;
    const f = freeDomainFwnode(r.world, fwnode);
    if (f.kind !== 'ok') return f;
    out = f.world;
  }
  return okVoid(putIoapic(out, { ...out.platform.ioapics[idx]!, present: false, domain: null, pinIrq: {} }));
}

/**
 * mpMapPinToIrq() - the irq of a pin: the existing mapping (one more user), or a new irq
 * allocated through the I/O APIC's domain
 * Kernel: arch/x86/kernel/apic/io_apic.c mp_map_pin_to_irq() (IOAPIC_MAP_ALLOC),
 *         alloc_irq_from_domain(), ioapic_copy_alloc_attr() (info->devid = mpc_ioapic_id())
 */
export function mpMapPinToIrq(w: World, idx: number, pin: number): Outcome<Virq> {
  const a = w.platform.ioapics[idx];
  if (!a?.present || a.domain === null) return err(w, 'ENOSYS', `mp_map_pin_to_irq: IOAPIC[${idx}] has no irqdomain`);
  if (pin < 0 || pin >= a.pins) return err(w, 'EINVAL', `IOAPIC[${idx}] has no pin ${pin}`);
  const m = a.pinIrq[pin];
  if (m && w.irqs[m.virq])
    return ok(putIoapic(w, { ...a, pinIrq: recPut(a.pinIrq, pin, { ...m, count: m.count + 1 }) }), m.virq);
  const r = irqDomainAllocIrqs(
    w,
    a.domain,
    1,
    { ...noArg, type: 'ioapic', ioapicId: a.id, hwirqBase: pin },
    { owner: { kind: 'ioapic', ioapic: idx, pin }, affinity: null, managed: false },
  );
  if (r.kind !== 'ok') return r;
  const after = r.world.platform.ioapics[idx]!;
  return ok(putIoapic(r.world, { ...after, pinIrq: recPut(after.pinIrq, pin, { virq: r.value, count: 1 }) }), r.value);
}

/**
 * mpUnmapIrq() - one user less; the last one frees the irq. An irq that is not an I/O APIC
 * pin's is left alone.
 * Kernel: arch/x86/kernel/apic/io_apic.c mp_unmap_irq()
 */
export function mpUnmapIrq(w: World, virq: Virq): Outcome<void> {
  const d = w.irqs[virq];
  if (d?.owner?.kind !== 'ioapic') return okVoid(w);
  const { ioapic: idx, pin } = d.owner;
  const a = w.platform.ioapics[idx];
  const m = a?.pinIrq[pin];
  if (!a || !m || m.virq !== virq) return okVoid(w);
  if (m.count > 1) return okVoid(putIoapic(w, { ...a, pinIrq: recPut(a.pinIrq, pin, { ...m, count: m.count - 1 }) }));
  const r = irqDomainFreeIrqs(w, virq, 1);
  if (r.kind !== 'ok' && r.kind !== 'warned') return r;
  const after = r.world.platform.ioapics[idx]!;
  return { ...r, world: putIoapic(r.world, { ...after, pinIrq: recDel(after.pinIrq, pin) }) };
}

/** the message the levels below @lvl compose: the first IR level with an IRTE (remappable), else the vector */
function composeIoapicMsg(w: World, virq: Virq, lvl: number): MsiMsg {
  const levels = w.irqs[virq]!.levels;
  for (let i = lvl + 1; i < levels.length; i++) {
    const c = levels[i]!.chip;
    if (c?.kind === 'ir')
      return { format: 'remappable', unit: (c as IrChipData).unit, index: c.irteIndex, sub: c.subHandle };
  }
  const v = levels[levels.length - 1]!.chip as VectorChipData;
  return { format: 'direct', vector: v.cfgVector, cpu: v.cfgCpu };
}

/** mp_irqdomain_alloc(): one I/O APIC interrupt, parent first; the pin is the hwirq */
function mpIrqdomainAlloc(
  w: World,
  lvl: number,
  virq: Virq,
  n: number,
  arg: Parameters<DomainOps['alloc']>[4],
): Outcome<void> {
  if (n > 1 || arg.type !== 'ioapic') return err(w, 'EINVAL', 'mp_irqdomain_alloc: one I/O APIC interrupt per call');
  const p = irqDomainAllocIrqsParent(w, lvl, virq, n, arg);
  if (p.kind !== 'ok') return p;
  return okVoid(
    putLevel(p.world, virq, lvl, {
      ...levelOf(p.world, virq, lvl),
      hwirq: arg.hwirqBase,
      chip: { kind: 'msi', msg: null },
    }),
  );
}

/** mp_irqdomain_free(): irq_domain_free_irqs_top() */
function mpIrqdomainFree(w: World, lvl: number, virq: Virq, n: number): World {
  let out = w;
  for (let i = 0; i < n; i++) {
    const l = out.irqs[virq + i]?.levels[lvl];
    if (l) out = putLevel(out, virq + i, lvl, { ...l, chip: null, programmed: false });
  }
  return irqDomainFreeIrqsParent(out, lvl, virq, n);
}

/** mp_irqdomain_activate() -> ioapic_configure_entry(): the RTE from the composed message */
const mpIrqdomainActivate = (w: World, lvl: number, virq: Virq): Outcome<void> =>
  okVoid(
    putLevel(w, virq, lvl, {
      ...levelOf(w, virq, lvl),
      programmed: true,
      chip: { kind: 'msi', msg: composeIoapicMsg(w, virq, lvl) },
    }),
  );

/** mp_irqdomain_deactivate() -> ioapic_mask_entry() */
const mpIrqdomainDeactivate = (w: World, lvl: number, virq: Virq): World =>
  putLevel(w, virq, lvl, { ...levelOf(w, virq, lvl), programmed: false, chip: { kind: 'msi', msg: null } });

export const ioapicDomainOps: DomainOps = {
  alloc: mpIrqdomainAlloc,
  free: mpIrqdomainFree,
  activate: (w, lvl, virq) => mpIrqdomainActivate(w, lvl, virq),
  deactivate: mpIrqdomainDeactivate,
};

/**
 * ioapicSetAffinity() - irq_chip_set_affinity_parent(), then the RTE is rewritten unless the
 * parent (VT-d / AMD IR) reports the move done
 * Kernel: arch/x86/kernel/apic/io_apic.c ioapic_set_affinity()
 */
export function ioapicSetAffinity(w: World, virq: Virq, lvl: number, dest: readonly CpuId[]): Outcome<void> {
  const parent = w.domains[levelOf(w, virq, lvl + 1).domain]!;
  const unit = parent.kind === 'ir' && parent.unit !== null ? w.units[parent.unit] : undefined;
  if (unit && irUnitKind(unit) !== 'hyperv') return intelIrSetAffinity(w, virq, lvl + 1, dest);
  const r = unit ? hypervIrSetAffinity(w, virq, lvl + 1, dest) : apicSetAffinity(w, virq, lvl + 1, dest);
  if (r.kind !== 'ok') return r;
  const l = levelOf(r.world, virq, lvl);
  if (!l.programmed) return r;
  return okVoid(
    putLevel(r.world, virq, lvl, { ...l, chip: { kind: 'msi', msg: composeIoapicMsg(r.world, virq, lvl) } }),
  );
}

/** a dead kernel stays dead (used by step() for a boot that hit BUG()) */
export const bootBugOutcome = (w: World, why: string): Outcome<never> => bug(w, why);
