/*
 * src/search/certify.ts - shortest counterexamples: after shrinking, search exhaustively for a
 * shorter violation of the same invariant
 *
 * One breadth-first search per campaign, to one step less than the longest counterexample,
 * checking only the violated invariants. For a counterexample of length L: a shorter violation
 * found replaces it (and is shortest: breadth-first); if every sequence of length < L of the
 * search alphabet (explore-args) was tried without one, it is certified minimal; if the state
 * budget ran out first, it stays uncertified (minimal: false).
 */
import type { World } from '../../models/world/types.ts';
import type { OpType } from '../../models/ops.ts';
import type { Counterexample } from '../run/campaign.ts';
import { explore } from './explore.ts';
import { runOps } from '../run/run.ts';

export interface Certified extends Counterexample {
  readonly minimal: boolean;
}

export interface CertifyStats {
  readonly states: number;
  readonly depthReached: number;
  readonly replaced: number;
  readonly certified: number;
}

export function certifyCounterexamples(
  w0: World,
  found: readonly Counterexample[],
  types: readonly OpType[],
  maxStates: number,
): { counterexamples: Certified[]; stats: CertifyStats } {
  const longest = Math.max(0, ...found.map((c) => c.trace.length));
  if (found.length === 0 || longest <= 1) {
    return {
      counterexamples: found.map((c) => ({ ...c, minimal: c.trace.length <= 1 })),
      stats: { states: 0, depthReached: 0, replaced: 0, certified: found.length },
    };
  }
  const r = explore(w0, { depth: longest - 1, types, only: new Set(found.map((c) => c.invariant)), maxStates });
  let replaced = 0;
  let certified = 0;
  const counterexamples = found.map((c): Certified => {
    const shorter = r.violations.find((v) => v.invariant === c.invariant && v.ops.length < c.trace.length);
    if (shorter) {
      const run = runOps(w0, shorter.ops, { only: new Set([c.invariant]) });
      const v = run.violations.find((x) => x.invariant === c.invariant);
      if (v) {
        replaced++;
        certified++;
        return { ...c, trace: run.trace, message: v.message, minimal: true };
      }
    }
    const minimal = r.depthReached >= c.trace.length - 1;
    if (minimal) certified++;
    return { ...c, minimal };
  });
  return { counterexamples, stats: { states: r.states, depthReached: r.depthReached, replaced, certified } };
}
