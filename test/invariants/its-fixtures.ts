/*
 * test/invariants/its-fixtures.ts - sessions on the arm-its platform (GICv3 ITS, 6.2) shared by
 * the ITS invariant tests
 */
import { bootWorld } from '../../models/machine/boot.ts';
import { kernelProfile } from '../../models/world/profile.ts';
import { armItsConfig } from '../../models/world/platform.ts';
import type { ItsState, World } from '../../models/world/types.ts';
import type { FaultId } from '../../models/faults/catalog.ts';
import { Session } from './fixtures.ts';

export const NVME = 0; // 0000:00:01.0, MSI-X 8
export const MSIDEV = 1; // 0000:00:02.0, MSI 4 (multi-MSI)
export const MBIGEN = 2; // mbigen0, 4 wired pins

/** a legal session on arm-its, quirks off, with @faults switched on */
export const itsSession = (faults: readonly FaultId[] = []): Session =>
  new Session(bootWorld({ ...kernelProfile('6.2', { quirks: false }), faults }, armItsConfig));

/** @w with its ITS state edited by @f (hand-built violations) */
export const withIts = (w: World, f: (its: ItsState) => ItsState): World => ({
  ...w,
  platform: { ...w.platform, its: f(w.platform.its!) },
});
