/*
 * src/bench/engines.ts - the search engines the bug benchmark compares, one registry entry each
 *
 * Every engine gets the same booted world (a fault switched on), a seed and the same budget in
 * model steps (calls of the transition function, each followed by the invariant checks): it
 * stops at its first violation, which it shrinks (shrinking is off the budget), or when it has
 * executed that many steps. It reports whether it found a violation, after how many runs, model
 * steps and CPU milliseconds, and how long its shrunk trace is. Random engines draw their
 * sequences one at a time, so no time goes into sequences never run.
 */
import fc from 'fast-check';
import { swarmTypes } from '../run/campaign.ts';
import { sequenceArbitrary, type Choice } from '../run/sequences.ts';
import { shrinkCounterexample, shrinkOps } from '../shrink/shrink.ts';
import { runChoices } from '../run/run.ts';
import { fastCheckDefault, fastCheckTuned } from './fast-check-baseline.ts';
import { explore } from '../search/explore.ts';
import { fingerprint } from '../search/fingerprint.ts';
import { opTypes } from '../../models/ops.ts';
import { cpuMs, notDetected, type EngineRun } from './measure.ts';

export type { EngineRun } from './measure.ts';

// the engine interface is in ./engine-types.ts (the fast-check baseline implements it too)
export type { BenchEngine, Budget } from './engine-types.ts';
import type { BenchEngine } from './engine-types.ts';

const STOP = Symbol('stop');

/**
 * the sequences of a campaign (generateSequences(): the same ones, in the same order), drawn one
 * at a time until @visit returns true: fc.statistics walks fast-check's sample stream lazily
 */
export function forEachSequence(
  opts: { seed: number; minSteps: number; maxSteps: number },
  visit: (seq: Choice[], i: number) => boolean,
): void {
  let i = 0;
  try {
    fc.statistics(
      sequenceArbitrary(opts.minSteps, opts.maxSteps),
      (seq) => {
        if (visit(seq as Choice[], i++)) throw STOP;
        return '';
      },
      { seed: opts.seed, numRuns: 2 ** 31 - 1, logger: () => {} },
    );
  } catch (e) {
    if (e !== STOP) throw e;
  }
}

/** the first of the invariants a run broke, as runCampaign() lists its counterexamples */
const firstInvariant = (ids: readonly string[]) => [...ids].sort((a, b) => a.localeCompare(b))[0]!;

/**
 * irqcheck's random search (runCampaign() with stopAtFirst, on a step budget): ops chosen from
 * the current state; the first violation is shrunk as the campaign shrinks it
 */
function campaignEngine(name: string, summary: string, swarm: boolean): BenchEngine {
  return {
    name,
    summary,
    run(w0, seed, budget) {
      const cpu0 = process.cpuUsage();
      let steps = 0;
      // (cast: assigned in the callback, which narrowing does not see)
      let hit = null as {
        run: number;
        seq: Choice[];
        invariant: string;
        cpu: number;
        types: readonly (typeof opTypes)[number][] | undefined;
      } | null;
      forEachSequence({ seed, minSteps: budget.minSteps, maxSteps: budget.maxSteps }, (seq, i) => {
        const left = budget.modelSteps - steps;
        if (left <= 0) return true;
        const types = swarm && i % 2 === 1 ? swarmTypes(opTypes, seed, i) : undefined;
        const r = runChoices(w0, seq.slice(0, left), { mode: 'legal', ...(types ? { types } : {}) });
        steps += r.trace.length;
        if (r.violations.length === 0) return false;
        hit = {
          run: i,
          seq: seq.slice(0, r.trace.length),
          invariant: firstInvariant(r.violations.map((v) => v.invariant)),
          cpu: cpuMs(cpu0),
          types,
        };
        return true;
      });
      const h = hit;
      if (!h) return notDetected(steps);
      const s = shrinkCounterexample(w0, h.seq, h.invariant, { mode: 'legal', ...(h.types ? { types: h.types } : {}) });
      const concrete = shrinkOps(
        w0,
        s.result.trace.map((t) => t.op),
        h.invariant,
        1500,
        'legal',
      );
      return {
        detected: true,
        runsToDetect: h.run + 1,
        stepsToDetect: steps,
        stepsUsed: steps,
        cpuMsToDetect: h.cpu,
        shrunkLength: concrete.trace.length,
        shortestLength: null,
        invariant: h.invariant,
      };
    },
  };
}

export const EXHAUSTIVE_DEPTH = 8;

