/*
 * test/helpers.ts - building worlds and running operations in tests
 */
import { bootWorld } from '../models/machine/boot.ts';
import { kernelProfile, type KernelVersion } from '../models/world/profile.ts';
import { smallConfig, type PlatformConfig } from '../models/world/platform.ts';
import type { World } from '../models/world/types.ts';
import type { Op } from '../models/ops.ts';
import { step, type StepOutcome } from '../models/step.ts';
import { checkState, checkStep, type Violation } from '../properties/index.ts';

/** the small platform booted on @version; quirks off unless asked (the contract, not the bugs) */
export function boot(version: KernelVersion, opts: { quirks?: boolean; config?: PlatformConfig } = {}): World {
  return bootWorld(kernelProfile(version, { quirks: opts.quirks ?? false }), opts.config ?? smallConfig);
}

/** device ids of the small configuration */
export const DSA0 = 0; // 0000:6a:01.0, MSI-X 9, behind DRHD0
export const DSA1 = 1; // 0000:6f:01.0, MSI-X 9, behind DRHD1
export const NIC = 2; // 0000:17:00.0, MSI 4 (maskable) + MSI-X 4, behind DRHD0
export const PLAT = 3; // plat0, a platform device

export interface Applied {
  readonly world: World;
  readonly outcomes: StepOutcome[];
  readonly violations: Violation[];
}

/** apply @ops in order; collects every outcome and every invariant violation on the way */
export function apply(w0: World, ops: readonly Op[]): Applied {
  let w = w0;
  const outcomes: StepOutcome[] = [];
  const violations: Violation[] = [];
  for (const op of ops) {
    const o = step(w, op);
    outcomes.push(o);
    violations.push(...checkStep(w, op, o));
    w = o.world;
  }
  return { world: w, outcomes, violations };
}

/** apply and expect every step to succeed; returns the world and the last value */
export function applyOk(w0: World, ops: readonly Op[]): { world: World; value: unknown } {
  let w = w0;
  let value: unknown;
  for (const op of ops) {
    const o = step(w, op);
    if (o.kind !== 'ok') throw new Error(`${op.type} -> ${o.kind}: ${'why' in o ? o.why : ''}`);
    w = o.world;
    value = o.value;
  }
  return { world: w, value };
}

export { checkState, step };
