/*
 * src/run/campaign.ts - the random-search loop: generate, run, and shrink what fails
 *
 * Sequences are fast-check arbitraries of choice tuples; each run interprets its tuples against
 * the current world (op-specs), so every generated step is a usable operation. A failing run is
 * cut at the failing step and shrunk with fast-check's own shrinker, keeping only candidates that
 * break the same invariant. One counterexample is kept per invariant: the first found, shrunk.
 */
import fc from 'fast-check';
import type { World } from '../../models/world/types.ts';
import { opTypes, type Op, type OpType } from '../../models/ops.ts';
import { invariants, type Category, type Violation } from '../../properties/index.ts';
import { runChoices, runOps, type RunResult, type TraceStep } from './run.ts';
import { step } from '../../models/step.ts';
import { CHOICES_PER_STEP } from '../generate/choices.ts';
import type { Mode } from '../generate/op-specs.ts';

export type Choice = readonly number[];

export interface CampaignOptions {
  readonly mode: Mode;
  readonly runs: number;
  readonly minSteps: number;
  readonly maxSteps: number;
  readonly seed: number;
  readonly types?: readonly OpType[];
  /** shrink candidates tried per counterexample */
  readonly shrinkBudget?: number;
  /** stop at the first violation */
  readonly stopAtFirst?: boolean;
  /** check only these invariant ids (default: all) */
  readonly only?: ReadonlySet<string>;
  /**
   * swarm testing: every other run draws from a random half of the operation types, so some
   * runs go deep along one path (a DSA configured up to open mdevs) instead of tearing down early
   */
  readonly swarm?: boolean;
  /** told of each invariant's first violation before it is shrunk (the benchmark times it) */
  readonly onFound?: (invariant: string, run: number) => void;
}

/** the operation types of swarm run @run: each type kept with probability 1/2 (seeded) */
export function swarmTypes(all: readonly OpType[], seed: number, run: number): OpType[] {
  let x = (seed * 2654435761 + run * 40503 + 12345) >>> 0;
  const next = () => ((x = (x ^ (x << 13)) >>> 0), (x = (x ^ (x >>> 17)) >>> 0), (x = (x ^ (x << 5)) >>> 0), x);
  const kept = all.filter(() => next() % 2 === 0);
  return kept.length > 0 ? kept : [...all];
}

export interface Counterexample {
  readonly invariant: string;
  readonly category: Category;
  readonly message: string;
  readonly trace: readonly TraceStep[];
  /** the run (0-based) that first found it and the length before shrinking */
  readonly foundInRun: number;
  readonly originalLength: number;
}

export interface CampaignResult {
  readonly runs: number;
  readonly steps: number;
  readonly counterexamples: readonly Counterexample[];
  readonly outcomes: Readonly<Record<string, number>>;
  /** outcome kinds per operation type over every run (which calls the workload reached, and how they ended) */
  readonly opOutcomes: Readonly<Record<string, Readonly<Record<string, number>>>>;
}

const tuple = fc.array(fc.nat({ max: 0xffff }), { minLength: CHOICES_PER_STEP, maxLength: CHOICES_PER_STEP });

export const sequenceArbitrary = (minSteps: number, maxSteps: number) => fc.array(tuple, { minLength: minSteps, maxLength: maxSteps });

/** the sequences of a campaign, deterministic in the seed */
export function generateSequences(opts: Pick<CampaignOptions, 'runs' | 'minSteps' | 'maxSteps' | 'seed'>): Choice[][] {
  return fc.sample(sequenceArbitrary(opts.minSteps, opts.maxSteps), { seed: opts.seed, numRuns: opts.runs }) as Choice[][];
}

const LOWERING_BUDGET = 200;

