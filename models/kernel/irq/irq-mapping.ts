/*
 * models/kernel/irq/irq-mapping.ts - a wired interrupt controller and hwirq -> virq mappings
 * (kernel/irq/irqdomain.c irq_create_fwspec_mapping(), irq_dispose_mapping();
 * arch/x86/kernel/apic/io_apic.c mp_irqdomain_*() for the level ops)
 *
 * Modelled: one wired (IOAPIC-like) domain with bus token WIRED on the x86 vector domain, whose
 * pins are the interrupt lines of the devices that have one (PlatformConfig.wired,
 * DeviceConfig.irqLine; several devices may share a line). A driver maps its line:
 * irq_create_fwspec_mapping() looks the hwirq up in the domain (irq_find_mapping()) and returns
 * the existing virq, or allocates one through the hierarchy. The virq belongs to the mapping
 * (IrqOwner 'mapping'); World.lineIrqs records which device's driver got which virq.
 * irq_dispose_mapping() frees it again (no reference count: the last user disposes).
 * Left out: interrupt remapping under the wired domain (the pins go straight to VECTOR), trigger
 * type and polarity, legacy (ISA) pins, non-hierarchical domains (irq_create_mapping()).
 */
import type { DevId, DomainId, MsiChipData, Virq, World } from '../../world/types.ts';
import type { AllocArg, DomainOps } from './hierarchy.ts';
import { irqDomainAllocIrqsParent, irqDomainFreeIrqsParent, noArg } from './hierarchy.ts';
import { err, ok, okVoid, uaf, type Outcome } from '../../world/outcome.ts';
import { irqDomainAllocIrqs, irqDomainFreeIrqs } from './irqdomain.ts';
import { irqDomainCreateNamed, bootPlainDomain } from './fwnode.ts';
import { beginTask, endTask, type InFlight, type TaskId } from '../../world/tasks.ts';
import { irqChipOf } from './registry.ts';
import { hasFault } from '../../world/profile.ts';
import { deviceName, irqValues, levelOf, putLevel } from '../../world/world.ts';
import { composeMsiMsg } from './msi-domain.ts';
import { recDel, recPut } from '../../world/util.ts';

/* ------------------------------------------------------------ the wired domain ---- */

/**
 * wiredSetup() - the wired controller's domain at boot, on a named fwnode
 * Kernel: arch/x86/kernel/apic/io_apic.c mp_irqdomain_create() (irq_domain_alloc_named_id_fwnode,
 * irq_domain_create_hierarchy(parent, 0, hwirqs, fn, &mp_ioapic_irqdomain_ops, ip))
 */
export function wiredSetup(w: World): World {
  const c = w.config.wired;
  if (!c) return w;
  const r = irqDomainCreateNamed(w, {
    name: c.name,
    kind: 'wired',
    parent: w.vectorDomain,
    busToken: 'WIRED',
    msiParent: false,
    ...bootPlainDomain,
  });
  return r.w;
}

/** the wired domain (irq_find_matching_fwspec() with DOMAIN_BUS_WIRED), if it exists */
export const wiredDomain = (w: World): DomainId | null =>
  Object.values(w.domains).find((d) => d.kind === 'wired')?.id ?? null;

/** the pin of @dev's interrupt line, if it has one */
export const irqLineOf = (w: World, dev: DevId): number | null => w.config.devices[dev]?.irqLine ?? null;

/** irq_find_mapping(domain, hwirq): the live virq whose level in @domain has @hwirq */
export function irqFindMapping(w: World, domain: DomainId, hwirq: number): Virq | null {
  const d = irqValues(w).find((v) => v.levels.some((l) => l.domain === domain && l.chip !== null && l.hwirq === hwirq));
  return d ? d.virq : null;
}

/** mp_irqdomain_alloc(): parent first, then the pin as hwirq (no lookup of its own) */
function wiredAlloc(w: World, lvl: number, virq: Virq, n: number, arg: AllocArg): Outcome<void> {
  if (n > 1) return err(w, 'EINVAL', 'mp_irqdomain_alloc: one pin at a time');
  const p = irqDomainAllocIrqsParent(w, lvl, virq, n, arg);
  if (p.kind !== 'ok') return p;
  // the redirection entry: x86 builds it from the MSI message the vector level composes
  // (io_apic.c ioapic_setup_msg_from_msi()), so the level keeps that message
  const chip: MsiChipData = { kind: 'msi', msg: null };
  return okVoid(putLevel(p.world, virq, lvl, { ...levelOf(p.world, virq, lvl), hwirq: arg.hwirqBase, chip }));
}

/** mp_irqdomain_free(): drop the pin's data, free the parent */
function wiredFree(w: World, lvl: number, virq: Virq, n: number): World {
  let out = w;
  for (let i = 0; i < n; i++) {
    const l = out.irqs[virq + i]?.levels[lvl];
    if (l) out = putLevel(out, virq + i, lvl, { ...l, chip: null, programmed: false });
  }
  return irqDomainFreeIrqsParent(out, lvl, virq, n);
}

/** mp_irqdomain_activate() -> ioapic_configure_entry(): write the RTE from the vector */
function wiredActivate(w: World, lvl: number, virq: Virq): Outcome<void> {
  const msg = composeMsiMsg(w, virq, lvl);
  return okVoid(putLevel(w, virq, lvl, { ...levelOf(w, virq, lvl), programmed: true, chip: { kind: 'msi', msg } }));
}

