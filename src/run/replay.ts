/*
 * src/run/replay.ts - re-run a counterexample file: parse and validate it, install its
 * design (loading a user's design file again), boot its world and run its steps
 *
 * Any problem with the file is a ReplayError with one line saying what is wrong.
 */
import type { Op } from '../../models/ops.ts';
import type { World } from '../../models/world/types.ts';
import { findDesign, KERNEL_DESIGN } from '../../models/designs/index.ts';
import { CounterexampleError, parseCounterexample, type CounterexampleFile } from '../report/counterexample.ts';
import { DesignError, loadDesignFile } from '../load/load-design.ts';
import { worldFor } from './check.ts';
import { runOps, type RunResult } from './run.ts';
import { invariantById } from '../../properties/index.ts';

export class ReplayError extends Error {}

export interface Replayed {
  readonly file: CounterexampleFile;
  readonly ops: readonly Op[];
  readonly world0: World;
  readonly run: RunResult;
  /** the file's invariant is still violated */
  readonly stillFails: boolean;
}

export async function replayCounterexample(text: string, where: string): Promise<Replayed> {
  let parsed: ReturnType<typeof parseCounterexample>;
  try {
    parsed = parseCounterexample(text);
  } catch (e) {
    if (e instanceof CounterexampleError) throw new ReplayError(`${where}: ${e.message}`);
    throw e;
  }
  const { file, ops } = parsed;
  // a file that checks nothing must not pass as "no longer fails"
  if (ops.length === 0) throw new ReplayError(`${where}: the file has no steps`);
  if (!invariantById(file.invariant))
    throw new ReplayError(`${where}: unknown invariant '${file.invariant}' (see 'irqcheck invariants')`);
  if (file.design !== KERNEL_DESIGN && !findDesign(file.design)) {
    if (!file.designFile)
      throw new ReplayError(`${where}: design '${file.design}' is not built in and the file names no design file`);
    try {
      const d = await loadDesignFile(file.designFile);
      if (d.name !== file.design)
        throw new ReplayError(`${where}: ${file.designFile} defines design '${d.name}', not '${file.design}'`);
    } catch (e) {
      if (e instanceof DesignError) throw new ReplayError(`${where}: ${e.message}`);
      throw e;
    }
  }
  const world0 = worldFor(
    {
      design: file.design,
      kernel: file.kernel,
      quirks: true,
      config: file.config,
      ...(file.faults ? { faults: file.faults } : {}),
    },
    file.quirks,
  );
  const run = runOps(world0, ops, { only: new Set([file.invariant]) });
  return { file, ops, world0, run, stillFails: run.violations.some((v) => v.invariant === file.invariant) };
}
