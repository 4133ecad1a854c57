/*
 * src/engine/check.ts - one campaign over the kernel model, as data the reports render
 */
import { bootWorld } from '../../models/kernel/boot.ts';
import { kernelProfile, type KernelVersion, type QuirkId } from '../../models/kernel/profile.ts';
import { platformConfigs } from '../../models/platform/config.ts';
import type { World } from '../../models/kernel/types.ts';
import { Worker } from 'node:worker_threads';
import { runCampaign, type Counterexample } from './campaign.ts';
import type { Mode } from './op-specs.ts';

export interface CheckSpec {
  readonly design: string;
  readonly kernel: KernelVersion;
  readonly quirks: boolean;
  readonly config: string;
  readonly mode: Mode;
  readonly runs: number;
  readonly seed: number;
  readonly minSteps: number;
  readonly maxSteps: number;
  /** check only these invariant ids (default: all) */
  readonly only?: readonly string[];
}

export interface CheckRun {
  readonly spec: CheckSpec;
  readonly quirkIds: readonly QuirkId[];
  readonly world0: World;
  readonly runs: number;
  readonly steps: number;
  readonly counterexamples: readonly Counterexample[];
  readonly outcomes: Readonly<Record<string, number>>;
}

/**
 * runChecksParallel() - several campaigns on worker threads, at most @parallel at a time
 * Each result is the same as runCheck() would give (campaigns are deterministic).
 */
export async function runChecksParallel(specs: readonly CheckSpec[], parallel: number, onDone?: (spec: CheckSpec) => void): Promise<CheckRun[]> {
  const results: CheckRun[] = new Array(specs.length);
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const i = next++;
      const spec = specs[i]!;
      const data = await new Promise<Pick<CheckRun, 'runs' | 'steps' | 'counterexamples' | 'outcomes'>>((resolve, reject) => {
        const w = new Worker(new URL('./check-worker.mjs', import.meta.url), { workerData: spec });
        w.once('message', resolve);
        w.once('error', reject);
      });
      const profile = kernelProfile(spec.kernel, { quirks: spec.quirks });
      results[i] = { spec, quirkIds: profile.quirks, world0: bootWorld(profile, platformConfigs[spec.config]!), ...data };
      onDone?.(spec);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, specs.length)) }, worker));
  return results;
}

export function runCheck(spec: CheckSpec): CheckRun {
  const profile = kernelProfile(spec.kernel, { quirks: spec.quirks });
  const world0 = bootWorld(profile, platformConfigs[spec.config]!);
  const r = runCampaign(world0, {
    mode: spec.mode,
    runs: spec.runs,
    minSteps: spec.minSteps,
    maxSteps: spec.maxSteps,
    seed: spec.seed,
    swarm: true,
    ...(spec.only ? { only: new Set(spec.only) } : {}),
  });
  return { spec, quirkIds: profile.quirks, world0, runs: r.runs, steps: r.steps, counterexamples: r.counterexamples, outcomes: r.outcomes };
}
