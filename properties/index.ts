/*
 * properties/index.ts - the registry: every invariant, in one list (as MCPaxos lists Inv1..Inv4)
 */
import type { Invariant, StateInvariant, StepInvariant, Violation } from './invariant.ts';
import type { World } from '../models/world/types.ts';
import type { Op } from '../models/ops.ts';
import type { StepOutcome } from '../models/step.ts';
import { leakInvariants } from './invariants/leak.ts';
import { structureInvariants } from './invariants/structure.ts';
import { lifetimeInvariants } from './invariants/lifetime.ts';
import { atomicityInvariants } from './invariants/atomicity.ts';
import { affinityInvariants } from './invariants/affinity.ts';
import { isolationInvariants } from './invariants/isolation.ts';

export * from './invariant.ts';

export const invariants: readonly Invariant[] = [
  ...leakInvariants,
  ...structureInvariants,
  ...lifetimeInvariants,
  ...atomicityInvariants,
  ...isolationInvariants,
  ...affinityInvariants,
];

export const stateInvariants = invariants.filter((i): i is StateInvariant => i.scope === 'state');
export const stepInvariants = invariants.filter((i): i is StepInvariant => i.scope === 'step');

export const invariantById = (id: string): Invariant | undefined => invariants.find((i) => i.id === id);

/** every invariant violated by one step (step invariants first, then the state after it) */
export function checkStep(before: World, op: Op, outcome: StepOutcome, only?: ReadonlySet<string>): Violation[] {
  const out: Violation[] = [];
  for (const inv of stepInvariants) {
    if (only && !only.has(inv.id)) continue;
    const m = inv.check(before, op, outcome);
    if (m !== null) out.push({ invariant: inv.id, category: inv.category, message: m });
  }
  // after BUG() or a use-after-free the kernel is dead: its state is not judged any more
  if (outcome.kind === 'bug' || outcome.kind === 'use-after-free') return out;
  const after = outcome.world;
  for (const inv of stateInvariants) {
    if (only && !only.has(inv.id)) continue;
    // nothing it reads changed: the verdict on @before stands (callers stop at a violation)
    if (inv.reads.every((k) => before[k] === after[k])) continue;
    const m = inv.check(after);
    if (m !== null) out.push({ invariant: inv.id, category: inv.category, message: m });
  }
  return out;
}

/** the state invariants on one world (the initial one, or a world built by hand) */
export function checkState(w: World): Violation[] {
  const out: Violation[] = [];
  for (const inv of stateInvariants) {
    const m = inv.check(w);
    if (m !== null) out.push({ invariant: inv.id, category: inv.category, message: m });
  }
  return out;
}
