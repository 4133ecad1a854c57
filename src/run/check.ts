/*
 * src/run/check.ts - one campaign over the kernel model, as data the reports render
 */
import { bootWorld } from '../../models/machine/boot.ts';
import { kernelProfile, type KernelVersion, type QuirkId } from '../../models/world/profile.ts';
import { platformConfigs } from '../../models/world/platform.ts';
import type { World } from '../../models/world/types.ts';
import { Worker } from 'node:worker_threads';
import { runCampaign, type Counterexample } from './campaign.ts';
import { workloadOpTypes } from '../generate/workload.ts';
import { certifyCounterexamples, type CertifyStats } from '../search/certify.ts';
import { runHybrid } from '../search/hybrid.ts';

/** the depth of the exhaustive frontier hybrid runs start from */
export const HYBRID_DEPTH = 3;
import { findDesign, KERNEL_DESIGN } from '../../models/designs/index.ts';
import type { Mode } from '../generate/op-specs.ts';
import type { FaultId } from '../../models/faults/catalog.ts';

/** legal/any: the kernel model driven by a generic caller; workload: a design under the driver-level workload */
export type CheckMode = Mode | 'workload';

export interface CheckSpec {
  /** a registered design's name, or 'kernel' (no design) */
  readonly design: string;
  /** where a user design came from (workers and replays load it again) */
  readonly designFile?: string | null;
  readonly kernel: KernelVersion;
  readonly quirks: boolean;
  readonly config: string;
  readonly mode: CheckMode;
  readonly runs: number;
  readonly seed: number;
  readonly minSteps: number;
  readonly maxSteps: number;
  /** check only these invariant ids (default: all) */
  readonly only?: readonly string[];
  /** certify counterexamples by exhaustive search, with this state budget (0 or absent: no) */
  readonly certify?: number;
  /** random (default) or hybrid: random walks from the exhaustive frontier at depth 3 (designs) */
  readonly engine?: 'random' | 'hybrid';
  /** catalog bugs switched back on (--fault) */
  readonly faults?: readonly FaultId[];
}

export interface CheckRun {
  readonly spec: CheckSpec;
  readonly quirkIds: readonly QuirkId[];
  readonly world0: World;
  readonly runs: number;
  readonly steps: number;
  readonly counterexamples: readonly (Counterexample & { readonly minimal?: boolean })[];
  readonly outcomes: Readonly<Record<string, number>>;
  readonly opOutcomes: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** what the certifying search did, when asked */
  readonly certify?: CertifyStats;
}

/**
 * runChecksParallel() - several campaigns on worker threads, at most @parallel at a time
 * Each result is the same as runCheck() would give (campaigns are deterministic).
 */
export async function runChecksParallel(
  specs: readonly CheckSpec[],
  parallel: number,
  onDone?: (spec: CheckSpec) => void,
): Promise<CheckRun[]> {
  const results: CheckRun[] = new Array(specs.length);
  let next = 0;
  const worker = async () => {
    while (next < specs.length) {
      const i = next++;
      const spec = specs[i]!;
      const data = await new Promise<
        Pick<CheckRun, 'runs' | 'steps' | 'counterexamples' | 'outcomes' | 'opOutcomes' | 'certify'>
      >((resolve, reject) => {
        const w = new Worker(new URL('./check-worker.mjs', import.meta.url), { workerData: spec });
        w.once('message', resolve);
        w.once('error', reject);
      });
      const world0 = worldFor(spec);
      results[i] = { spec, quirkIds: world0.profile.quirks, world0, ...data };
      onDone?.(spec);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallel, specs.length)) }, worker));
  return results;
}

/** the booted world of a campaign: kernel profile, configuration and the design installed */
export function worldFor(
  spec: Pick<CheckSpec, 'design' | 'kernel' | 'quirks' | 'config' | 'faults'>,
  quirkIds?: readonly QuirkId[],
): World {
  const design = spec.design === KERNEL_DESIGN ? null : findDesign(spec.design);
  if (design === undefined) throw new Error(`design '${spec.design}' is not registered`);
  const profile0 = kernelProfile(design?.kernel ?? spec.kernel, { quirks: spec.quirks });
  const profile = spec.faults?.length ? { ...profile0, faults: spec.faults } : profile0;
  return bootWorld(quirkIds ? { ...profile, quirks: quirkIds } : profile, platformConfigs[spec.config]!, design);
}

export function runCheck(spec: CheckSpec): CheckRun {
  const world0 = worldFor(spec);
  const workload = spec.mode === 'workload';
  const only = spec.only ? { only: new Set(spec.only) } : {};
  const r =
    workload && spec.engine === 'hybrid'
      ? runHybrid(world0, {
          frontierDepth: HYBRID_DEPTH,
          runs: spec.runs,
          minSteps: spec.minSteps,
          maxSteps: spec.maxSteps,
          seed: spec.seed,
          types: workloadOpTypes,
          ...only,
        })
      : runCampaign(world0, {
          mode: workload ? 'legal' : spec.mode,
          ...(workload ? { types: workloadOpTypes } : {}),
          runs: spec.runs,
          minSteps: spec.minSteps,
          maxSteps: spec.maxSteps,
          seed: spec.seed,
          swarm: true,
          ...(spec.only ? { only: new Set(spec.only) } : {}),
        });
  const base = {
    spec,
    quirkIds: world0.profile.quirks,
    world0,
    runs: r.runs,
    steps: r.steps,
    outcomes: r.outcomes,
    opOutcomes: r.opOutcomes,
  };
  // exhaustive certification needs the finite alphabet of the driver-level workload
  if (workload && spec.certify) {
    const c = certifyCounterexamples(world0, r.counterexamples, workloadOpTypes, spec.certify);
    return { ...base, counterexamples: c.counterexamples, certify: c.stats };
  }
  return { ...base, counterexamples: r.counterexamples };
}
