/*
 * src/run/campaign.ts - the random-search loop: generate, run, and shrink what fails
 *
 * Sequences are fast-check arbitraries of choice tuples; each run interprets its tuples against
 * the current world (op-specs), so every generated step is a usable operation. A failing run is
 * cut at the failing step and shrunk (src/shrink/), keeping only candidates that break the same
 * invariant. One counterexample is kept per invariant: the first found, shrunk.
 */
import fc from 'fast-check';
import type { World } from '../../models/world/types.ts';
import { opTypes, type OpType } from '../../models/ops.ts';
import { invariants, type Category } from '../../properties/index.ts';
import { runChoices, type RunResult, type TraceStep } from './run.ts';
import { sequenceArbitrary, type Choice } from './sequences.ts';
import { shrinkCounterexample, shrinkOps, violates } from '../shrink/shrink.ts';
import type { Mode } from '../generate/op-specs.ts';

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

/** the sequences of a campaign, deterministic in the seed */
export function generateSequences(opts: Pick<CampaignOptions, 'runs' | 'minSteps' | 'maxSteps' | 'seed'>): Choice[][] {
  return fc.sample(sequenceArbitrary(opts.minSteps, opts.maxSteps), {
    seed: opts.seed,
    numRuns: opts.runs,
  }) as Choice[][];
}

/** add a run's outcome kinds, overall and per operation type, to a campaign's counts */
export function tallyOutcomes(
  r: RunResult,
  outcomes: Record<string, number>,
  opOutcomes: Record<string, Record<string, number>>,
): void {
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
    const r = runChoices(w0, seq, {
      mode: opts.mode,
      ...(types ? { types } : {}),
      ...universe,
      ...(opts.only ? { only: opts.only } : {}),
    });
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
      const concrete = shrinkOps(
        w0,
        s.result.trace.map((t) => t.op),
        v.invariant,
        1500,
        opts.mode,
      );
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
