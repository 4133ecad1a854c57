/*
 * models/ops/op.ts - what one operation is: a single definition holding every part of it
 *
 * An operation (a kernel call, an admin's sysfs write, a device event) is one module under
 * models/ops/<area>/ whose default export is defineOp('<name>', <args>)({ <parts> }):
 *   args        the zod schema of its arguments; its TypeScript type is inferred from it (Call)
 *   step        what it does to the model: a delegation to the kernel or driver function
 *   candidates  the handles it can be given now (its guard: none = not enabled), typed
 *   handle      the arguments a candidate names (a call is legal when it names a legal candidate)
 *   build       a candidate plus the step's choices -> the call (the free arguments drawn)
 *   explore     every call exhaustive search tries for a candidate
 *   render      the call as a maintainer would type it (the trace)
 * and optionally prefer (candidates worth trying first) and recentKeys.
 * models/ops.ts lists every operation once; Op, OpType, step(), generation, exploration, trace
 * rendering and the counterexample schema are derived from that list. Everything here is a
 * pure function of the world: the engine (src/generate, src/search) does the choosing.
 */
import type { z } from 'zod';
import type { World } from '../world/types.ts';
import type { Outcome } from '../world/outcome.ts';
import { Choices } from './choices.ts';

/** legal: only calls whose documented preconditions hold; any: misuse allowed too */
export type Mode = 'legal' | 'any';

type ReadonlyArrays<X> = X extends readonly (infer E)[] ? readonly E[] : X;
type Readonly1<T> = { readonly [P in keyof T]: ReadonlyArrays<T[P]> };

/** one call of operation @K: its type and the arguments its schema @S declares */
export type Call<K extends string, S extends z.ZodObject> = Readonly1<{ type: K } & z.infer<S>>;

/** a method's type (its parameters bivariant, as every part's are), so the registry can hold every OpDef */
type Explorer<C, R> = { explore(w: World, cand: C): readonly R[] }['explore'];

export interface OpDef<K extends string, S extends z.ZodObject, C> {
  readonly type: K;
  /** the arguments, as a counterexample file stores them (key order = the order build() writes) */
  readonly args: S;
  /** apply the call to the model (models/step.ts wraps it: BUG() keeps the world) */
  step(w: World, op: Call<K, S>): Outcome<unknown>;
  /** the handles it can be applied to now, in the order the generator picks from; empty = not enabled */
  candidates(w: World, mode: Mode): readonly C[];
  /** the arguments a candidate names: a call is legal when it names one of the legal candidates */
  handle(cand: C): Partial<Call<K, S>>;
  /**
   * the 'virq:n' / 'cpu:n' keys a candidate matches among the handles the last steps touched;
   * default: its handle's virq and cpu
   */
  recentKeys?(cand: C): readonly string[];
  /** turn one candidate and the step's remaining choices into the call */
  build(w: World, mode: Mode, c: Choices, cand: C): Call<K, S>;
  /**
   * candidates worth trying first: half the time the pick is among these (when some are and
   * some are not), so that the generator goes where the state has something to lose
   */
  prefer?(w: World, cand: C): boolean;
  /**
   * exhaustive search's calls for a legal candidate: 'variants' = the distinct calls build()
   * makes from the choice tuples all 0, all 1 and all 2 (one call when it draws nothing)
   */
  readonly explore: 'variants' | Explorer<C, Call<K, S>>;
  /** the call in kernel-call form, with names resolved in the world it ran on */
  render(w: World, op: Call<K, S>): string;
}

/**
 * defineOp(type, args)(parts) - the definition of operation @type with arguments @args; every
 * part is required but prefer and recentKeys (a missing one is a compile error). Two calls so
 * that the arguments' type is fixed before the parts are checked against it (one call would let
 * TypeScript widen the literals build() returns).
 */
export function defineOp<K extends string, S extends z.ZodObject>(type: K, args: S) {
  return <C>(parts: Omit<OpDef<K, S, C>, 'type' | 'args'>): OpDef<K, S, C> => ({ type, args, ...parts });
}

/** what the helpers below need of a definition (an OpDef, or models/ops.ts' AnyOpDef) */
interface Parts<C, R> {
  handle(cand: C): object;
  recentKeys?(cand: C): readonly string[];
  build(w: World, mode: Mode, c: Choices, cand: C): R;
  readonly explore: 'variants' | Explorer<C, R>;
}

/** exploreCalls() - the calls exhaustive search tries for one legal candidate of @def */
export function exploreCalls<C, R>(def: Parts<C, R>, w: World, cand: C): readonly R[] {
  if (def.explore !== 'variants') return def.explore(w, cand);
  const seen = new Set<string>();
  const out: R[] = [];
  for (const k of [0, 1, 2]) {
    const op = def.build(w, 'legal', new Choices([k, k, k, k, k, k]), cand);
    const key = JSON.stringify(op);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(op);
  }
  return out;
}

/** names() - does @op name @cand (every argument the candidate names has the same value)? */
export function names<C>(def: Pick<Parts<C, unknown>, 'handle'>, op: object, cand: C): boolean {
  const args = op as Readonly<Record<string, unknown>>;
  return Object.entries(def.handle(cand)).every(([k, v]) => args[k] === v);
}

/** candidateKeys() - the recently-touched keys a candidate matches (see recentKeys) */
export function candidateKeys<C>(def: Pick<Parts<C, unknown>, 'handle' | 'recentKeys'>, cand: C): readonly string[] {
  if (def.recentKeys) return def.recentKeys(cand);
  const h = def.handle(cand) as Readonly<Record<string, unknown>>;
  const keys: string[] = [];
  for (const k of ['virq', 'cpu']) if (typeof h[k] === 'number') keys.push(`${k}:${h[k]}`);
  return keys;
}
