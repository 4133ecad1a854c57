/*
 * src/search/shard.ts - one exhaustive search spread over n processes or machines that do not
 * talk to each other (`explore --shard i/n`), and the merge of their outputs into the result a
 * single search gives (`irqcheck merge`)
 *
 * Every shard searches the layers before the last one in full (about a fifth of the work: the
 * layers grow about fivefold), so each knows every state reached before the last layer. The
 * states of the layer before the last are partitioned by fingerprint; a shard expands only its
 * part and writes what it saw: transitions, the fingerprints of the new states, and each
 * violation with its position in breadth-first order (state index in the layer, operation
 * index). The merge takes the union of the new states and, per invariant, the violation first
 * in breadth-first order: the same counts, coverage and shortest traces as one search.
 * A search with a state budget or stopping at a violation is not sharded (its cut-off point
 * depends on the order of the whole search).
 */
import type { OpType } from '../../models/ops.ts';
import type { World } from '../../models/world/types.ts';
import { step } from '../../models/step.ts';
import { checkStep, invariants } from '../../properties/index.ts';
import { enumerateOps } from './explore-args.ts';
import { explore, judged, type ExploreResult, type ShortestViolation } from './explore.ts';
import { fingerprint } from './fingerprint.ts';

export interface Shard {
  /** 1-based, as vitest --shard */
  readonly index: number;
  readonly count: number;
}

/** "i/n" with 1 <= i <= n, or null */
export function parseShard(v: string): Shard | null {
  const m = /^([1-9][0-9]{0,3})\/([1-9][0-9]{0,3})$/.exec(v);
  if (!m) return null;
  const index = Number(m[1]);
  const count = Number(m[2]);
  return index <= count ? { index, count } : null;
}

/** the shard a state belongs to: its fingerprint's high word modulo the count */
export const shardOf = (fp: string, count: number): number => (Number.parseInt(fp.slice(0, 8), 16) % count) + 1;

/** breadth-first position of a transition in the last layer: [state index, operation index] */
type Position = readonly [number, number];
const before = (a: Position, b: Position): boolean => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);

export interface ShardResult {
  readonly shard: Shard;
  readonly depth: number;
  /** the full search of the layers before the last (identical in every shard) */
  readonly prefix: Omit<ExploreResult, 'frontier' | 'seen'>;
  /** the last layer, this shard's part */
  readonly transitions: number;
  readonly opCoverage: Readonly<Partial<Record<OpType, number>>>;
  /** where each operation type first occurs (the single search's coverage lists types in that order) */
  readonly firstSeen: Readonly<Partial<Record<OpType, Position>>>;
  /** fingerprints of the new states reached (not reached before the last layer) */
  readonly states: readonly string[];
  readonly violations: readonly (ShortestViolation & { readonly at: Position })[];
}

export interface ShardSearch {
  readonly depth: number;
  readonly types: readonly OpType[];
  readonly only?: ReadonlySet<string>;
}

export function exploreShard(w0: World, opts: ShardSearch, shard: Shard): ShardResult {
  const only = opts.only ? { only: opts.only } : {};
  const pre = explore(w0, { depth: opts.depth - 1, types: opts.types, ...only, keepFrontier: true, keepSeen: true });
  const { frontier = [], seen = new Set<string>(), ...prefix } = pre;
  const judge = judged(w0, opts.only);
  const fresh = new Set<string>();
  const opCoverage: Partial<Record<OpType, number>> = {};
  const firstSeen: Partial<Record<OpType, Position>> = {};
  const found = new Map<string, ShortestViolation & { at: Position }>();
  let transitions = 0;
  // a search that ran out of states before the last layer has nothing left to share out
  const layer = prefix.depthReached === opts.depth - 1 ? frontier : [];
  for (const [i, { world, ops }] of layer.entries()) {
    if (shardOf(fingerprint(world), shard.count) !== shard.index) continue;
    for (const [k, op] of enumerateOps(world, opts.types).entries()) {
      transitions++;
      opCoverage[op.type] = (opCoverage[op.type] ?? 0) + 1;
      firstSeen[op.type] ??= [i, k];
      const o = step(world, op);
      const dead = o.kind === 'bug' || o.kind === 'use-after-free';
      const fp = dead ? '' : fingerprint(o.world);
      const isNew = !dead && !seen.has(fp) && !fresh.has(fp);
      for (const v of checkStep(world, op, o, judge(isNew))) {
        if (found.has(v.invariant) || prefix.violations.some((p) => p.invariant === v.invariant)) continue;
        found.set(v.invariant, { ...v, ops: [...ops, op], at: [i, k] });
      }
      if (isNew) fresh.add(fp);
    }
  }
  return {
    shard,
    depth: opts.depth,
    prefix,
    transitions,
    opCoverage,
    firstSeen,
    states: [...fresh],
    violations: [...found.values()],
  };
}

/** the shards' outputs as the one search's result; an error message when they do not fit together */
export function mergeShards(parts: readonly ShardResult[]): ExploreResult | string {
  if (parts.length === 0) return 'no shard outputs';
  const count = parts[0]!.shard.count;
  const indexes = parts.map((p) => p.shard.index).sort((a, b) => a - b);
  if (
    parts.some((p) => p.shard.count !== count) ||
    indexes.join() !== Array.from({ length: count }, (_, i) => i + 1).join()
  )
    return `expected shards 1..${count} once each, got ${indexes.map((i) => `${i}/${count}`).join(', ')}`;
  const { prefix, depth } = parts[0]!;
  if (parts.some((p) => p.depth !== depth || JSON.stringify(p.prefix) !== JSON.stringify(prefix)))
    return 'the shards searched different models or depths';
  const transitions = parts.reduce((n, p) => n + p.transitions, 0);
  const fresh = new Set(parts.flatMap((p) => p.states));
  // coverage: the prefix's types in their order, then the new ones in breadth-first order
  const coverage: Partial<Record<OpType, number>> = { ...prefix.opCoverage };
  const firsts = new Map<OpType, Position>();
  for (const p of parts)
    for (const [t, at] of Object.entries(p.firstSeen) as [OpType, Position][]) {
      const f = firsts.get(t);
      if (!f || before(at, f)) firsts.set(t, at);
    }
  const newTypes = [...firsts].filter(([t]) => !(t in coverage)).sort((a, b) => (before(a[1], b[1]) ? -1 : 1));
  for (const [t] of newTypes) coverage[t] = 0;
  for (const p of parts) for (const [t, n] of Object.entries(p.opCoverage) as [OpType, number][]) coverage[t]! += n;
  // per invariant, the violation first in breadth-first order
  const last = new Map<string, ShortestViolation & { at: Position }>();
  for (const p of parts)
    for (const v of p.violations) {
      const f = last.get(v.invariant);
      if (!f || before(v.at, f.at)) last.set(v.invariant, v);
    }
  const order = new Map(invariants.map((inv, i) => [inv.id, i]));
  const violations = [...prefix.violations, ...[...last.values()].map(({ at: _, ...v }) => v)].sort(
    (a, b) => order.get(a.invariant)! - order.get(b.invariant)!,
  );
  const expanded = transitions > 0 || prefix.depthReached === depth - 1;
  return {
    ...prefix,
    states: prefix.states + fresh.size,
    transitions: prefix.transitions + transitions,
    depthReached: expanded && prefix.layers.at(-1)! > 0 ? depth : prefix.depthReached,
    opCoverage: coverage,
    layers: expanded && prefix.layers.at(-1)! > 0 ? [...prefix.layers, fresh.size] : prefix.layers,
    violations,
  };
}