/**
 * bounded exhaustive search (src/explore.ts) over every operation of the kernel model,
 * breadth-first until the step budget is spent: seed-independent; a trace it finds is shortest
 * for its alphabet
 */
const exhaustiveEngine: BenchEngine = {
  name: 'exhaustive',
  summary: `breadth-first search over the explore alphabet (depth <= ${EXHAUSTIVE_DEPTH}), one transition per model step of the budget; shortest by construction`,
  run(w0, _seed, budget) {
    // the search does not depend on the seed: once per booted world and budget
    const key = [w0.config.name, w0.design, JSON.stringify(w0.profile), budget.modelSteps, fingerprint(w0)].join('|');
    const hit = exhaustiveRuns.get(key);
    if (hit) return hit;
    const cpu0 = process.cpuUsage();
    const r = explore(w0, { depth: EXHAUSTIVE_DEPTH, types: opTypes, stopAt: '*', maxTransitions: budget.modelSteps });
    const v = r.violations[0];
    const out: EngineRun = v
      ? {
          detected: true,
          runsToDetect: 1,
          stepsToDetect: r.transitions,
          stepsUsed: r.transitions,
          cpuMsToDetect: cpuMs(cpu0),
          shrunkLength: v.ops.length,
          shortestLength: v.ops.length,
          invariant: v.invariant,
        }
      : notDetected(r.transitions);
    exhaustiveRuns.set(key, out);
    return out;
  },
};
const exhaustiveRuns = new Map<string, EngineRun>();

export const HYBRID_DEPTH = 2;

/**
 * random walks from the exhaustive frontier at depth 2 (runHybrid() with stopAtFirst, on a step
 * budget: the breadth-first part's transitions count, and it stops at its first violation)
 */
const hybridEngine: BenchEngine = {
  name: 'hybrid',
  summary: `random walks started from every state of the exhaustive frontier at depth ${HYBRID_DEPTH} (the frontier's transitions count against the budget)`,
  run(w0, seed, budget) {
    const cpu0 = process.cpuUsage();
    const base = explore(w0, {
      depth: HYBRID_DEPTH,
      types: opTypes,
      keepFrontier: true,
      stopAt: '*',
      maxTransitions: budget.modelSteps,
    });
    let steps = base.transitions;
    const v = base.violations[0];
    if (v) {
      const r = shrinkOps(w0, v.ops, v.invariant, 0, 'legal');
      return {
        detected: true,
        runsToDetect: 1,
        stepsToDetect: steps,
        stepsUsed: steps,
        cpuMsToDetect: cpuMs(cpu0),
        shrunkLength: r.trace.length,
        shortestLength: null,
        invariant: v.invariant,
      };
    }
    const frontier = base.frontier ?? [];
    let out = null as EngineRun | null;
    if (frontier.length > 0)
      forEachSequence({ seed, minSteps: budget.minSteps, maxSteps: budget.maxSteps }, (seq, i) => {
        const left = budget.modelSteps - steps;
        if (left <= 0) return true;
        const start = frontier[i % frontier.length]!;
        const r = runChoices(start.world, seq.slice(0, left), { mode: 'legal', types: opTypes, universe: opTypes });
        steps += r.trace.length;
        if (r.violations.length === 0) return false;
        const cpu = cpuMs(cpu0);
        const invariant = firstInvariant(r.violations.map((x) => x.invariant));
        const s = shrinkOps(w0, [...start.ops, ...r.trace.map((t) => t.op)], invariant, 1500, 'legal');
        // a walk whose violation does not replay from the initial state is not a find
        if (!s.violations.some((x) => x.invariant === invariant)) return false;
        out = {
          detected: true,
          runsToDetect: i + 1,
          stepsToDetect: steps,
          stepsUsed: steps,
          cpuMsToDetect: cpu,
          shrunkLength: s.trace.length,
          shortestLength: null,
          invariant,
        };
        return true;
      });
    return out ?? notDetected(steps);
  },
};

export const benchEngines: readonly BenchEngine[] = [
  fastCheckDefault,
  fastCheckTuned,
  campaignEngine(
    'irqcheck',
    'state-aware random generation (src/run/campaign.ts), steps deleted then choices lowered',
    false,
  ),
  campaignEngine('swarm', 'as irqcheck, every other run drawing from a random half of the operation types', true),
  hybridEngine,
  exhaustiveEngine,
];

export const benchEngineNames = benchEngines.map((e) => e.name);
