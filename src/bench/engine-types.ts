/*
 * src/bench/engine-types.ts - what a bench engine is: a name, a summary and a run over a booted
 * world, a seed and a budget in model steps (the registry is src/bench/engines.ts; each engine
 * implements this, the fast-check baseline too)
 */
import type { World } from '../../models/world/types.ts';
import type { EngineRun } from './measure.ts';

export interface Budget {
  /** model steps a search may execute: the budget unit, the same for every engine */
  readonly modelSteps: number;
  /** runs of fast-check-default (fast-check's run count, the one budget it was given before) */
  readonly runs: number;
  /** length of a generated sequence (fast-check-tuned: maxCommands = maxSteps) */
  readonly minSteps: number;
  readonly maxSteps: number;
}

export interface BenchEngine {
  readonly name: string;
  readonly summary: string;
  run(w0: World, seed: number, budget: Budget): EngineRun;
}
