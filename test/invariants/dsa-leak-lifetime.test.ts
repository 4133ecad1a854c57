/*
 * test/invariants/dsa-leak-lifetime.test.ts - the DSA invariants of the leak and lifetime
 * categories: ims-slots (spec I6) and mdev-parent-lifetime (I14, PF teardown order)
 *
 * Each is seen reported after a misuse sequence where operations can reach it (a PF-side
 * pci_ims_free_irq of a slot an open mdev still uses; the mdev's struct device unregistered
 * under it) or on a world edited by hand, with the entity in the message; and seen holding
 * through the legal DSA lifecycle on both kernels and through the core clean lifecycle.
 */
import { describe, expect, it } from 'vitest';
import { checkState, DSA0 } from '../helpers.ts';
import type { World } from '../../models/world/types.ts';
import { cleanLifecycle, holdsThroughout, reported, stateInvariant, versions } from './fixtures.ts';
import { dsaLifecycle, twoOpenMdevs, withMdev, withPf } from './dsa-fixtures.ts';
import { mdevCreate, mdevOpen, mdevRelease, readyOps } from '../fidelity/dsa/util.ts';
import { must } from '../fidelity/util.ts';
import { findDesign } from '../../models/designs/index.ts';
import { bootWorld } from '../../models/machine/boot.ts';
import { kernelProfile } from '../../models/world/profile.ts';
import { smallConfig } from '../../models/world/platform.ts';

describe('ims-slots (I6)', () => {
  const inv = stateInvariant('ims-slots');

  it('6.2: the PF frees, by its msi_map, the IMS slot an open mdev still uses', () => {
    const s = twoOpenMdevs();
    expect(inv.check(s.world)).toBeNull();
    const m = s.world.mdevs[0]!;
    const [slot, virq] = [m.imsIndex[0]!, m.irqs[0]!];
    s.do({ type: 'pciImsFreeIrq', dev: DSA0, index: slot, virq });
    expect(s.last.outcome.kind).toBe('ok'); // the kernel has no idea who uses the slot
    expect(s.world.devices[DSA0]!.msiData!.stores[1][slot]).toBeUndefined();
    expect(reported(s.last.violations, 'ims-slots')).toBe(
      `mdev0 uses IMS slot ${slot} of 0000:6a:01.0, which is not allocated`,
    );
  });

  it('6.2: a free slot that still holds its message, or still has its PASID enabled (hand-built)', () => {
    const s = twoOpenMdevs();
    const m = s.world.mdevs[0]!;
    const slot = m.imsIndex[0]!;
    const msg = s.world.dsa[DSA0]!.ims[slot]!.msg;
    expect(msg).toMatchObject({ format: 'remappable', unit: 0 });
    s.ok(mdevRelease(0));
    expect(inv.check(s.world)).toBeNull();
    const stale = withPf(s.world, DSA0, (p) => ({ ...p, ims: p.ims.map((e, i) => (i === slot ? { ...e, msg } : e)) }));
    expect(reported(checkState(stale), 'ims-slots')).toBe(
      `0000:6a:01.0: free IMS slot ${slot} still holds a message (to IRTE ${msg!.format === 'remappable' ? msg!.index : -1})`,
    );
    const tagged = withPf(s.world, DSA0, (p) => ({
      ...p,
      ims: p.ims.map((e, i) => (i === slot ? { ...e, pasidEn: true, pasid: m.pasid } : e)),
    }));
    expect(inv.check(tagged)).toBe(`0000:6a:01.0: free IMS slot ${slot} still has PASID ${m.pasid} enabled`);
  });

  it('6.2: one slot owned by two mdevs, and a slot allocated beyond the IMS size (hand-built)', () => {
    const s = twoOpenMdevs();
    const slot = s.world.mdevs[0]!.imsIndex[0]!;
    expect(reported(checkState(withMdev(s.world, 1, (m) => ({ ...m, imsIndex: [slot] }))), 'ims-slots')).toBe(
      `0000:6a:01.0: IMS slot ${slot} is owned by mdev0 and mdev1`,
    );
    const dev = s.world.devices[DSA0]!;
    const md = dev.msiData!;
    const [k, id] = Object.entries(md.stores[1])[0]!;
    const { [Number(k)]: _moved, ...rest } = md.stores[1];
    const beyond: World = {
      ...s.world,
      devices: {
        ...s.world.devices,
        [DSA0]: { ...dev, msiData: { ...md, stores: [md.stores[0], { ...rest, 16: id }] } },
      },
    };
    expect(inv.check(beyond)).toBe('0000:6a:01.0: IMS slot 16 allocated beyond the IMS size 16');
  });

  it("5.10 designs: a slot the PF driver's own bitmap (rfc-v2-dev-msi) or the IMS-array domain (device-domain) no longer holds", () => {
    for (const name of ['rfc-v2-dev-msi', 'device-domain']) {
      const d = findDesign(name)!;
      const w = must(
        bootWorld(kernelProfile('5.10', { quirks: false }), smallConfig, d),
        ...readyOps(DSA0),
        mdevCreate(DSA0, 1),
        mdevOpen(0),
      );
      expect(inv.check(w)).toBeNull();
      const slot = w.mdevs[0]!.imsIndex[0]!;
      // the allocator forgets the slot: the bitmap bit, or the IMS level of the vector
      const forgotten =
        name === 'rfc-v2-dev-msi'
          ? withPf(w, DSA0, (p) => ({ ...p, driver: { ...p.driver, imsBitmap: [] } }))
          : withMdev(w, 0, (m) => ({ ...m, imsIndex: [slot + 1] }));
      expect(inv.check(forgotten), name).toBe(
        `mdev0 uses IMS slot ${slot + (name === 'rfc-v2-dev-msi' ? 0 : 1)} of 0000:6a:01.0, which is not allocated`,
      );
      // and a clean release gives every slot back
      expect(inv.check(must(w, mdevRelease(0))), name).toBeNull();
    }
  });

  it.each(versions)('%s: holds through the DSA lifecycle', (v) => {
    const s = dsaLifecycle(v);
    if (v === '6.2')
      expect(s.worlds.some((w) => Object.keys(w.devices[DSA0]!.msiData?.stores[1] ?? {}).length === 3)).toBe(true);
    holdsThroughout(s, inv);
  });

  it.each(versions)(
    '%s: holds through the core clean lifecycle (6.2: IMS slots allocated directly on the PF, no mdev)',
    (v) => {
      const s = cleanLifecycle(v);
      if (v === '6.2')
        expect(s.trace.some((t) => t.op.type === 'pciImsAllocIrq' && t.outcome.kind === 'ok')).toBe(true);
      holdsThroughout(s, inv);
    },
  );
});

