/*
 * models/kernel/irq/irqdomain.ts - domain lifecycle and the hierarchical alloc/free/activate core
 * (kernel/irq/irqdomain.c, kernel/irq/irqdesc.c)
 *
 * Modelled: creation with an immutable, unreferenced parent pointer; removal with only the
 * kernel's own check (the radix-tree WARN); contiguous first-fit virq allocation; the irq_data
 * chain snapshot; rollback of a failed allocation; parent-first activation with rollback and
 * child-first deactivation. Left out: fwnodes, revmap internals (hwirq uniqueness is derived).
 */
import type { CpuId, DomainId, IrqData, IrqDesc, IrqDomain, IrqOwner, Virq, World } from '../../world/types.ts';
import { domainOps, failsAt, type AllocArg } from './hierarchy.ts';
import { err, okVoid, ok, uaf, warned, type Outcome } from '../../world/outcome.ts';
import { allCpus, dropDomain, dropIrq, parentChain, putDomain, putIrq, domainName } from '../../world/world.ts';
import { beginTask, endTask, type InFlight } from '../../world/tasks.ts';
import { hasFault } from '../../world/profile.ts';

/** the linear revmap size: hwirqs at or above it live in the radix tree */
const revmapSize = (d: IrqDomain): number => (d.kind === 'ir' ? 65536 : 0);

export type NewDomain = Omit<IrqDomain, 'id' | 'mapcount'>;

/**
 * irqDomainCreateHierarchy() - publish a new domain; @parent is stored, never checked
 * Kernel: kernel/irq/irqdomain.c irq_domain_create_hierarchy()
 */
export function irqDomainCreateHierarchy(w: World, spec: NewDomain, opts: CreateOpts = {}): { w: World; id: DomainId } {
  const id = w.nextDomainId;
  const d: IrqDomain = { ...spec, id, mapcount: 0 };
  const named = { ...w, nextDomainId: id + 1, domainNames: { ...w.domainNames, [id]: d.name } };
  // 8932c32c3053 "irqdomain: Fix domain registration race": the domain is set up completely and
  // then published. Before it, __irq_domain_add() put it on irq_domain_list and only then did
  // irq_domain_create_hierarchy() set domain->parent and the flags: other tasks could find it
  // with no parent in between (a task in flight, models/kernel/irq/concurrency.ts)
  if (opts.lastStep && w.config.concurrency && hasFault(w.profile, 'B30')) {
    const t = beginTask(putDomain(named, { ...d, parent: null }), {
      kind: 'domain-create',
      domain: id,
      parent: spec.parent,
    });
    return { w: t.w, id };
  }
  return { w: putDomain(named, d), id };
}

export interface CreateOpts {
  /**
   * the creation is the last thing its operation does (a module registering a domain): the
   * creating task can be overtaken right after it, nothing of its own uses the domain first
   */
  readonly lastStep?: boolean;
}

/**
 * irqDomainCreateFinish() - the creating task sets domain->parent (pre-8932c32c3053 order)
 * Kernel: kernel/irq/irqdomain.c irq_domain_create_hierarchy() (before 8932c32c3053)
 */
export function irqDomainCreateFinish(w: World, t: Extract<InFlight, { kind: 'domain-create' }>): Outcome<void> {
  const out = endTask(w, t.id);
  const d = out.domains[t.domain];
  if (!d)
    return uaf(out, `irq_domain_create_hierarchy: sets the parent of ${domainName(w, t.domain)}, which was removed`);
  return okVoid(putDomain(out, { ...d, parent: t.parent }));
}

/** virqs with a live level in @domain (the revmap, derived) */
export const virqsMappedIn = (w: World, domain: DomainId): IrqDesc[] =>
  Object.values(w.irqs).filter((d) => d.levels.some((l) => l.domain === domain && l.chip !== null));

/**
 * irqDomainRemove() - unlink and free a domain
 * The only check is WARN_ON(!radix_tree_empty()): children, device pointers, mapcount and
 * linear-revmap entries are not looked at; whatever still points here now dangles.
 * Kernel: kernel/irq/irqdomain.c irq_domain_remove()
 */
