/*
 * src/bench/engine-types.ts - what a bench engine is: a name, a summary and a run over a booted
 * world, a seed and a budget (the registry is src/bench/engines.ts; each engine implements this)
 */
import type { World } from '../../models/world/types.ts';

export interface Budget {
  /** generated sequences (fast-check: numRuns) */
  readonly runs: number;
  readonly minSteps: number;
  readonly maxSteps: number;
}

export interface EngineRun {
  readonly detected: boolean;
  /** 1-based run of the first detection */
  readonly runsToDetect: number | null;
  /** wall-clock ms from start to the first failing run (before shrinking); timing part only */
  readonly msToDetect: number | null;
  readonly shrunkLength: number | null;
  /** certified shortest counterexample length (exhaustive search), null when unknown */
  readonly shortestLength: number | null;
  readonly invariant: string | null;
}

export interface BenchEngine {
  readonly name: string;
  readonly summary: string;
  run(w0: World, seed: number, budget: Budget): EngineRun;
}
