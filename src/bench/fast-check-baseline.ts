/*
 * src/bench/fast-check-baseline.ts - the baseline a user would write by hand with fast-check
 *
 * One fc.Command per operation type; fc.commands() draws each run's command list, each command's
 * check() is the operation's legal-caller guard (a command whose guard fails is skipped), run()
 * takes its handle and arguments from the live world with the command's own random numbers and
 * checks every invariant after the step. fc.modelRun() drives it; fast-check shrinks the
 * command list on failure. Same model, same invariants.
 *
 * Two set-ups: `fast-check-default` is what one writes first (fast-check's default size, so a
 * run draws a handful of commands, most of them disabled; 400 runs); `fast-check-tuned` is what
 * a user tuning it would do: `size: 'max'` up to the same sequence length as irqcheck, and runs
 * until it has spent the same number of executed model steps as every other engine.
 */
import fc from 'fast-check';
import type { World } from '../../models/world/types.ts';
import { opDef, opTypes, type OpType } from '../../models/ops.ts';
import { step } from '../../models/step.ts';
import { checkStep } from '../../properties/index.ts';
import { Choices, CHOICES_PER_STEP } from '../generate/choices.ts';
import type { BenchEngine } from './engine-types.ts';
import { cpuMs, notDetected, type EngineRun } from './measure.ts';

/** model steps executed over a whole search, and where it stops */
interface Meter {
  steps: number;
  readonly limit: number;
}

interface Model {
  world: World;
  /** after BUG() or a use-after-free nothing more runs */
  dead: boolean;
  /** commands that actually ran in this run (check() passed) */
  ran: number;
  readonly meter: Meter;
}

class Violated extends Error {
  constructor(
    readonly invariant: string,
    message: string,
  ) {
    super(`${invariant}: ${message}`);
  }
}

/** thrown (not a violation) once the step budget is spent: ends fc.check without shrinking */
class BudgetSpent extends Error {}

class OpCommand implements fc.Command<Model, object> {
  constructor(
    readonly type: OpType,
    readonly xs: readonly number[],
  ) {}
  check(m: Readonly<Model>): boolean {
    // a spent budget disables every command, so the last run cannot overrun it
    return !m.dead && m.meter.steps < m.meter.limit && opDef(this.type).candidates(m.world, 'legal').length > 0;
  }
  run(m: Model): void {
    const spec = opDef(this.type);
    const c = new Choices(this.xs);
    const op = spec.build(m.world, 'legal', c, c.pick(spec.candidates(m.world, 'legal')));
    const o = step(m.world, op);
    m.ran++;
    m.meter.steps++;
    const v = checkStep(m.world, op, o);
    if (v.length > 0) throw new Violated(v[0]!.invariant, v[0]!.message);
    m.world = o.world;
    if (o.kind === 'bug' || o.kind === 'use-after-free') m.dead = true;
  }
  toString(): string {
    return `${this.type}(${this.xs.join(',')})`;
  }
}

const commandArbs = opTypes.map((type) =>
  fc
    .array(fc.nat({ max: 0xffff }), { minLength: CHOICES_PER_STEP, maxLength: CHOICES_PER_STEP })
    .map((xs) => new OpCommand(type, xs)),
);

function fastCheckEngine(name: string, summary: string, tuned: boolean): BenchEngine {
  return {
    name,
    summary,
    run(w0, seed, budget): EngineRun {
      const cpu0 = process.cpuUsage();
      const meter: Meter = { steps: 0, limit: tuned ? budget.modelSteps : Infinity };
      let at: { steps: number; cpu: number } | null = null;
      const setup = (m: Meter) => () => ({ model: { world: w0, dead: false, ran: 0, meter: m } as Model, real: {} });
      const commands = fc.commands(
        commandArbs,
        tuned ? { maxCommands: budget.maxSteps, size: 'max' } : { maxCommands: budget.maxSteps },
      );
      const prop = (m: Meter, gate: boolean) =>
        fc.property(commands, (cmds) => {
          if (gate && m.steps >= m.limit) throw new BudgetSpent();
          try {
            fc.modelRun(setup(m), cmds);
          } catch (e) {
            if (gate && at === null && e instanceof Violated) at = { steps: m.steps, cpu: cpuMs(cpu0) };
            throw e;
          }
        });
      // the tuned engine runs until its steps are spent (endOnFailure: a spent budget is not shrunk)
      const r = tuned
        ? fc.check(prop(meter, true), { seed, numRuns: 2 ** 31 - 1, endOnFailure: true })
        : fc.check(prop(meter, true), { seed, numRuns: budget.runs });
      if (!r.failed || !(r.errorInstance instanceof Violated)) return notDetected(meter.steps);
      const found = at as { steps: number; cpu: number } | null;
      // shrink the failing run as fast-check does (replayed from its seed and path, off the budget)
      const shrunk = tuned
        ? fc.check(prop({ steps: 0, limit: Infinity }, false), {
            seed,
            ...(r.counterexamplePath ? { path: r.counterexamplePath } : {}),
            numRuns: 1,
          })
        : r;
      const cex = shrunk.counterexample ?? r.counterexample!;
      // replay the shrunk command list to count the commands that ran and name the invariant
      const m = setup({ steps: 0, limit: Infinity })().model;
      let invariant: string | null = null;
      try {
        fc.modelRun(() => ({ model: m, real: {} }), cex[0]);
      } catch (e) {
        invariant = e instanceof Violated ? e.invariant : null;
      }
      return {
        detected: true,
        runsToDetect: r.numRuns,
        stepsToDetect: found?.steps ?? meter.steps,
        stepsUsed: found?.steps ?? meter.steps,
        cpuMsToDetect: found?.cpu ?? null,
        shrunkLength: m.ran,
        shortestLength: null,
        invariant,
      };
    },
  };
}

export const fastCheckDefault = fastCheckEngine(
  'fast-check-default',
  'fast-check as first written: fc.commands (default size) + fc.modelRun, uniform over operation types, check() = legal guard, fast-check shrinking; 400 runs, NOT step-equal (it runs far fewer model steps, see the steps column)',
  false,
);

export const fastCheckTuned = fastCheckEngine(
  'fast-check-tuned',
  "fast-check tuned: as fast-check-default with size: 'max' and maxCommands = the longest sequence; runs until the model-step budget is spent",
  true,
);