export function irqDomainRemove(w: World, id: DomainId): Outcome<void> {
  const d = w.domains[id];
  if (!d) return uaf(w, `irq_domain_remove on freed domain ${domainName(w, id)}`);
  // x86_pci_msi_default_domain (5.10) is a plain pointer: it is left dangling, as in the kernel
  const out = dropDomain(w, id);
  const inTree = virqsMappedIn(w, id).filter((v) => v.levels.some((l) => l.domain === id && l.hwirq >= revmapSize(d)));
  if (inTree.length > 0)
    return warned(
      out,
      `irq_domain_remove(${d.name}): revmap tree not empty (irq ${inTree.map((v) => v.virq).join(',')})`,
    );
  return okVoid(out);
}

/** irq_domain_alloc_descs(): @n contiguous free virqs, first fit from 1 (virq 0 is invalid) */
function irqAllocDescsRange(w: World, n: number): Virq | null {
  let run = 0;
  for (let v = 1; v < w.config.nrIrqs; v++) {
    run = w.irqs[v] ? 0 : run + 1;
    if (run === n) return v - n + 1;
  }
  return null;
}

export interface AllocRequest {
  readonly owner: IrqOwner | null;
  /** per-virq requested affinity (irq_affinity_desc); null = irq_default_affinity */
  readonly affinity: readonly (readonly CpuId[])[] | null;
  readonly managed: boolean;
}

/**
 * irqDomainAllocIrqs() - allocate @n contiguous virqs through @domain and all its ancestors
 * A failure leaves no trace: every level undoes its own and its parents' work.
 * Kernel: kernel/irq/irqdomain.c __irq_domain_alloc_irqs()
 */
export function irqDomainAllocIrqs(
  w: World,
  domain: DomainId,
  n: number,
  arg: AllocArg,
  req: AllocRequest,
): Outcome<Virq> {
  if (!w.domains[domain]) return uaf(w, `__irq_domain_alloc_irqs on freed domain ${domainName(w, domain)}`);
  const { chain, dangling } = parentChain(w, domain);
  if (dangling !== null) {
    return uaf(
      w,
      `irq_domain_alloc_irq_data: ${w.domains[chain[chain.length - 1]!]!.name}'s parent ${domainName(w, dangling)} was freed`,
    );
  }
  if (failsAt(arg, 'irq-desc', arg.callIndex)) return err(w, 'ENOMEM', 'injected: irq_domain_alloc_descs');
  const base = irqAllocDescsRange(w, n);
  if (base === null) return err(w, 'ENOMEM', `no ${n} contiguous free virqs below nr_irqs=${w.config.nrIrqs}`);
  for (let i = 0; i < n; i++) {
    if (failsAt(arg, 'irq-data', arg.virqOffset + i))
      return err(w, 'ENOMEM', `injected: irq_domain_alloc_irq_data for irq ${base + i}`);
  }
  let out = w;
  const all = allCpus(w);
  for (let i = 0; i < n; i++) {
    const levels: IrqData[] = chain.map((d) => ({ domain: d, hwirq: 0, programmed: false, chip: null }));
    const desc: IrqDesc = {
      virq: base + i,
      levels,
      owner: req.owner,
      action: null,
      activated: false,
      started: false,
      managed: req.managed,
      managedShutdown: false,
      canReserve: false,
      movePcntxt: false,
      affinity: req.affinity?.[i] ?? all,
      effective: [],
      pendingAffinity: null,
      affinityBroken: false,
    };
    out = putIrq(out, desc);
  }
  const r = domainOps(w, w.domains[domain]!.kind).alloc(out, 0, base, n, arg);
  if (r.kind !== 'ok') {
    if (r.kind !== 'err') return r;
    // out_free_desc: the core frees irq_data and descs; the levels must have undone the rest
    let back = r.world;
    for (let i = 0; i < n; i++) back = dropIrq(back, base + i);
    return { ...r, world: back };
  }
  // irq_domain_insert_irq(): every level into its domain's revmap, mapcount++
  out = r.world;
  for (const d of chain) out = putDomain(out, { ...out.domains[d]!, mapcount: out.domains[d]!.mapcount + n });
  return ok(out, base);
}

