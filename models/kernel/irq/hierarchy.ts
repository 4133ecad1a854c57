/*
 * models/kernel/irq/hierarchy.ts - the domain ops table and the parent calls (kernel/irq/irqdomain.c)
 *
 * A domain is data plus an ops table chosen by its kind, as in the kernel. A level reaches its
 * parent only through irqDomainAllocIrqsParent()/irqDomainFreeIrqsParent(); by convention a
 * level's alloc calls its parent first and undoes that itself when its own part fails.
 */
import type { DomainKind, Virq, World } from '../../world/types.ts';
import type { AllocArg } from '../../world/alloc.ts';
import type { Outcome } from '../../world/outcome.ts';
import { domainOpsIn, type DomainOps } from './registry.ts';

// the allocation argument is plain data shared by every layer: it lives in models/world/alloc.ts
export { failsAt, noArg } from '../../world/alloc.ts';
export type { AllocArg, FailPoint, FailSite } from '../../world/alloc.ts';

export type { DomainOps } from './registry.ts';

/** the ops table of a domain of @kind (struct irq_domain_ops; models/machine fills the table) */
export const domainOps = (w: World, kind: DomainKind): DomainOps => domainOpsIn(w, kind);

const kindAt = (w: World, virq: Virq, lvl: number): DomainKind | null => {
  const l = w.irqs[virq]?.levels[lvl];
  return l ? w.domains[l.domain]!.kind : null;
};

/** irq_domain_alloc_irqs_parent(): run the parent level's alloc (no parent: nothing to do) */
export function irqDomainAllocIrqsParent(w: World, lvl: number, virq: Virq, n: number, arg: AllocArg): Outcome<void> {
  const kind = kindAt(w, virq, lvl + 1);
  if (kind === null) return { kind: 'ok', world: w, value: undefined };
  return domainOps(w, kind).alloc(w, lvl + 1, virq, n, arg);
}

/** irq_domain_free_irqs_parent() */
export function irqDomainFreeIrqsParent(w: World, lvl: number, virq: Virq, n: number): World {
  let out = w;
  for (let i = 0; i < n; i++) {
    const kind = kindAt(out, virq + i, lvl + 1);
    if (kind !== null) out = domainOps(out, kind).free(out, lvl + 1, virq + i, 1);
  }
  return out;
}