const violates = (r: RunResult, id: string): Violation | undefined => r.violations.find((v) => v.invariant === id);

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
  opts: Pick<CampaignOptions, 'mode' | 'types' | 'shrinkBudget'> & { readonly universe?: readonly OpType[] },
): { choices: Choice[]; result: RunResult } {
  // only the invariant being shrunk is checked: other violations on the way do not stop a run
  const only = new Set([invariant]);
  const run = (c: readonly Choice[]) => runChoices(w0, c, { mode: opts.mode, only, ...(opts.types ? { types: opts.types } : {}), ...(opts.universe ? { universe: opts.universe } : {}) });
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
export function shrinkOps(w0: World, ops: readonly Op[], invariant: string, budget = 1500, mode: Mode = 'any'): RunResult {
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
        if (dependent.size > 0 && budget > 0 && attempt(best.filter((_, k) => k !== i && !dependent.has(k)))) changed = true;
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
    if (names('mdev', created.mdev) || names('dev', created.dev) || names('pf', [...created.dev, ...bound]) || names('domain', created.domain) || names('parent', created.domain)) out.add(k);
  });
  return out;
}

const range = (from: number, to: number): number[] => Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);

/** add a run's outcome kinds, overall and per operation type, to a campaign's counts */
export function tallyOutcomes(r: RunResult, outcomes: Record<string, number>, opOutcomes: Record<string, Record<string, number>>): void {
  for (const [k, n] of Object.entries(r.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + n;
  for (const s of r.trace) {
    const per = (opOutcomes[s.op.type] ??= {});
    per[s.outcome] = (per[s.outcome] ?? 0) + 1;
  }
}

/** the operation types run @i of a campaign draws from (a swarm subset on every other run) */
const runTypes = (opts: CampaignOptions, i: number): readonly OpType[] | undefined =>
  opts.swarm && i % 2 === 1 ? swarmTypes(opts.types ?? opTypes, opts.seed, i) : opts.types;

/**
 * firstViolation() - the campaign's search without shrinking: the first run (0-based) that
 * breaks an invariant, and which; null if none within the budget
 */
export function firstViolation(w0: World, opts: CampaignOptions): { run: number; invariant: string } | null {
  const universe = opts.types ? { universe: opts.types } : {};
  for (const [i, seq] of generateSequences(opts).entries()) {
    const types = runTypes(opts, i);
    const r = runChoices(w0, seq, { mode: opts.mode, ...(types ? { types } : {}), ...universe, ...(opts.only ? { only: opts.only } : {}) });
    if (r.violations.length > 0) return { run: i, invariant: r.violations[0]!.invariant };
  }
  return null;
}

/** run a campaign: @runs generated sequences, every violated invariant shrunk once */
export function runCampaign(w0: World, opts: CampaignOptions): CampaignResult {
  const sequences = generateSequences(opts);
  const found = new Map<string, Counterexample>();
  const outcomes: Record<string, number> = {};
  const opOutcomes: Record<string, Record<string, number>> = {};
  let steps = 0;
  let runs = 0;
  // an invariant already found is not checked any more: later runs go on past the state that
  // broke it (an mdev open that breaks one isolation rule) and can break the others
  let active = new Set(opts.only ?? invariants.map((inv) => inv.id));
  for (const [i, seq] of sequences.entries()) {
    if (active.size === 0) break;
    runs++;
    const types = runTypes(opts, i);
    const universe = opts.types ? { universe: opts.types } : {};
    const r = runChoices(w0, seq, { mode: opts.mode, ...(types ? { types } : {}), ...universe, only: active });
    steps += r.trace.length;
    tallyOutcomes(r, outcomes, opOutcomes);
    for (const v of r.violations) {
      if (found.has(v.invariant)) continue;
      opts.onFound?.(v.invariant, i);
      const cut = seq.slice(0, r.trace.length);
      const s = shrinkCounterexample(w0, cut, v.invariant, { ...opts, ...(types ? { types } : {}), ...universe });
      const concrete = shrinkOps(w0, s.result.trace.map((t) => t.op), v.invariant, 1500, opts.mode);
      const sv = violates(concrete, v.invariant)!;
      found.set(v.invariant, {
        invariant: v.invariant,
        category: v.category,
        message: sv.message,
        trace: concrete.trace,
        foundInRun: i,
        originalLength: r.trace.length,
      });
    }
    if (r.violations.length > 0) active = new Set([...active].filter((id) => !found.has(id)));
    if (opts.stopAtFirst && found.size > 0) break;
  }
  const counterexamples = [...found.values()].sort((a, b) => a.invariant.localeCompare(b.invariant));
  return { runs, steps, counterexamples, outcomes, opOutcomes };
}
