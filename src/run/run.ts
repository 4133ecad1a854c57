/*
 * src/run/run.ts - running a sequence against the model and checking after every step
 *
 * Two ways in: choice tuples (generated, interpreted against the current world) and concrete
 * operations (a trace being replayed). Both stop at the first violated invariant.
 */
import type { Op, OpType } from '../../models/ops.ts';
import type { World } from '../../models/world/types.ts';
import type { OutcomeKind } from '../../models/world/outcome.ts';
import { step } from '../../models/step.ts';
import { checkStep, type Violation } from '../../properties/index.ts';
import { chooseOp, handleKeys, isLegalOp, type Mode } from '../generate/op-specs.ts';
import { opTypes } from '../../models/ops.ts';

export interface TraceStep {
  readonly op: Op;
  readonly outcome: OutcomeKind;
  readonly errno?: string;
  readonly why?: string;
  readonly value?: unknown;
}

export interface RunResult {
  readonly trace: readonly TraceStep[];
  /** the violations of the failing step (all invariants it broke), empty if none */
  readonly violations: readonly Violation[];
  readonly final: World;
  /** outcome kinds seen, for the legal-caller self check */
  readonly outcomes: Readonly<Record<OutcomeKind, number>>;
  /** a replayed operation named an entity that was never created (a shrinking candidate to drop) */
  readonly invalid?: boolean;
}

export interface RunOptions {
  readonly mode: Mode;
  readonly types?: readonly OpType[];
  /** every operation type of the campaign (a swarm run's types are a subset of it) */
  readonly universe?: readonly OpType[];
  /** check the invariants after every step (false: bare model, for the benchmark) */
  readonly check?: boolean;
  /** only these invariants */
  readonly only?: ReadonlySet<string>;
  /** stop as invalid at an operation naming an entity not created yet */
  readonly requireBorn?: boolean;
  /** stop as invalid at an operation a legal caller would not make there */
  readonly requireLegal?: boolean;
}

/** does @op name a domain, device or mdev that does not exist yet in @w (never created)? */
export function namesUnborn(w: World, op: Op): boolean {
  const o = op as unknown as Record<string, unknown>;
  for (const k of ['domain', 'parent']) if (typeof o[k] === 'number' && (o[k] as number) >= w.nextDomainId) return true;
  for (const k of ['dev', 'pf']) if (typeof o[k] === 'number' && (o[k] as number) >= w.nextDevId) return true;
  if (typeof o.mdev === 'number' && o.mdev >= w.nextMdevId) return true;
  return false;
}

function traceStep(op: Op, o: ReturnType<typeof step>): TraceStep {
  switch (o.kind) {
    case 'ok':
      return o.value === undefined ? { op, outcome: 'ok' } : { op, outcome: 'ok', value: o.value };
    case 'err':
      return { op, outcome: 'err', errno: o.errno, why: o.why };
    case 'warned':
      return o.errno ? { op, outcome: 'warned', errno: o.errno, why: o.why } : { op, outcome: 'warned', why: o.why };
    default:
      return { op, outcome: o.kind, why: o.why };
  }
}

function drive(
  w0: World,
  n: number,
  next: (w: World, i: number) => Op,
  opts: RunOptions,
  done?: (op: Op, value: unknown) => void,
): RunResult {
  const check = opts.check ?? true;
  const outcomes: Record<OutcomeKind, number> = { ok: 0, err: 0, warned: 0, bug: 0, 'use-after-free': 0 };
  const trace: TraceStep[] = [];
  let w = w0;
  for (let i = 0; i < n; i++) {
    const op = next(w, i);
    if (opts.requireBorn && namesUnborn(w, op)) return { trace, violations: [], final: w, outcomes, invalid: true };
    if (opts.requireLegal && !isLegalOp(w, op)) return { trace, violations: [], final: w, outcomes, invalid: true };
    const o = step(w, op);
    done?.(op, o.kind === 'ok' ? o.value : undefined);
    outcomes[o.kind]++;
    trace.push(traceStep(op, o));
    if (check) {
      const v = checkStep(w, op, o, opts.only);
      if (v.length > 0) return { trace, violations: v, final: o.world, outcomes };
    }
    // the kernel is dead after BUG or a use-after-free: nothing more can happen
    if (o.kind === 'bug' || o.kind === 'use-after-free') return { trace, violations: [], final: o.world, outcomes };
    w = o.world;
  }
  return { trace, violations: [], final: w, outcomes };
}

/** interpret generated choice tuples against the world, one operation per tuple */
export function runChoices(w0: World, steps: readonly (readonly number[])[], opts: RunOptions): RunResult {
  const types = opts.types ?? opTypes;
  const universe = opts.universe ?? opTypes;
  // the handles the last RECENT_STEPS operations named or returned (see pickCandidate)
  const touched: string[][] = [];
  return drive(
    w0,
    steps.length,
    (w, i) => chooseOp(w, opts.mode, steps[i]!, types, universe, new Set(touched.flat())),
    opts,
    (op, value) => {
      touched.push(handleKeys(op as unknown as Record<string, unknown>, value));
      if (touched.length > RECENT_STEPS) touched.shift();
    },
  );
}

/** how many past steps count as recent for the generator */
const RECENT_STEPS = 3;

/** replay concrete operations */
export function runOps(w0: World, ops: readonly Op[], opts: Omit<RunOptions, 'mode'> = {}): RunResult {
  return drive(w0, ops.length, (_w, i) => ops[i]!, { ...opts, mode: 'any' });
}
