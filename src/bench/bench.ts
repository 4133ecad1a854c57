/*
 * src/bench/bench.ts - the bug benchmark: every fault x every engine over fixed seeds
 *
 * Each fault is switched on alone in the world it names (kernel model, legal caller, quirks
 * off: with no fault on, the same budget finds nothing there), and every engine searches it
 * with seeds 1..N and the same budget of model steps. Everything but the CPU milliseconds is
 * deterministic.
 */
import { worldFor } from '../run/check.ts';
import { faultById, type FaultId } from '../../models/faults/catalog.ts';
import { invariantById } from '../../properties/index.ts';
import { benchEngines, type BenchEngine, type Budget, type EngineRun } from './engines.ts';

/** 15000 model steps: about what irqcheck's 400 runs of 25-50 steps execute when they find nothing */
export const defaultBudget: Budget = { modelSteps: 15000, runs: 400, minSteps: 25, maxSteps: 50 };

export interface FaultEngineResult {
  readonly engine: string;
  readonly seeds: number;
  /** seeds on which the fault was detected */
  readonly detected: number;
  readonly medianRunsToDetect: number | null;
  /** median model steps executed up to the detection */
  readonly medianStepsToDetect: number | null;
  /** median model steps executed per search, detected or not */
  readonly medianStepsUsed: number;
  /** median length of the shrunk traces */
  readonly shrunkLength: number | null;
  /** certified shortest length (exhaustive search); null until such an engine runs */
  readonly shortestLength: number | null;
  /** the invariants that caught it, with their categories */
  readonly caughtBy: readonly { invariant: string; category: string }[];
  readonly perSeed: readonly EngineRun[];
}

export interface FaultResult {
  readonly id: FaultId;
  readonly hash: string;
  readonly subject: string;
  readonly kernel: string;
  /** the platform configuration the fault is sought on */
  readonly platform: string;
  /** the shortest trace any engine produced (the reference while no certified length exists) */
  readonly bestFoundLength: number | null;
  readonly results: readonly FaultEngineResult[];
}

export interface EngineTotals {
  readonly engine: string;
  readonly detectionRate: number;
  /** median CPU ms to detect (timing: varies from run to run) */
  readonly medianMsToDetect: number | null;
  /** median model steps to detect, over every detection (deterministic) */
  readonly medianStepsToDetect: number | null;
  /** model steps executed over every search (deterministic) */
  readonly stepsUsed: number;
  /** share of detections whose shrunk trace is as short as the reference length */
  readonly shortestShare: number | null;
  /** what the reference length is: certified shortest, or the best any engine found */
  readonly shortestBasis: 'certified' | 'best-found';
  readonly detected: number;
  readonly attempts: number;
}

export interface BenchResult {
  readonly seeds: number;
  readonly budget: Budget;
  readonly engines: readonly EngineTotals[];
  readonly faults: readonly FaultResult[];
}

/** lower median of a non-empty list, null for an empty one */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

function faultEngine(id: FaultId, engine: BenchEngine, seeds: number, budget: Budget): FaultEngineResult {
  const f = faultById(id);
  const perSeed: EngineRun[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const w0 = worldFor({
      design: f.target.design,
      kernel: f.target.kernel,
      quirks: false,
      config: f.target.config,
      faults: [id],
    });
    perSeed.push(engine.run(w0, seed, budget));
  }
  const hits = perSeed.filter((r) => r.detected);
  const invs = [...new Set(hits.map((r) => r.invariant).filter((x): x is string => x !== null))].sort();
  const shortest = hits.map((r) => r.shortestLength).filter((x): x is number => x !== null);
  return {
    engine: engine.name,
    seeds,
    detected: hits.length,
    medianRunsToDetect: median(hits.map((r) => r.runsToDetect!)),
    medianStepsToDetect: median(hits.map((r) => r.stepsToDetect!)),
    medianStepsUsed: median(perSeed.map((r) => r.stepsUsed))!,
    shrunkLength: median(hits.map((r) => r.shrunkLength!)),
    shortestLength: shortest.length ? Math.min(...shortest) : null,
    caughtBy: invs.map((invariant) => ({ invariant, category: invariantById(invariant)?.category ?? 'unknown' })),
    perSeed,
  };
}

export function runBench(
  ids: readonly FaultId[],
  seeds: number,
  budget: Budget = defaultBudget,
  engines: readonly BenchEngine[] = benchEngines,
  onDone?: (id: FaultId, engine: string) => void,
): BenchResult {
  const faults: FaultResult[] = ids.map((id) => {
    const results = engines.map((e) => {
      const r = faultEngine(id, e, seeds, budget);
      onDone?.(id, e.name);
      return r;
    });
    const lengths = results.flatMap((r) =>
      r.perSeed.filter((s) => s.detected).map((s) => s.shortestLength ?? s.shrunkLength!),
    );
    const f = faultById(id);
    // a length certified by the exhaustive engine is every engine's reference
    const certified = results.find((r) => r.shortestLength !== null)?.shortestLength ?? null;
    const withShortest = certified === null ? results : results.map((r) => ({ ...r, shortestLength: certified }));
    return {
      id,
      hash: f.hash,
      subject: f.subject,
      kernel: f.target.kernel,
      platform: f.target.config,
      bestFoundLength: lengths.length ? Math.min(...lengths) : null,
      results: withShortest,
    };
  });
  const totals = engines.map((e): EngineTotals => {
    const mine = faults.map((f) => ({ f, r: f.results.find((r) => r.engine === e.name)! }));
    const hits = mine.flatMap(({ f, r }) =>
      r.perSeed.filter((s) => s.detected).map((s) => ({ s, ref: r.shortestLength ?? f.bestFoundLength })),
    );
    const attempts = mine.reduce((n, { r }) => n + r.seeds, 0);
    const certified = mine.every(({ r }) => r.shortestLength !== null);
    return {
      engine: e.name,
      detectionRate: attempts ? hits.length / attempts : 0,
      medianMsToDetect: median(hits.map(({ s }) => Math.round(s.cpuMsToDetect ?? 0))),
      medianStepsToDetect: median(hits.map(({ s }) => s.stepsToDetect!)),
      stepsUsed: mine.reduce((n, { r }) => n + r.perSeed.reduce((k, s) => k + s.stepsUsed, 0), 0),
      shortestShare: hits.length
        ? hits.filter(({ s, ref }) => ref !== null && s.shrunkLength === ref).length / hits.length
        : null,
      shortestBasis: certified ? 'certified' : 'best-found',
      detected: hits.length,
      attempts,
    };
  });
  return { seeds, budget, engines: totals, faults };
}