/**
 * irqDomainFreeIrqs() - free @n virqs from @virq through every level
 * Only the first virq is checked (WARN "NULL pointer, cannot free irq"); the range is not checked
 * to be one allocation, nor for an installed handler, nor for activation.
 * Kernel: kernel/irq/irqdomain.c irq_domain_free_irqs()
 */
export function irqDomainFreeIrqs(w: World, virq: Virq, n: number): Outcome<void> {
  const first = w.irqs[virq];
  if (!first) return warned(w, `irq_domain_free_irqs(${virq}): NULL pointer, cannot free irq`);
  let out = w;
  for (let v = virq; v < virq + n; v++) {
    const d = out.irqs[v];
    if (!d) continue;
    const gone = d.levels.find((l) => !out.domains[l.domain]);
    if (gone) return uaf(out, `irq_domain_free_irqs(${v}): level in freed domain ${domainName(w, gone.domain)}`);
    for (const l of d.levels) {
      const dom = out.domains[l.domain]!;
      out = putDomain(out, { ...dom, mapcount: dom.mapcount - 1 });
    }
    out = domainOps(out, out.domains[d.levels[0]!.domain]!.kind).free(out, 0, v, 1);
    out = dropIrq(out, v);
    // ghost: a desc freed with its irqaction still installed (I16)
    if (d.action) out = { ...out, freedWithAction: [...out.freedWithAction, v] };
  }
  return okVoid(out);
}

/**
 * irqDomainActivateIrq() - activate every level, parent first; on a failure the parents
 * already activated are deactivated again. No-op when already ACTIVATED.
 * Kernel: kernel/irq/irqdomain.c irq_domain_activate_irq(), __irq_domain_activate_irq()
 */
export function irqDomainActivateIrq(w: World, virq: Virq, reserve: boolean, arg: AllocArg): Outcome<void> {
  const d = w.irqs[virq]!;
  if (d.activated) return okVoid(w);
  const gone = d.levels.find((l) => !w.domains[l.domain]);
  if (gone) return uaf(w, `irq_domain_activate_irq(${virq}): level in freed domain ${domainName(w, gone.domain)}`);
  let out = w;
  for (let lvl = d.levels.length - 1; lvl >= 0; lvl--) {
    const r = domainOps(out, out.domains[d.levels[lvl]!.domain]!.kind).activate(out, lvl, virq, reserve, arg);
    if (r.kind !== 'ok') {
      if (r.kind !== 'err' && r.kind !== 'warned') return r;
      // rollback: deactivate the parents that were activated
      let back = r.world;
      for (let p = lvl + 1; p < d.levels.length; p++)
        back = domainOps(back, back.domains[d.levels[p]!.domain]!.kind).deactivate(back, p, virq);
      return { ...r, world: back };
    }
    out = r.world;
  }
  return okVoid(putIrq(out, { ...out.irqs[virq]!, activated: true }));
}

/**
 * irqDomainDeactivateIrq() - child first, then the parents; only if ACTIVATED
 * Kernel: kernel/irq/irqdomain.c irq_domain_deactivate_irq()
 */
export function irqDomainDeactivateIrq(w: World, virq: Virq): Outcome<void> {
  const d = w.irqs[virq]!;
  if (!d.activated) return okVoid(w);
  const gone = d.levels.find((l) => !w.domains[l.domain]);
  if (gone) return uaf(w, `irq_domain_deactivate_irq(${virq}): level in freed domain ${domainName(w, gone.domain)}`);
  let out = w;
  for (let lvl = 0; lvl < d.levels.length; lvl++)
    out = domainOps(out, out.domains[d.levels[lvl]!.domain]!.kind).deactivate(out, lvl, virq);
  return okVoid(putIrq(out, { ...out.irqs[virq]!, activated: false }));
}