describe('mdev-parent-lifetime (I14)', () => {
  const inv = stateInvariant('mdev-parent-lifetime');

  it('6.2: the struct device of a live (closed) mdev is unregistered under it', () => {
    const s = twoOpenMdevs();
    s.ok(mdevRelease(0));
    expect(inv.check(s.world)).toBeNull();
    s.do({ type: 'deviceUnregister', dev: s.world.mdevs[0]!.dev });
    expect(s.last.outcome.kind).toBe('ok');
    expect(s.world.mdevs[0]).toBeDefined();
    expect(reported(s.last.violations, 'mdev-parent-lifetime')).toBe(
      "mdev0's struct device was released while the mdev lives",
    );
  });

  it('6.2: an mdev whose PF is no longer bound, or no longer an mdev parent (hand-built: remove() skipped mdev_unregister_device)', () => {
    const s = twoOpenMdevs();
    const unbound = withPf(s.world, DSA0, (p) => ({ ...p, driver: { ...p.driver, probed: false } }));
    expect(reported(checkState(unbound), 'mdev-parent-lifetime')).toBe(
      'mdev0 outlives its parent 0000:6a:01.0 (unbound or gone)',
    );
    const noParent = withPf(s.world, DSA0, (p) => ({ ...p, driver: { ...p.driver, mdevParent: false } }));
    expect(inv.check(noParent)).toBe('mdev0 outlives its parent 0000:6a:01.0 (unbound or gone)');
    const released: World = {
      ...s.world,
      devices: { ...s.world.devices, [DSA0]: { ...s.world.devices[DSA0]!, released: true } },
    };
    expect(inv.check(released)).toBe('mdev0 outlives its parent 0000:6a:01.0 (unbound or gone)');
  });

  it('6.2: an mdev on a WQ that is disabled, or retyped (hand-built)', () => {
    const s = twoOpenMdevs();
    const disabled = withPf(s.world, DSA0, (p) => ({
      ...p,
      wqs: p.wqs.map((q) => (q.id === 2 ? { ...q, enabled: false } : q)),
    }));
    expect(reported(checkState(disabled), 'mdev-parent-lifetime')).toBe(
      'mdev1 runs on wq2 of 0000:6a:01.0, which is not an enabled mdev WQ',
    );
    const kernel = withPf(s.world, DSA0, (p) => ({
      ...p,
      wqs: p.wqs.map((q) => (q.id === 1 ? { ...q, type: 'kernel' as const } : q)),
    }));
    expect(inv.check(kernel)).toBe('mdev0 runs on wq1 of 0000:6a:01.0, which is not an enabled mdev WQ');
  });

  it('6.2: a WQ reference count that does not match its mdevs, and a dedicated WQ backing two (hand-built)', () => {
    const s = twoOpenMdevs();
    const miscount = withPf(s.world, DSA0, (p) => ({
      ...p,
      wqs: p.wqs.map((q) => (q.id === 2 ? { ...q, mdevRefs: 2 } : q)),
    }));
    expect(reported(checkState(miscount), 'mdev-parent-lifetime')).toBe(
      'wq2 of 0000:6a:01.0 counts 2 mdev users, 1 mdevs use it',
    );
    const shared = withPf(
      withMdev(s.world, 1, (m) => ({ ...m, wq: 1 })),
      DSA0,
      (p) => ({
        ...p,
        wqs: p.wqs.map((q) => (q.id === 1 ? { ...q, mdevRefs: 2 } : q.id === 2 ? { ...q, mdevRefs: 0 } : q)),
      }),
    );
    expect(inv.check(shared)).toBe('dedicated wq1 of 0000:6a:01.0 backs 2 mdevs');
  });

  it.each(versions)(
    '%s: holds through the DSA lifecycle (6.2: PF unbind with an mdev still open removes it first)',
    (v) => {
      const s = dsaLifecycle(v);
      if (v === '6.2') {
        const unbind = s.trace.find((t) => t.op.type === 'deviceReleaseDriver' && t.op.dev === DSA0)!;
        expect(Object.values(unbind.before.mdevs).filter((m) => m.open)).toHaveLength(1);
        expect(unbind.after.mdevs).toEqual({});
      }
      holdsThroughout(s, inv);
    },
  );
});
