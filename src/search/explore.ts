/*
 * src/search/explore.ts - exhaustive bounded search: breadth-first over every state reachable in
 * at most K steps of the operation alphabet (explore-args), each state seen once
 *
 * As TLC does: states are deduplicated by a fingerprint; the search keeps, per state, only its
 * parent and the operation that reached it (no copies of history), and the worlds of the layer
 * being expanded. The first violation of an invariant that breadth-first order meets is a
 * shortest trace for it. Invariants are checked on every transition, as in random runs.
 */
import type { Op, OpType } from '../../models/ops.ts';
import type { World } from '../../models/world/types.ts';
import { step } from '../../models/step.ts';
import { checkState, checkStep, invariants, stepInvariants, type Category } from '../../properties/index.ts';
import { enumerateOps } from './explore-args.ts';
import { fingerprint } from './fingerprint.ts';

export interface ExploreOptions {
  readonly depth: number;
  readonly types: readonly OpType[];
  /** invariants checked (default: all) */
  readonly only?: ReadonlySet<string>;
  /** stop as soon as this invariant is violated (certifying a shorter trace); '*': any */
  readonly stopAt?: string;
  /** give up after this many distinct states (the result says complete: false) */
  readonly maxStates?: number;
  /** give up before the transition (a step() call) past this many (the bench's budget unit) */
  readonly maxTransitions?: number;
  /** keep the states of the last layer (hybrid search starts random walks there) */
  readonly keepFrontier?: boolean;
  /** keep the fingerprints of every state reached (a shard's last layer dedups against them) */
  readonly keepSeen?: boolean;
  /** called after every layer and every 10000 states */
  readonly onProgress?: (p: ExploreProgress) => void;
}

export interface ExploreProgress {
  readonly depth: number;
  readonly states: number;
  readonly transitions: number;
  readonly violations: number;
}

export interface ShortestViolation {
  readonly invariant: string;
  readonly category: Category;
  readonly message: string;
  /** the operations from the initial state, the last one breaking the invariant */
  readonly ops: readonly Op[];
}

export interface ExploreResult {
  /** distinct states reached (the initial one included) */
  readonly states: number;
  readonly transitions: number;
  /** the deepest layer fully expanded */
  readonly depthReached: number;
  /** every state up to the depth was expanded (no budget hit, not stopped early) */
  readonly complete: boolean;
  /** transitions per operation type */
  readonly opCoverage: Readonly<Partial<Record<OpType, number>>>;
  /** states per depth */
  readonly layers: readonly number[];
  /**
   * the shortest violation of each invariant found (breadth-first: every shorter sequence of the
   * alphabet was tried before), in the registry's order
   */
  readonly violations: readonly ShortestViolation[];
  /** with keepFrontier: the states first reached at the last depth, with the operations to them */
  readonly frontier?: readonly { readonly world: World; readonly ops: readonly Op[] }[];
  /** with keepSeen: the fingerprint of every state reached */
  readonly seen?: ReadonlySet<string>;
}

/**
 * The invariants a transition is judged on. A state invariant reads the state alone, so it is
 * judged once per distinct state: when the state is first reached. A violation on a state
 * reached again was found then, earlier in breadth-first order (checkStep skips an invariant
 * whose reads did not change, which keeps the verdict of the parent; by induction every
 * state's verdict was taken, down to w0). That holds when w0 itself is clean; otherwise every
 * transition is judged on every invariant.
 */
export function judged(
  w0: World,
  only: ReadonlySet<string> | undefined,
): (fresh: boolean) => ReadonlySet<string> | undefined {
  const stateOnce = checkState(w0).every((v) => only !== undefined && !only.has(v.invariant));
  const stepOnly = new Set(stepInvariants.map((i) => i.id).filter((id) => only === undefined || only.has(id)));
  return (fresh) => (fresh || !stateOnce ? only : stepOnly);
}

export function explore(w0: World, opts: ExploreOptions): ExploreResult {
  const maxStates = opts.maxStates ?? Infinity;
  const maxTransitions = opts.maxTransitions ?? Infinity;
  // the search tree: parent index and operation per state (index 0: the initial world)
  const parent: number[] = [-1];
  const via: (Op | null)[] = [null];
  const seen = new Set<string>([fingerprint(w0)]);
  const judge = judged(w0, opts.only);
  const found = new Map<string, ShortestViolation>();
  const opCoverage: Partial<Record<OpType, number>> = {};
  const layers = [1];
  let transitions = 0;
  let layer: { world: World; node: number }[] = [{ world: w0, node: 0 }];
  let depthReached = 0;
  let complete = true;
  const pathTo = (node: number): Op[] => {
    const ops: Op[] = [];
    for (let n = node; n > 0; n = parent[n]!) ops.push(via[n]!);
    return ops.reverse();
  };
  const progress = () =>
    opts.onProgress?.({ depth: depthReached, states: parent.length, transitions, violations: found.size });

  search: for (let depth = 1; depth <= opts.depth; depth++) {
    const next: { world: World; node: number }[] = [];
    let added = 0;
    layers.push(0);
    for (const { world, node } of layer) {
      for (const op of enumerateOps(world, opts.types)) {
        if (transitions >= maxTransitions) {
          complete = false;
          layers[depth] = added;
          break search;
        }
        transitions++;
        opCoverage[op.type] = (opCoverage[op.type] ?? 0) + 1;
        const o = step(world, op);
        // after BUG() or a use-after-free the kernel is dead: nothing follows
        const dead = o.kind === 'bug' || o.kind === 'use-after-free';
        const fp = dead ? '' : fingerprint(o.world);
        const fresh = !dead && !seen.has(fp);
        // a state seen before had its state invariants judged when first reached (judged())
        const broken = checkStep(world, op, o, judge(fresh));
        for (const v of broken) {
          if (found.has(v.invariant)) continue;
          found.set(v.invariant, {
            invariant: v.invariant,
            category: v.category,
            message: v.message,
            ops: [...pathTo(node), op],
          });
          layers[depth] = added;
          if (v.invariant === opts.stopAt || opts.stopAt === '*') {
            complete = false;
            break search;
          }
        }
        if (!fresh) continue;
        seen.add(fp);
        parent.push(node);
        via.push(op);
        added++;
        if (depth < opts.depth || opts.keepFrontier) next.push({ world: o.world, node: parent.length - 1 });
        if (parent.length % 10000 === 0) progress();
        if (parent.length >= maxStates) {
          complete = false;
          layers[depth] = added;
          break search;
        }
      }
    }
    depthReached = depth;
    layers[depth] = added;
    layer = next;
    progress();
    if (next.length === 0 && depth < opts.depth) break;
  }
  const order = new Map(invariants.map((inv, i) => [inv.id, i]));
  const violations = [...found.values()].sort((a, b) => order.get(a.invariant)! - order.get(b.invariant)!);
  const frontier = opts.keepFrontier ? layer.map((x) => ({ world: x.world, ops: pathTo(x.node) })) : undefined;
  return {
    states: parent.length,
    transitions,
    depthReached,
    complete,
    opCoverage,
    layers,
    violations,
    ...(frontier ? { frontier } : {}),
    ...(opts.keepSeen ? { seen } : {}),
  };
}
