/*
 * src/bench/engines.ts - the search engines the bug benchmark compares, one registry entry each
 *
 * Every engine gets the same booted world (a fault switched on), a seed and the same budget, and
 * reports whether it found a violation, after how many runs and milliseconds, and how long its
 * shrunk trace is. `shortestLength` stays null until an engine that certifies shortest traces
 * (bounded exhaustive search) is registered.
 */
import { performance } from 'node:perf_hooks';
import { runCampaign } from '../run/campaign.ts';
import { fastCheckBaseline } from './fast-check-baseline.ts';
import { explore } from '../search/explore.ts';
import { fingerprint } from '../search/fingerprint.ts';
import { runHybrid } from '../search/hybrid.ts';
import { opTypes } from '../../models/ops.ts';

// the engine interface is in ./engine-types.ts (the baseline engine implements it too)
export type { BenchEngine, Budget, EngineRun } from './engine-types.ts';
import type { BenchEngine, Budget, EngineRun } from './engine-types.ts';

/** irqcheck's random search: ops chosen from the current state, stop at the first violation */
function campaignEngine(name: string, summary: string, swarm: boolean): BenchEngine {
  return {
    name,
    summary,
    run(w0, seed, budget) {
      const t0 = performance.now();
      let at: number | null = null;
      const r = runCampaign(w0, { mode: 'legal', ...budget, seed, swarm, stopAtFirst: true, onFound: () => void (at ??= performance.now() - t0) });
      const c = r.counterexamples[0];
      if (!c) return { detected: false, runsToDetect: null, msToDetect: null, shrunkLength: null, shortestLength: null, invariant: null };
      return { detected: true, runsToDetect: c.foundInRun + 1, msToDetect: at, shrunkLength: c.trace.length, shortestLength: null, invariant: c.invariant };
    },
  };
}

/** the state budget of the exhaustive engine (breadth-first, small configuration) */
export const EXHAUSTIVE_STATES = 4000;
export const EXHAUSTIVE_DEPTH = 8;

/**
 * bounded exhaustive search (src/search/explore.ts) over every operation of the kernel model:
 * seed-independent; a trace it finds is shortest for its alphabet (breadth-first)
 */
const exhaustiveEngine: BenchEngine = {
  name: 'exhaustive',
  summary: `breadth-first search over the explore alphabet, up to ${EXHAUSTIVE_STATES} distinct states (depth <= ${EXHAUSTIVE_DEPTH}); shortest by construction`,
  run(w0) {
    // the search does not depend on the seed: once per booted world
    const key = fingerprint(w0) + JSON.stringify(w0.profile);
    const hit = exhaustiveRuns.get(key);
    if (hit) return hit;
    const t0 = performance.now();
    const r = explore(w0, { depth: EXHAUSTIVE_DEPTH, types: opTypes, stopAt: '*', maxStates: EXHAUSTIVE_STATES });
    const v = r.violations[0];
    const out: EngineRun = v
      ? { detected: true, runsToDetect: 1, msToDetect: performance.now() - t0, shrunkLength: v.ops.length, shortestLength: v.ops.length, invariant: v.invariant }
      : { detected: false, runsToDetect: null, msToDetect: null, shrunkLength: null, shortestLength: null, invariant: null };
    exhaustiveRuns.set(key, out);
    return out;
  },
};
const exhaustiveRuns = new Map<string, EngineRun>();

/** random walks from the exhaustive frontier at depth 2 (src/search/hybrid.ts) */
const hybridEngine: BenchEngine = {
  name: 'hybrid',
  summary: 'random walks started from every state of the exhaustive frontier at depth 2',
  run(w0, seed, budget) {
    const t0 = performance.now();
    const r = runHybrid(w0, { frontierDepth: 2, ...budget, seed, types: opTypes, stopAtFirst: true });
    const c = r.counterexamples[0];
    if (!c) return { detected: false, runsToDetect: null, msToDetect: null, shrunkLength: null, shortestLength: null, invariant: null };
    return { detected: true, runsToDetect: c.foundInRun + 1, msToDetect: performance.now() - t0, shrunkLength: c.trace.length, shortestLength: null, invariant: c.invariant };
  },
};

export const benchEngines: readonly BenchEngine[] = [
  fastCheckBaseline,
  campaignEngine('irqcheck', 'state-aware random generation (src/run/campaign.ts), steps deleted then choices lowered', false),
  campaignEngine('swarm', 'as irqcheck, every other run drawing from a random half of the operation types', true),
  hybridEngine,
  exhaustiveEngine,
];

export const benchEngineNames = benchEngines.map((e) => e.name);
