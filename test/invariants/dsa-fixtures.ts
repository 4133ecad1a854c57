/*
 * test/invariants/dsa-fixtures.ts - a legal DSA lifecycle for the isolation, IMS-slot and mdev
 * lifetime invariant tests, and small helpers to edit a world by hand
 *
 * dsaLifecycle() drives the idxd driver and (6.2) vdcm mdevs the way a correct user does:
 * probe both PFs, configure WQs and engines, enable, kernel WQs on and off, mdevs created on a
 * dedicated and a shared WQ, opened (one injected failure), the PASID filter exercised,
 * released, reopened on a reused slot, removed open and closed, PF unbind with an mdev still
 * open, re-probe, and DMAR hot-remove/hot-add of the include_all unit once its device is gone.
 * Expected failures (errno, no WARN) are part of the contract too.
 */
import { expect } from 'vitest';
import { DSA0, DSA1 } from '../helpers.ts';
import type { KernelVersion } from '../../models/world/profile.ts';
import type { Mdev } from '../../models/drivers/dma/idxd/types.ts';
import type { World } from '../../models/world/types.ts';
import { session, type Session } from './fixtures.ts';
import {
  deviceEnable,
  dmarAdd,
  dmarRemove,
  engineConfig,
  idxdProbe,
  imsFire,
  mdevCreate,
  mdevOpen,
  mdevRelease,
  mdevRemove,
  readyOps,
  wqConfig,
  wqDisable,
  wqEnable,
} from '../fidelity/dsa/util.ts';

export { DSA0, DSA1 };

/** a session with DSA0 ready (wq0 kernel, wq1 mdev dedicated, wq2 mdev shared, all enabled) */
export function dsaReady(version: KernelVersion): Session {
  const s = session(version);
  for (const op of readyOps(DSA0)) s.ok(op);
  return s;
}

/** dsaReady on 6.2 plus mdev0 on wq1 and mdev1 on wq2, both open */
export function twoOpenMdevs(): Session {
  const s = dsaReady('6.2');
  s.ok(mdevCreate(DSA0, 1));
  s.ok(mdevCreate(DSA0, 2));
  s.ok(mdevOpen(0));
  s.ok(mdevOpen(1));
  return s;
}

export function dsaLifecycle(version: KernelVersion): Session {
  const s = dsaReady(version);
  const v62 = version === '6.2';

  // DSA1: two kernel WQs in two groups, one switched off again
  s.ok(idxdProbe(DSA1));
  s.ok(wqConfig(DSA1, 0, 'kernel'));
  s.ok(wqConfig(DSA1, 3, 'kernel', { size: 8, group: 1 }));
  s.ok(engineConfig(DSA1, 0, 0));
  s.ok(engineConfig(DSA1, 3, 1));
  s.ok(deviceEnable(DSA1));
  s.ok(wqEnable(DSA1, 0));
  s.ok(wqEnable(DSA1, 3));
  s.ok(wqDisable(DSA1, 3));
  s.fails(wqConfig(DSA1, 3, 'mdev')); // -EPERM: the device is enabled
  s.fails(mdevCreate(DSA0, 0)); // a kernel WQ (6.2 -EINVAL; 5.10 -ENODEV: no mdev parent)

  // DSA0's kernel WQ off and on: vector 1 freed and requested again (6.2)
  s.ok(wqDisable(DSA0, 0));
  s.ok(wqEnable(DSA0, 0));

  if (v62) {
    const m0 = s.ok<number>(mdevCreate(DSA0, 1));
    s.fails(mdevCreate(DSA0, 1)); // -EBUSY: dedicated
    const m1 = s.ok<number>(mdevCreate(DSA0, 2));
    const m2 = s.ok<number>(mdevCreate(DSA0, 2));
    s.fails(mdevOpen(m0, { site: 'irte', index: 0 }));
    s.ok(mdevOpen(m0));
    s.ok(mdevOpen(m1));
    s.ok(mdevOpen(m2));
    const mdev = (id: number): Mdev => s.world.mdevs[id]!;
    // each slot fires for its own PASID only
    expect(s.ok(imsFire(DSA0, mdev(m0).imsIndex[0]!, mdev(m0).pasid))).toBe('delivered');
    expect(s.ok(imsFire(DSA0, mdev(m0).imsIndex[0]!, mdev(m1).pasid))).toBe('blocked-by-pasid');
    s.ok({ type: 'irqSetAffinity', virq: mdev(m1).irqs[0]!, cpus: [3], fromUser: true });
    expect(s.ok(imsFire(DSA0, mdev(m1).imsIndex[0]!, mdev(m1).pasid))).toBe('delivered');
    // close and reopen m1 (a fresh slot), close m2 and remove it, remove m0 while open
    s.ok(mdevRelease(m1));
    s.ok(mdevRelease(m1)); // closing a closed mdev is a no-op
    s.ok(mdevOpen(m1));
    s.ok(mdevRelease(m2));
    s.ok(mdevRemove(m2));
    s.ok(mdevRemove(m0));
    s.fails(wqDisable(DSA0, 2)); // -EBUSY: m1 still uses it
  } else {
    s.fails(mdevCreate(DSA0, 1)); // -ENODEV: 5.10 registers no mdev parent
  }

  // PF unbind (6.2: with m1 still open), re-probe, unbind again
  s.ok({ type: 'deviceReleaseDriver', dev: DSA0 });
  s.ok(idxdProbe(DSA0));
  s.ok({ type: 'deviceReleaseDriver', dev: DSA0 });

  // DSA1 unregistered: its include_all unit can be hot-removed and added back
  s.ok({ type: 'deviceUnregister', dev: DSA1 });
  s.ok(dmarRemove(1));
  s.ok(dmarAdd(1));
  return s;
}

/* ---------------------------------------------------------------- hand edits ---- */

/** a copy of @w with mdev @id replaced by f(mdev) */
export const withMdev = (w: World, id: number, f: (m: Mdev) => Mdev): World => ({
  ...w,
  mdevs: { ...w.mdevs, [id]: f(w.mdevs[id]!) },
});

/** a copy of @w with PF @pf's DSA state replaced */
export const withPf = (w: World, pf: number, f: (p: World['dsa'][number]) => World['dsa'][number]): World => ({
  ...w,
  dsa: { ...w.dsa, [pf]: f(w.dsa[pf]!) },
});
