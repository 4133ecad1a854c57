/*
 * test/invariants/isolation.test.ts - an interrupt reaches only its owner, through the right
 * remapping unit, with source checks on (spec I12, I18-I20)
 *
 * For every isolation invariant: a misuse sequence where the operations can reach it
 * (dev_set_msi_domain() to the wrong unit, request_irq/free_irq on the PF's vectors behind the
 * driver's back), otherwise a world edited by hand (SVT=0 and foreign SIDs, PASID tags, the
 * permission table: no operation writes them wrongly), reported with the entity named; and the
 * legal DSA lifecycle (test/invariants/dsa-fixtures.ts) on both kernels, which must be accepted.
 */
import { describe, expect, it } from 'vitest';
import { checkState, DSA0, DSA1, NIC } from '../helpers.ts';
import type { IrChipData, IrqDesc, World } from '../../models/world/types.ts';
import { holdsThroughout, reported, session, stateInvariant, versions } from './fixtures.ts';
import { dsaLifecycle, dsaReady, twoOpenMdevs, withMdev, withPf } from './dsa-fixtures.ts';
import { idxdProbe, mdevCreate, mdevOpen } from '../fidelity/dsa/util.ts';

/** the IR level (index and chip) of @virq */
function irOf(w: World, virq: number): { lvl: number; chip: IrChipData } {
  const lvl = w.irqs[virq]!.levels.findIndex((l) => l.chip?.kind === 'ir');
  return { lvl, chip: w.irqs[virq]!.levels[lvl]!.chip as IrChipData };
}
const withIrq = (w: World, virq: number, f: (d: IrqDesc) => IrqDesc): World => ({
  ...w,
  irqs: { ...w.irqs, [virq]: f(w.irqs[virq]!) },
});
const withIrte = (
  w: World,
  unit: number,
  index: number,
  f: (e: World['units'][0]['irtes'][0]) => World['units'][0]['irtes'][0],
): World => ({
  ...w,
  units: w.units.map((u) => (u.id === unit ? { ...u, irtes: { ...u.irtes, [index]: f(u.irtes[index]!) } } : u)),
});

/** the domain a PCI device of @unit points at (5.10 INTEL-IR-MSI-n, 6.2 INTEL-IR-n) */
const irMsiDomain = (w: World, unit: number): number =>
  w.profile.version === '5.10' ? w.units[unit]!.irMsiDomain! : w.units[unit]!.irDomain!;

describe('correct-ir-unit (I12)', () => {
  const inv = stateInvariant('correct-ir-unit');

  it.each(versions)(
    "%s: idxd probe of DSA1 after devSetMsiDomain to DRHD0's domain puts all its vectors in the wrong unit",
    (v) => {
      const s = session(v);
      s.ok({ type: 'devSetMsiDomain', dev: DSA1, domain: irMsiDomain(s.world, 0) });
      s.ok(idxdProbe(DSA1));
      const first = s.world.dsa[DSA1]!.driver.vectors[0]!;
      expect(s.world.units[0]!.irteBitmap).toHaveLength(9);
      expect(s.world.units[1]!.irteBitmap).toEqual([]);
      expect(reported(s.last.violations, 'correct-ir-unit')).toBe(
        `irq ${first} of 0000:6f:01.0 has its IRTE in DRHD0, but 0000:6f:01.0 is behind DRHD1`,
      );
    },
  );

  it("6.2: an mdev's IMS interrupt remapped by another unit than its PF's, with the desc on the mdev (RFC (a) shape; hand-built)", () => {
    const s = twoOpenMdevs();
    expect(inv.check(s.world)).toBeNull();
    const m = s.world.mdevs[1]!;
    const virq = m.irqs[0]!;
    const { lvl } = irOf(s.world, virq);
    const owner = s.world.irqs[virq]!.owner;
    if (owner?.kind !== 'msi') throw new Error(`irq ${virq} has no msi_desc`);
    // the desc on the mdev's own device (RFC v2 DEV-MSI) and the IRTE in DRHD1's table
    let w: World = {
      ...s.world,
      descs: { ...s.world.descs, [owner.desc]: { ...s.world.descs[owner.desc]!, dev: m.dev } },
    };
    w = withIrq(w, virq, (d) => ({
      ...d,
      levels: d.levels.map((l, i) => (i === lvl ? { ...l, chip: { ...(l.chip as IrChipData), unit: 1 } } : l)),
    }));
    expect(reported(checkState(w), 'correct-ir-unit')).toBe(
      `irq ${virq} of mdev1 has its IRTE in DRHD1, but 0000:6a:01.0 is behind DRHD0`,
    );
  });

  it("6.2: an mdev whose PF is covered by no unit (out of DRHD0's scope, no include_all unit; hand-built)", () => {
    const s = twoOpenMdevs();
    const [u0, u1] = s.world.units as [World['units'][0], World['units'][0]];
    const w: World = {
      ...s.world,
      units: [
        { ...u0, scope: u0.scope.filter((d) => d !== DSA0) },
        { ...u1, includeAll: false },
      ],
    };
    const first = s.world.dsa[DSA0]!.driver.vectors[0]!;
    expect(inv.check(w)).toBe(`irq ${first} of 0000:6a:01.0 is remapped by DRHD0, but no unit covers the device`);
  });

  it.each(versions)(
    '%s: holds through the DSA lifecycle (both PFs, kernel WQs, 6.2 mdev IMS vectors, DMAR hot-remove/add)',
    (v) => {
      const s = dsaLifecycle(v);
      expect(s.worlds.some((w) => w.units[0]!.irteBitmap.length >= 9 && w.units[1]!.irteBitmap.length >= 9)).toBe(true);
      if (v === '6.2')
        expect(s.worlds.some((w) => Object.values(w.mdevs).filter((m) => m.open).length === 3)).toBe(true);
      holdsThroughout(s, inv);
    },
  );
});