/** mp_irqdomain_deactivate() -> ioapic_mask_entry() */
function wiredDeactivate(w: World, lvl: number, virq: Virq): World {
  return putLevel(w, virq, lvl, { ...levelOf(w, virq, lvl), programmed: false, chip: { kind: 'msi', msg: null } });
}

/**
 * wiredSetAffinity() - move through the vector, then rewrite the RTE
 * Kernel: arch/x86/kernel/apic/io_apic.c ioapic_set_affinity()
 */
export function wiredSetAffinity(w: World, virq: Virq, lvl: number, dest: readonly number[]): Outcome<void> {
  // irq_chip_set_affinity_parent(): the parent is the x86 vector domain (wiredSetup())
  const r = irqChipOf('vector').setAffinity(w, virq, lvl + 1, dest);
  if (r.kind !== 'ok') return r;
  const l = levelOf(r.world, virq, lvl);
  if (!l.programmed) return r;
  return okVoid(putLevel(r.world, virq, lvl, { ...l, chip: { kind: 'msi', msg: composeMsiMsg(r.world, virq, lvl) } }));
}

export const wiredDomainOps: DomainOps = {
  alloc: wiredAlloc,
  free: wiredFree,
  activate: (w, lvl, virq) => wiredActivate(w, lvl, virq),
  deactivate: wiredDeactivate,
};

/* ------------------------------------------------------------------ mappings ---- */

const holdersOf = (w: World): Readonly<Record<DevId, Virq>> => w.lineIrqs;
const hold = (w: World, dev: DevId, virq: Virq): World => ({ ...w, lineIrqs: recPut(holdersOf(w), dev, virq) });

/** irq_domain_alloc_irqs(domain, 1, NUMA_NO_NODE, fwspec): a new virq for @hwirq, held by @dev */
function createMapping(w: World, dev: DevId, domain: DomainId, hwirq: number): Outcome<Virq> {
  const arg: AllocArg = { ...noArg, hwirqBase: hwirq };
  const r = irqDomainAllocIrqs(w, domain, 1, arg, {
    owner: { kind: 'mapping', domain, hwirq },
    affinity: null,
    managed: false,
  });
  if (r.kind !== 'ok') return r;
  return ok(hold(r.world, dev, r.value), r.value);
}

/**
 * irqCreateLineMapping() - @dev's driver maps its interrupt line
 * An existing mapping of the pin is returned ("If we've already configured this interrupt,
 * don't do it again"); else a virq is allocated through the hierarchy. With 601363cc08da the
 * lookup and the allocation are one step under irq_domain_mutex.
 * Kernel: kernel/irq/irqdomain.c irq_create_fwspec_mapping()
 */
export function irqCreateLineMapping(w: World, dev: DevId): Outcome<Virq | { task: TaskId }> {
  const hwirq = irqLineOf(w, dev);
  if (hwirq === null) return err(w, 'EINVAL', `${deviceName(w, dev)} has no interrupt line`);
  const domain = wiredDomain(w);
  if (domain === null) return err(w, 'ENODEV', 'no wired domain');
  const found = irqFindMapping(w, domain, hwirq);
  if (found !== null) return ok(hold(w, dev, found), found);
  // 601363cc08da "irqdomain: Fix mapping-creation race": irq_domain_mutex is held from the
  // lookup to the allocation. Before it, another task could map the same pin in between
  if (w.config.concurrency && hasFault(w.profile, 'B33')) {
    const t = beginTask(w, { kind: 'fwspec-mapping', dev, domain, hwirq });
    return ok(t.w, { task: t.id });
  }
  return createMapping(w, dev, domain, hwirq);
}

/**
 * irqCreateLineMappingFinish() - the task that found no mapping allocates one (pre-fix order)
 * Kernel: kernel/irq/irqdomain.c irq_create_fwspec_mapping() (before 601363cc08da)
 */
export function irqCreateLineMappingFinish(w: World, t: Extract<InFlight, { kind: 'fwspec-mapping' }>): Outcome<void> {
  const out = endTask(w, t.id);
  if (!out.domains[t.domain]) return uaf(out, `irq_create_fwspec_mapping: allocates from removed domain #${t.domain}`);
  const r = createMapping(out, t.dev, t.domain, t.hwirq);
  return r.kind === 'ok' ? okVoid(r.world) : (r as Outcome<void>);
}

/**
 * irqDisposeLineMapping() - @dev's driver disposes of its line's virq: it is freed through the
 * hierarchy whoever else uses it (the kernel counts no users)
 * Kernel: kernel/irq/irqdomain.c irq_dispose_mapping() (hierarchy: irq_domain_free_irqs())
 */
export function irqDisposeLineMapping(w: World, dev: DevId): Outcome<void> {
  const virq = holdersOf(w)[dev];
  if (virq === undefined) return err(w, 'EINVAL', `${deviceName(w, dev)} holds no mapping`);
  const out = { ...w, lineIrqs: recDel(holdersOf(w), dev) };
  if (!w.irqs[virq]) return okVoid(out); // irq_get_irq_data() is NULL: nothing to do
  return irqDomainFreeIrqs(out, virq, 1);
}

/** the devices whose drivers hold @virq */
export const lineIrqHolders = (w: World, virq: Virq): DevId[] =>
  Object.entries(holdersOf(w)).flatMap(([dev, v]) => (v === virq ? [Number(dev)] : []));
