/*
 * test/invariants/unwind-lifetime.test.ts - ir-domain-unit: an IR domain lives exactly while its
 * DMAR unit has it set up (intel_setup_irq_remapping() unwinds, intel_teardown_irq_remapping()
 * removes), on the small platform with a hot-pluggable DRHD2 (small-dmar-hp)
 */
import { describe, expect, it } from 'vitest';
import { apply, boot } from '../helpers.ts';
import { checkState } from '../../properties/index.ts';
import { smallDmarHotplugConfig } from '../../models/world/platform.ts';
import type { World } from '../../models/world/types.ts';
import type { KernelVersion } from '../../models/world/profile.ts';
import { ids, reported, stateInvariant, versions } from './fixtures.ts';

const DRHD2 = 2;
const hp = (version: KernelVersion, faults: readonly 'B12'[] = []): World => {
  const w = boot(version, { config: smallDmarHotplugConfig });
  return faults.length ? { ...w, profile: { ...w.profile, faults } } : w;
};

describe('ir-domain-unit', () => {
  const inv = stateInvariant('ir-domain-unit');

  it('is violated by an IR domain left registered for a unit whose hot add failed (hand-built: the unwind skipped)', () => {
    const w0 = hp('6.2');
    const up = apply(w0, [{ type: 'dmarHotAdd', unit: DRHD2 }]);
    expect(up.outcomes[0]!.kind).toBe('ok');
    // the unit is released again but its INTEL-IR-2 stays registered
    const bad: World = {
      ...up.world,
      units: up.world.units.map((u) => (u.id === DRHD2 ? { ...u, present: false } : u)),
    };
    expect(inv.check(bad)).toBe(
      'INTEL-IR-2 is still registered, but its DMAR unit DRHD2 is not present (its host_data is gone)',
    );
    // or the unit came back with a new IR domain and the old one is nobody's
    const again: World = {
      ...up.world,
      units: up.world.units.map((u) => (u.id === DRHD2 ? { ...u, irDomain: 99 } : u)),
    };
    expect(inv.check(again)).toMatch(/^INTEL-IR-2 is registered, but DRHD2's IR domain is .*: leaked$/);
  });

  it('5.10 with B12 (99e675d473eb): dmar_enable_qi() failing on hot add leaves INTEL-IR-2 registered', () => {
    const r = apply(hp('5.10', ['B12']), [{ type: 'dmarHotAdd', unit: DRHD2, fail: true }]);
    expect(r.outcomes[0]!.kind).toBe('err');
    expect(reported(r.violations, 'ir-domain-unit')).toContain('INTEL-IR-2 is still registered');
  });

  for (const v of versions) {
    it(`${v}: holds through a failed hot add (domains removed, fwnodes freed), a hot add, a hot remove and a re-add`, () => {
      const w0 = hp(v);
      expect(inv.check(w0)).toBeNull();
      const r = apply(w0, [
        { type: 'dmarHotAdd', unit: DRHD2, fail: true },
        { type: 'dmarHotAdd', unit: DRHD2 },
        { type: 'dmarHotRemove', unit: DRHD2 },
        { type: 'dmarHotAdd', unit: DRHD2, fail: true },
        { type: 'dmarHotAdd', unit: DRHD2 },
      ]);
      expect(r.outcomes.map((o) => o.kind)).toEqual(['err', 'ok', 'ok', 'err', 'ok']);
      expect(ids(r.violations)).toEqual([]);
      expect(ids(checkState(r.world))).toEqual([]);
      // the failed add left nothing: only the live unit's domains and fwnodes remain
      expect(Object.keys(r.world.fwnodes).length).toBe(Object.keys(r.world.domains).length);
      expect(r.world.units[DRHD2]!.present).toBe(true);
    });
  }
});
