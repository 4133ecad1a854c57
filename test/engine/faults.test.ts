/*
 * test/engine/faults.test.ts - the catalog faults are found, and only because they are on
 *
 * Every encoded fault is detected by irqcheck's default engine within a fixed budget on a fixed
 * seed (deterministic, not timed). With no fault on, the same budget and seed find nothing with
 * the same invariants, neither in the legal-caller kernel model (quirks off) nor in the built-in
 * design that holds every invariant (per-device-msi under its workload): a detection is the
 * fault's doing.
 */
import { describe, expect, it } from 'vitest';
import { faultCatalog, faultIds, type FaultId } from '../../models/faults/catalog.ts';
import { hasFault } from '../../models/world/profile.ts';
import { runCheck, worldFor } from '../../src/run/check.ts';
import { firstViolation } from '../../src/run/campaign.ts';
import { defaultBudget } from '../../src/bench/bench.ts';
import { invariantById } from '../../properties/index.ts';

const SEED = 1;

/** what irqcheck found for each fault (filled by the first test, read by the others) */
const caught = new Map<FaultId, string>();

describe('catalog faults', () => {
  it('every entry names a catalog id, a full or short commit hash, a kernel location and a model spot', () => {
    expect(faultIds.length).toBeGreaterThanOrEqual(25);
    for (const id of faultIds) {
      const f = faultCatalog[id];
      expect(f.id).toBe(id);
      expect(id).toMatch(/^B\d\d$/);
      expect(f.hash).toMatch(/^[0-9a-f]{12}([0-9a-f]{28})?$/);
      expect(f.location).toMatch(/\.(c|h) /);
      expect(f.model).toMatch(/^models\//);
      expect(f.subject.length).toBeGreaterThan(10);
    }
  });

  it('a fault is off unless the profile switches it on', () => {
    const w = worldFor({ design: 'kernel', kernel: '6.2', quirks: false, config: 'small' });
    expect(faultIds.some((id) => hasFault(w.profile, id))).toBe(false);
    const f = worldFor({ design: 'kernel', kernel: '6.2', quirks: false, config: 'small', faults: ['B02'] });
    expect(faultIds.filter((id) => hasFault(f.profile, id))).toEqual(['B02']);
  });

  // the search of the bench's `irqcheck` engine (runCampaign, no swarm) without its shrinking
  it(`irqcheck's search detects every fault within ${defaultBudget.runs} runs on seed ${SEED}`, () => {
    const missed: string[] = [];
    for (const id of faultIds) {
      const f = faultCatalog[id];
      const w0 = worldFor({
        design: f.target.design,
        kernel: f.target.kernel,
        quirks: false,
        config: f.target.config,
        faults: [id],
      });
      const r = firstViolation(w0, { mode: 'legal', seed: SEED, ...defaultBudget });
      if (r) caught.set(id, r.invariant);
      else missed.push(id);
    }
    expect(missed).toEqual([]);
  }, 120_000);

  it('with no fault on, the same budget and seed find nothing with those invariants (legal kernel caller, quirks off)', () => {
    expect(caught.size).toBe(faultIds.length);
    const only = [...new Set(caught.values())].sort();
    for (const id of only) expect(invariantById(id)).toBeDefined();
    // every (kernel, platform) a fault is sought in
    const targets = [
      ...new Set(faultIds.map((id) => `${faultCatalog[id].target.kernel}|${faultCatalog[id].target.config}`)),
    ];
    for (const t of targets) {
      const [kernel, config] = t.split('|') as ['5.10' | '6.2', string];
      const r = runCheck({
        design: 'kernel',
        kernel,
        quirks: false,
        config,
        mode: 'legal',
        seed: SEED,
        ...defaultBudget,
        only,
      });
      expect(r.runs).toBe(defaultBudget.runs);
      expect(r.counterexamples.map((c) => c.invariant)).toEqual([]);
    }
  }, 120_000);

  it('with no fault on, per-device-msi under its workload holds those invariants with the same budget', () => {
    const only = [...new Set(caught.values())].sort();
    const r = runCheck({
      design: 'per-device-msi',
      kernel: '6.2',
      quirks: false,
      config: 'small',
      mode: 'workload',
      seed: SEED,
      ...defaultBudget,
      only,
    });
    expect(r.counterexamples.map((c) => c.invariant)).toEqual([]);
  }, 120_000);
});
