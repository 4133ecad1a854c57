/*
 * models/step.ts - the transition function: (world, op) -> outcome
 *
 * Each operation's own step (models/ops/<area>/<op>.ts) delegates to the one kernel file that owns
 * the rule and keeps the callers' bookkeeping (which direct allocations a client holds, which
 * handles were freed lately) that the lifetime invariants read. Here: what holds for every
 * operation (a dead kernel stays dead).
 */
import { opDef, type Op } from './ops.ts';
import type { World } from './world/types.ts';
import type { Outcome } from './world/outcome.ts';
import { bootBugOutcome } from './arch/x86/ioapic.ts';
import './machine/index.ts'; // fills the ops tables the core looks up (the composition root)

/** the result of a step: the outcome, and the value an allocation returned (for the trace) */
export type StepOutcome = Outcome<unknown>;

/**
 * step() - apply one operation. After BUG() or a use of freed memory the kernel is dead: the
 * outcome keeps the world as it was before the operation, nothing after it is meaningful.
 */
export function step(w: World, op: Op): StepOutcome {
  // a boot that hit BUG() (setup_IO_APIC()) left no kernel to call
  if (w.bootBug !== null) return bootBugOutcome(w, w.bootBug);
  const o = opDef(op.type).step(w, op);
  // a level callback without an outcome (ops->free) oopsed (ghost set by models/drivers/pci/controller/vmd.ts)
  if (o.world.crash !== null) return { kind: 'bug', world: w, why: o.world.crash };
  if (o.kind === 'bug' || o.kind === 'use-after-free') return { ...o, world: w };
  return o.world.kernelWarn.length === 0 ? o : warnedOutcome(o);
}

/**
 * a WARN reached inside the call is an outcome (the kernel prints it and carries on): an ok or
 * warned step becomes warned naming the function; a failed one keeps its errno and says it too
 */
function warnedOutcome(o: StepOutcome): StepOutcome {
  const world = { ...o.world, kernelWarn: [] };
  const why = o.world.kernelWarn.join('; ');
  if (o.kind === 'err' || o.kind === 'warned') return { ...o, world, why: `${o.why}; ${why}` };
  return { kind: 'warned', world, why };
}
