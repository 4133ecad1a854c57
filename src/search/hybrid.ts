/*
 * src/search/hybrid.ts - hybrid search: random walks started from the states of an exhaustive
 * frontier, so a bug behind a long set-up is reached without the luck of generating the set-up
 *
 * The frontier is every distinct state first reached at depth d; run i starts from frontier
 * state i mod n (deterministic) and draws its steps as a random campaign does. A violation's
 * trace is the path to the start state followed by the walk, shrunk on concrete calls.
 */
import type { World } from '../../models/world/types.ts';
import type { OpType } from '../../models/ops.ts';
import { explore } from './explore.ts';
import { generateSequences, tallyOutcomes, type CampaignResult, type Counterexample } from '../run/campaign.ts';
import { shrinkOps } from '../shrink/shrink.ts';
import { runChoices } from '../run/run.ts';
import { invariants } from '../../properties/index.ts';

export interface HybridOptions {
  readonly frontierDepth: number;
  readonly runs: number;
  readonly minSteps: number;
  readonly maxSteps: number;
  readonly seed: number;
  readonly types: readonly OpType[];
  readonly only?: ReadonlySet<string>;
  readonly stopAtFirst?: boolean;
}

export function runHybrid(w0: World, opts: HybridOptions): CampaignResult {
  const base = explore(w0, {
    depth: opts.frontierDepth,
    types: opts.types,
    keepFrontier: true,
    ...(opts.only ? { only: opts.only } : {}),
  });
  const found = new Map<string, Counterexample>();
  const outcomes: Record<string, number> = {};
  const opOutcomes: Record<string, Record<string, number>> = {};
  let steps = 0;
  let runs = 0;
  // what the exhaustive part already found is kept as found (shortest)
  for (const v of base.violations) {
    const r = shrinkOps(w0, v.ops, v.invariant, 0, 'legal');
    found.set(v.invariant, {
      invariant: v.invariant,
      category: v.category,
      message: v.message,
      trace: r.trace,
      foundInRun: 0,
      originalLength: v.ops.length,
    });
  }
  const frontier = base.frontier ?? [];
  if (frontier.length > 0 && !(opts.stopAtFirst && found.size > 0)) {
    let active = new Set([...(opts.only ?? invariants.map((i) => i.id))].filter((id) => !found.has(id)));
    for (const [i, seq] of generateSequences(opts).entries()) {
      if (active.size === 0) break;
      runs++;
      const start = frontier[i % frontier.length]!;
      const r = runChoices(start.world, seq, { mode: 'legal', types: opts.types, universe: opts.types, only: active });
      steps += r.trace.length;
      tallyOutcomes(r, outcomes, opOutcomes);
      for (const v of r.violations) {
        if (found.has(v.invariant)) continue;
        const ops = [...start.ops, ...r.trace.map((t) => t.op)];
        const s = shrinkOps(w0, ops, v.invariant, 1500, 'legal');
        const sv = s.violations.find((x) => x.invariant === v.invariant);
        if (!sv) continue;
        found.set(v.invariant, {
          invariant: v.invariant,
          category: v.category,
          message: sv.message,
          trace: s.trace,
          foundInRun: i,
          originalLength: ops.length,
        });
      }
      if (r.violations.length > 0) active = new Set([...active].filter((id) => !found.has(id)));
      if (opts.stopAtFirst && found.size > 0) break;
    }
  }
  const counterexamples = [...found.values()].sort((a, b) => a.invariant.localeCompare(b.invariant));
  return { runs, steps, counterexamples, outcomes, opOutcomes };
}
