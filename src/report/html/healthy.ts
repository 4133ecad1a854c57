/*
 * src/report/html/healthy.ts - the hierarchy a design builds when all goes well: boot with the
 * design, probe the first DSA PF, configure a dedicated mdev WQ and an engine in one group,
 * enable the device and the WQ, create an mdev on the WQ and open it (the guest starts)
 *
 * Made of the design-independent workload operations only, so every design gets the same calls.
 */
import type { World } from '../../../models/world/types.ts';
import type { Op } from '../../../models/ops.ts';
import { step } from '../../../models/step.ts';
import { describeCall } from '../call.ts';

export interface HealthyStep {
  readonly call: string;
  readonly outcome: string;
}

/** the calls of the healthy path on @w0's first DSA PF (null: the configuration has none) */
export function healthyOps(w0: World): ((w: World) => Op)[] | null {
  const pf = Object.values(w0.dsa)[0];
  if (!pf) return null;
  const dev = pf.dev;
  return [
    () => ({ type: 'idxdProbe', pf: dev, fail: null }),
    () => ({ type: 'idxdWqConfig', pf: dev, wq: 0, wqType: 'mdev', mode: 'dedicated', size: 16, group: 0 }),
    () => ({ type: 'idxdEngineConfig', pf: dev, engine: 0, group: 0 }),
    () => ({ type: 'idxdDeviceEnable', pf: dev }),
    () => ({ type: 'idxdWqEnable', pf: dev, wq: 0 }),
    () => ({ type: 'mdevCreate', pf: dev, wq: 0 }),
    // the mdev just created: the newest id
    (w) => ({ type: 'mdevOpen', mdev: w.nextMdevId - 1, fail: null }),
  ];
}

/** healthyRun() - the world after the healthy path, and each call with its outcome */
export function healthyRun(w0: World): { world: World; steps: HealthyStep[] } {
  let w = w0;
  const steps: HealthyStep[] = [];
  for (const make of healthyOps(w0) ?? []) {
    const op = make(w);
    const o = step(w, op);
    steps.push({
      call: describeCall(w, op),
      outcome:
        o.kind === 'ok'
          ? 'ok'
          : `${o.kind}${'errno' in o && o.errno ? ` -${o.errno}` : ''}${'why' in o && o.why ? `: ${o.why}` : ''}`,
    });
    w = o.world;
  }
  return { world: w, steps };
}