describe('irte-source-id (I18)', () => {
  const inv = stateInvariant('irte-source-id');

  it('6.2: a present IMS IRTE with SVT=0 (no source-id check, as the RFC DEV-MSI path programs it; hand-built)', () => {
    const s = twoOpenMdevs();
    expect(inv.check(s.world)).toBeNull();
    const virq = s.world.mdevs[0]!.irqs[0]!;
    const { chip } = irOf(s.world, virq);
    const w = withIrte(s.world, 0, chip.irteIndex, (e) => ({ ...e, svt: 0 }));
    expect(reported(checkState(w), 'irte-source-id')).toBe(
      `IRTE ${chip.irteIndex} of DRHD0 (irq ${virq}) is present with SVT=0: no source-id verification`,
    );
  });

  it.each(versions)("%s: a present MSI-X IRTE of the PF carrying another function's SID (hand-built)", (v) => {
    const s = dsaReady(v);
    const virq = s.world.dsa[DSA0]!.driver.vectors[0]!;
    const { chip } = irOf(s.world, virq);
    const nicRid = s.world.devices[NIC]!.rid!;
    const w = withIrte(s.world, 0, chip.irteIndex, (e) => ({ ...e, sid: nicRid }));
    expect(reported(checkState(w), 'irte-source-id')).toBe(
      `IRTE ${chip.irteIndex} of DRHD0 (irq ${virq}) has SID 0x${nicRid.toString(16)}, but 0000:6a:01.0 is 0x6a08`,
    );
  });

  it("6.2: an IMS IRTE must carry the PF's SID even though the interrupt is the mdev's (hand-built: SID 0)", () => {
    const s = twoOpenMdevs();
    const virq = s.world.mdevs[1]!.irqs[0]!;
    const { chip } = irOf(s.world, virq);
    const w = withIrte(s.world, 0, chip.irteIndex, (e) => ({ ...e, sid: 0 }));
    expect(inv.check(w)).toBe(`IRTE ${chip.irteIndex} of DRHD0 (irq ${virq}) has SID 0x0, but 0000:6a:01.0 is 0x6a08`);
  });

  it('6.2: an allocated but not present IRTE is not judged (IMS before request_irq)', () => {
    const s = dsaReady('6.2');
    const a = s.ok<{ index: number; virq: number }>({ type: 'pciImsAllocIrq', dev: DSA0, icookie: 9, fail: null });
    const { chip } = irOf(s.world, a.virq);
    expect(s.world.units[0]!.irtes[chip.irteIndex]?.present ?? false).toBe(false);
    const w = withIrte(s.world, 0, chip.irteIndex, () => ({ present: false, vector: 0, destCpu: 0, sid: 0, svt: 0 }));
    expect(inv.check(w)).toBeNull();
    // the same entry made present is judged
    expect(inv.check(withIrte(w, 0, chip.irteIndex, (e) => ({ ...e, present: true })))).toMatch(
      /is present with SVT=0/,
    );
  });

  it.each(versions)('%s: holds through the DSA lifecycle', (v) => {
    const s = dsaLifecycle(v);
    expect(s.worlds.some((w) => w.units.every((u) => Object.values(u.irtes).some((e) => e.present)))).toBe(true);
    holdsThroughout(s, inv);
  });
});

