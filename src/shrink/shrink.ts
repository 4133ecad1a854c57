/*
 * src/shrink/shrink.ts - making a found counterexample short, in three passes
 *
 * A failing run is shrunk first on its choice tuples (steps deleted, then choices lowered with
 * fast-check's own shrinker), then on the concrete calls it made (calls deleted, alone or with
 * the later calls that use what they created). Every candidate is re-run and kept only if it
 * breaks the same invariant; an accepted candidate is cut at its failing step.
 */
import type { World } from '../../models/world/types.ts';
import type { Op, OpType } from '../../models/ops.ts';
import type { Violation } from '../../properties/index.ts';
import { step } from '../../models/step.ts';
import type { Mode } from '../generate/op-specs.ts';
import { runChoices, runOps, type RunResult } from '../run/run.ts';
import { sequenceArbitrary, type Choice } from '../run/sequences.ts';

export interface ShrinkOptions {
  readonly mode: Mode;
  readonly types?: readonly OpType[];
  /** shrink candidates tried per counterexample */
  readonly shrinkBudget?: number;
  /** every operation type of the campaign (a swarm run's types are a subset of it) */
  readonly universe?: readonly OpType[];
}

const LOWERING_BUDGET = 200;

/** the violation of invariant @id in run @r, if it broke it */
export const violates = (r: RunResult, id: string): Violation | undefined =>
  r.violations.find((v) => v.invariant === id);

/**
 * shrinkCounterexample() - smallest choice sequence still breaking @invariant
 * First whole steps are deleted (each step, last to first, until none can go: later steps are
 * re-interpreted against the new world, as Hypothesis does); then fast-check's own shrinker
 * lowers the choices. Every accepted candidate is cut at its failing step.
 */
export function shrinkCounterexample(
  w0: World,
  choices: readonly Choice[],
  invariant: string,
  opts: ShrinkOptions,
): { choices: Choice[]; result: RunResult } {
  // only the invariant being shrunk is checked: other violations on the way do not stop a run
  const only = new Set([invariant]);
  const run = (c: readonly Choice[]) =>
    runChoices(w0, c, {
      mode: opts.mode,
      only,
      ...(opts.types ? { types: opts.types } : {}),
      ...(opts.universe ? { universe: opts.universe } : {}),
    });
  let best = [...choices];
  let bestRun = run(best);
  let budget = opts.shrinkBudget ?? 2000;
  const accept = (cand: readonly Choice[]): boolean => {
    budget--;
    const r = run(cand);
    if (!violates(r, invariant)) return false;
    best = cand.slice(0, r.trace.length);
    bestRun = r;
    return true;
  };
  // rounds of: 1. delete steps; 2. lower choices with fast-check's shrinker (a bounded share of
  // the budget each round: length matters most)
  for (let round = 0; round < 4 && budget > 0; round++) {
    const before = best.length;
    let changed = true;
    while (changed && budget > 0) {
      changed = false;
      for (let i = best.length - 1; i >= 0 && budget > 0; i--) {
        if (i >= best.length) continue;
        if (accept([...best.slice(0, i), ...best.slice(i + 1)])) changed = true;
      }
    }
    let lowering = LOWERING_BUDGET;
    let lowered = false;
    let improved = true;
    while (improved && budget > 0 && lowering > 0) {
      improved = false;
      const arb = sequenceArbitrary(1, Math.max(1, best.length));
      for (const cand of arb.shrink(best as number[][], undefined)) {
        if (budget <= 0 || lowering-- <= 0) break;
        if (accept(cand.value)) {
          improved = lowered = true;
          break;
        }
      }
    }
    if (!lowered && best.length === before) break;
  }
  return { choices: best, result: bestRun };
}

/**
 * shrinkOps() - delete concrete operations while @invariant still breaks
 * Choice-level shrinking re-interprets later steps when one goes, which can keep steps that are
 * irrelevant but shift the picks; replaying the concrete calls without one of them does not.
 */
export function shrinkOps(
  w0: World,
  ops: readonly Op[],
  invariant: string,
  budget = 1500,
  mode: Mode = 'any',
): RunResult {
  const only = new Set([invariant]);
  // a legal caller's counterexample must stay legal while it shrinks
  const requireLegal = mode === 'legal';
  let best = [...ops];
  let bestRun = runOps(w0, best, { only, requireBorn: true });
  const attempt = (cand: Op[]): boolean => {
    budget--;
    const r = runOps(w0, cand, { only, requireBorn: true, requireLegal });
    if (r.invalid || !violates(r, invariant)) return false;
    best = cand.slice(0, r.trace.length);
    bestRun = r;
    return true;
  };
  let changed = true;
  while (changed && budget > 0) {
    changed = false;
    for (let i = best.length - 1; i >= 0 && budget > 0; i--) {
      if (i >= best.length) continue;
      // the call alone, then the call with every later call that uses what it created (an
      // mdev with its open and remove, a PF probe with its configuration)
      if (attempt([...best.slice(0, i), ...best.slice(i + 1)])) changed = true;
      else {
        const dependent = dependentsOf(w0, best, i);
        if (dependent.size > 0 && budget > 0 && attempt(best.filter((_, k) => k !== i && !dependent.has(k))))
          changed = true;
      }
    }
  }
  return bestRun;
}

/** the calls after @i that name an entity (mdev, device, domain) call @i created or bound */
export function dependentsOf(w0: World, ops: readonly Op[], i: number): Set<number> {
  const before = runOps(w0, ops.slice(0, i), { check: false }).final;
  const after = step(before, ops[i]!).world;
  const created = {
    mdev: range(before.nextMdevId, after.nextMdevId),
    dev: range(before.nextDevId, after.nextDevId),
    domain: range(before.nextDomainId, after.nextDomainId),
  };
  // a driver bound by this call (idxd probe): the calls that configure or use that PF
  const o = ops[i] as unknown as Record<string, unknown>;
  const bound = ops[i]!.type === 'idxdProbe' && typeof o.pf === 'number' ? [o.pf as number] : [];
  const out = new Set<number>();
  ops.forEach((op, k) => {
    if (k <= i) return;
    const x = op as unknown as Record<string, unknown>;
    const names = (key: string, ids: readonly number[]) => typeof x[key] === 'number' && ids.includes(x[key] as number);
    if (
      names('mdev', created.mdev) ||
      names('dev', created.dev) ||
      names('pf', [...created.dev, ...bound]) ||
      names('domain', created.domain) ||
      names('parent', created.domain)
    )
      out.add(k);
  });
  return out;
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);
