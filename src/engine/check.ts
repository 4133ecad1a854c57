/*
 * src/engine/check.ts - one campaign over the kernel model, as data the reports render
 */
import { bootWorld } from '../../models/kernel/boot.ts';
import { kernelProfile, type KernelVersion, type QuirkId } from '../../models/kernel/profile.ts';
import { platformConfigs } from '../../models/platform/config.ts';
import type { World } from '../../models/kernel/types.ts';
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

export function runCheck(spec: CheckSpec): CheckRun {
  const profile = kernelProfile(spec.kernel, { quirks: spec.quirks });
  const world0 = bootWorld(profile, platformConfigs[spec.config]!);
  const r = runCampaign(world0, { mode: spec.mode, runs: spec.runs, minSteps: spec.minSteps, maxSteps: spec.maxSteps, seed: spec.seed });
  return { spec, quirkIds: profile.quirks, world0, runs: r.runs, steps: r.steps, counterexamples: r.counterexamples, outcomes: r.outcomes };
}