describe('ims-pasid-per-mdev (I19)', () => {
  const inv = stateInvariant('ims-pasid-per-mdev');

  it('6.2: an open mdev whose IMS slot has PASID enable off: any PASID can raise it (hand-built)', () => {
    const s = twoOpenMdevs();
    expect(inv.check(s.world)).toBeNull();
    const m = s.world.mdevs[0]!;
    const slot = m.imsIndex[0]!;
    const w = withPf(s.world, DSA0, (p) => ({
      ...p,
      ims: p.ims.map((e, i) => (i === slot ? { ...e, pasidEn: false } : e)),
    }));
    expect(reported(checkState(w), 'ims-pasid-per-mdev')).toBe(
      `IMS slot ${slot} of 0000:6a:01.0 (mdev0) has PASID enable off, not PASID ${m.pasid}: other PASIDs can raise it`,
    );
  });

  it("6.2: an open mdev whose IMS slot carries another mdev's PASID (hand-built)", () => {
    const s = twoOpenMdevs();
    const [m0, m1] = [s.world.mdevs[0]!, s.world.mdevs[1]!];
    const slot = m0.imsIndex[0]!;
    const w = withPf(s.world, DSA0, (p) => ({
      ...p,
      ims: p.ims.map((e, i) => (i === slot ? { ...e, pasid: m1.pasid } : e)),
    }));
    expect(inv.check(w)).toBe(
      `IMS slot ${slot} of 0000:6a:01.0 (mdev0) has PASID ${m1.pasid}, not PASID ${m0.pasid}: other PASIDs can raise it`,
    );
  });

  it('6.2: two open mdevs mapped to one IMS slot (hand-built)', () => {
    const s = twoOpenMdevs();
    const slot = s.world.mdevs[0]!.imsIndex[0]!;
    const w = withMdev(s.world, 1, (m) => ({ ...m, imsIndex: [slot] }));
    expect(inv.check(w)).toBe(`IMS slot ${slot} of 0000:6a:01.0 serves mdev0 and mdev1`);
  });

  it('6.2: a closed mdev still holding a slot, an open one without its IMS-backed vector, a slot beyond the table (hand-built)', () => {
    const s = twoOpenMdevs();
    const slot = s.world.mdevs[0]!.imsIndex[0]!;
    expect(inv.check(withMdev(s.world, 0, (m) => ({ ...m, open: false })))).toBe(
      `mdev0 is closed but still holds IMS slot(s) ${slot}`,
    );
    expect(inv.check(withMdev(s.world, 1, (m) => ({ ...m, imsIndex: [], irqs: [] })))).toBe(
      'mdev1 is open with 0 IMS-backed vectors, not 1',
    );
    expect(inv.check(withMdev(s.world, 1, (m) => ({ ...m, imsIndex: [16] })))).toBe(
      'mdev1 maps a guest vector to IMS slot 16, beyond the table',
    );
  });

  it('6.2: a PASID filter set by open and cleared by release; a slot reused by another mdev is retagged', () => {
    const s = dsaReady('6.2');
    s.ok(mdevCreate(DSA0, 2));
    s.ok(mdevCreate(DSA0, 2));
    s.ok(mdevOpen(0));
    const slot = s.world.mdevs[0]!.imsIndex[0]!;
    s.ok({ type: 'mdevRelease', mdev: 0 });
    s.ok(mdevOpen(1));
    expect(s.world.mdevs[1]!.imsIndex).toEqual([slot]);
    expect(s.world.dsa[DSA0]!.ims[slot]).toMatchObject({ pasidEn: true, pasid: s.world.mdevs[1]!.pasid });
    holdsThroughout(s, inv);
  });

  it.each(versions)(
    '%s: holds through the DSA lifecycle (6.2: three mdevs open at once, release, reopen, remove while open)',
    (v) => {
      const s = dsaLifecycle(v);
      if (v === '6.2')
        expect(s.trace.filter((t) => t.op.type === 'mdevOpen' && t.outcome.kind === 'ok')).toHaveLength(4);
      else expect(s.worlds.every((w) => Object.keys(w.mdevs).length === 0)).toBe(true);
      holdsThroughout(s, inv);
    },
  );
});

