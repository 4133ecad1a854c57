/*
 * src/bench/fast-check-baseline.ts - the baseline a user would write by hand with fast-check
 *
 * One fc.Command per operation type; fc.commands() draws the sequence up front, each command's
 * check() is the operation's legal-caller guard (a command whose guard fails is skipped), run()
 * takes its handle and arguments from the live world with the command's own random numbers and
 * checks every invariant after the step. fc.modelRun() drives it; fast-check shrinks the
 * command list on failure. Same model, same invariants, same budget as irqcheck.
 */
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';
import type { World } from '../../models/world/types.ts';
import { opDef, opTypes, type OpType } from '../../models/ops.ts';
import { step } from '../../models/step.ts';
import { checkStep } from '../../properties/index.ts';
import { Choices, CHOICES_PER_STEP } from '../generate/choices.ts';
import type { BenchEngine } from './engines.ts';

interface Model {
  world: World;
  /** after BUG() or a use-after-free nothing more runs */
  dead: boolean;
  /** commands that actually ran (check() passed) */
  ran: number;
}

class Violated extends Error {
  constructor(readonly invariant: string, message: string) {
    super(`${invariant}: ${message}`);
  }
}

class OpCommand implements fc.Command<Model, object> {
  constructor(readonly type: OpType, readonly xs: readonly number[]) {}
  check(m: Readonly<Model>): boolean {
    return !m.dead && opDef(this.type).candidates(m.world, 'legal').length > 0;
  }
  run(m: Model): void {
    const spec = opDef(this.type);
    const c = new Choices(this.xs);
    const op = spec.build(m.world, 'legal', c, c.pick(spec.candidates(m.world, 'legal')));
    const o = step(m.world, op);
    m.ran++;
    const v = checkStep(m.world, op, o);
    if (v.length > 0) throw new Violated(v[0]!.invariant, v[0]!.message);
    m.world = o.world;
    if (o.kind === 'bug' || o.kind === 'use-after-free') m.dead = true;
  }
  toString(): string {
    return `${this.type}(${this.xs.join(',')})`;
  }
}

const commandArbs = opTypes.map((type) => fc.array(fc.nat({ max: 0xffff }), { minLength: CHOICES_PER_STEP, maxLength: CHOICES_PER_STEP }).map((xs) => new OpCommand(type, xs)));

export const fastCheckBaseline: BenchEngine = {
  name: 'fast-check',
  summary: 'fc.commands + fc.modelRun: commands drawn up front (uniform over operation types), check() = legal guard, fast-check shrinking',
  run(w0, seed, budget) {
    const t0 = performance.now();
    let at: number | null = null;
    const setup = () => ({ model: { world: w0, dead: false, ran: 0 } as Model, real: {} });
    const prop = fc.property(fc.commands(commandArbs, { maxCommands: budget.maxSteps }), (cmds) => {
      try {
        fc.modelRun(setup, cmds);
      } catch (e) {
        at ??= performance.now() - t0;
        throw e;
      }
    });
    const r = fc.check(prop, { seed, numRuns: budget.runs });
    if (!r.failed || !r.counterexample) return { detected: false, runsToDetect: null, msToDetect: null, shrunkLength: null, shortestLength: null, invariant: null };
    // replay the shrunk command list to count the commands that ran and name the invariant
    const m = setup().model;
    let invariant: string | null = null;
    try {
      fc.modelRun(() => ({ model: m, real: {} }), r.counterexample[0]);
    } catch (e) {
      invariant = e instanceof Violated ? e.invariant : null;
    }
    return { detected: true, runsToDetect: r.numRuns, msToDetect: at, shrunkLength: m.ran, shortestLength: null, invariant };
  },
};