describe('dsa-msix-layout (I20)', () => {
  const inv = stateInvariant('dsa-msix-layout');

  // 6.2 (5.17+): kernel WQ 0 has its interrupt, so entry 1 must carry the system PASID;
  // 5.10 has no permission table, so any written entry is wrong
  it.each([
    ['6.2', 1, { ignore: false, pasidEn: false, pasid: 0 }, '{pasid_en false, pasid 0}, expected the system PASID 1'],
    ['5.10', 3, { ignore: false, pasidEn: true, pasid: 1 }, '{pasid_en true, pasid 1}, expected zero'],
  ] as const)('%s: a probed PF whose MSI-X permission entry %i is wrong (hand-built)', (v, entry, perm, says) => {
    const s = dsaReady(v);
    expect(inv.check(s.world)).toBeNull();
    const w = withPf(s.world, DSA0, (p) => ({ ...p, msixPerm: p.msixPerm.map((e, i) => (i === entry ? perm : e)) }));
    expect(reported(checkState(w), 'dsa-msix-layout')).toBe(`0000:6a:01.0: MSI-X permission entry ${entry} is ${says}`);
  });

  it.each(versions)('%s: an unbound PF whose permission table still carries the system PASID (hand-built)', (v) => {
    const s = dsaReady(v);
    s.ok({ type: 'deviceReleaseDriver', dev: DSA0 });
    expect(inv.check(s.world)).toBeNull();
    const w = withPf(s.world, DSA0, (p) => ({
      ...p,
      msixPerm: p.msixPerm.map((e, i) => (i === 2 ? { ignore: false, pasidEn: true, pasid: 1 } : e)),
    }));
    expect(inv.check(w)).toBe('0000:6a:01.0 is not probed but MSI-X permission entry 2 still carries PASID 1');
  });

  it.each(versions)("%s: free_irq of the misc vector (0) behind the driver's back", (v) => {
    const s = dsaReady(v);
    const misc = s.world.dsa[DSA0]!.driver.vectors[0]!;
    s.ok({ type: 'freeIrq', virq: misc });
    expect(reported(s.last.violations, 'dsa-msix-layout')).toBe(
      '0000:6a:01.0: MSI-X vector 0 (misc/error) has no handler',
    );
  });

  it('6.2: request_irq on the vector of a WQ that is not an enabled kernel WQ', () => {
    const s = dsaReady('6.2');
    const v4 = s.world.dsa[DSA0]!.driver.vectors[4]!;
    s.ok({ type: 'requestIrq', virq: v4, dev: DSA0, devm: false });
    expect(reported(s.last.violations, 'dsa-msix-layout')).toBe(
      '0000:6a:01.0: MSI-X vector 4 is requested but wq3 is not an enabled kernel WQ',
    );
  });

  it("6.2: free_irq of an enabled kernel WQ's vector behind the driver's back", () => {
    const s = dsaReady('6.2');
    const v1 = s.world.dsa[DSA0]!.driver.vectors[1]!;
    expect(s.world.irqs[v1]!.action).not.toBeNull();
    s.ok({ type: 'freeIrq', virq: v1 });
    expect(reported(s.last.violations, 'dsa-msix-layout')).toBe(
      '0000:6a:01.0: kernel wq0 is enabled without its vector 1',
    );
  });

  it('5.10: every completion vector is requested with no WQ enabled, and that is the <=5.16 layout (no WQ owns a vector)', () => {
    const s = session('5.10');
    s.ok(idxdProbe(DSA0));
    expect(Object.values(s.world.irqs).every((d) => d.action !== null)).toBe(true);
    expect(s.world.dsa[DSA0]!.wqs.every((q) => !q.enabled)).toBe(true);
    expect(inv.check(s.world)).toBeNull();
  });

  it('6.2: more vectors than the MSI-X table has (hand-built)', () => {
    const s = dsaReady('6.2');
    const w = withPf(s.world, DSA0, (p) => ({ ...p, driver: { ...p.driver, vectors: [...p.driver.vectors, 42] } }));
    expect(inv.check(w)).toBe('0000:6a:01.0 uses 10 MSI-X vectors, table has 9');
  });

  it.each(versions)('%s: holds through the DSA lifecycle (kernel WQs on and off, unbind, re-probe)', (v) => {
    const s = dsaLifecycle(v);
    if (v === '6.2')
      expect(s.worlds.some((w) => w.dsa[DSA0]!.wqs[0]!.irqRequested && w.dsa[DSA1]!.wqs[3]!.irqRequested)).toBe(true);
    expect(s.trace.filter((t) => t.op.type === 'idxdProbe')).toHaveLength(3);
    holdsThroughout(s, inv);
  });
});

// the violating and the clean case of msi-hwirq-distinct need the segments platform: segments-dmar.test.ts
describe('msi-hwirq-distinct (I9, hwirq part)', () => {
  it('is a state invariant of the isolation category; the small platform holds it', () => {
    const inv = stateInvariant('msi-hwirq-distinct');
    expect(inv.category).toBe('isolation');
    expect(inv.check(session('5.10').world)).toBeNull();
  });
});
