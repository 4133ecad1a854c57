/*
 * Exhaustive search and certified-shortest counterexamples: the search finds the shortest
 * traces, merges states reached in different orders, says when nothing breaks up to the depth,
 * respects its state budget; certification replaces a long trace by a shorter one and marks
 * only what it could prove. Also the CLI face: explore, replay --export.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { explore } from '../../src/search/explore.ts';
import { enumerateOps } from '../../src/search/explore-args.ts';
import { fingerprint } from '../../src/search/fingerprint.ts';
import { certifyCounterexamples } from '../../src/search/certify.ts';
import { runHybrid } from '../../src/search/hybrid.ts';
import { worldFor } from '../../src/run/check.ts';
import { runOps } from '../../src/run/run.ts';
import { workloadOpTypes } from '../../src/generate/workload.ts';
import { step } from '../../models/step.ts';
import type { Op } from '../../models/ops.ts';
import type { Counterexample } from '../../src/run/campaign.ts';
import { dependentsOf, shrinkOps } from '../../src/shrink/shrink.ts';

const rfc = () => worldFor({ design: 'rfc-v2-dev-msi', kernel: '5.10', quirks: true, config: 'small' });
const dmd = () => worldFor({ design: 'per-device-msi', kernel: '6.2', quirks: true, config: 'small' });

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/irqcheck.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

const unplugThenRemove: Op[] = [
  { type: 'deviceUnregister', dev: 1 },
  { type: 'dmarHotRemove', unit: 1 },
];

describe('explore', () => {
  it('rfc-v2-dev-msi to depth 2: the dangling INTEL-IR-DEV-MSI after DMAR hot-remove, in 2 steps', () => {
    const r = explore(rfc(), { depth: 2, types: workloadOpTypes });
    expect(r.complete).toBe(true);
    expect(r.depthReached).toBe(2);
    const ids = r.violations.map((v) => v.invariant);
    expect(ids).toEqual(['domain-outlives-users', 'dmar-removal-clean']);
    for (const v of r.violations) expect(v.ops).toEqual(unplugThenRemove);
  });

  it('per-device-msi to depth 3: no violation, every state expanded; the same numbers twice', () => {
    const a = explore(dmd(), { depth: 3, types: workloadOpTypes });
    const b = explore(dmd(), { depth: 3, types: workloadOpTypes });
    expect(a.violations).toEqual([]);
    expect(a.complete).toBe(true);
    expect(a.states).toBeGreaterThan(50);
    expect(a.transitions).toBeGreaterThan(a.states);
    expect(a.layers.reduce((x, y) => x + y, 0)).toBe(a.states);
    expect([b.states, b.transitions, b.layers]).toEqual([a.states, a.transitions, a.layers]);
  });

  it('states reached in different orders are one state; different states differ', () => {
    const w = dmd();
    const probe: Op = { type: 'idxdProbe', pf: 0, fail: null };
    const base = step(w, probe).world;
    const wq: Op = { type: 'idxdWqConfig', pf: 0, wq: 0, wqType: 'mdev', mode: 'dedicated', size: 16, group: 0 };
    const eng: Op = { type: 'idxdEngineConfig', pf: 0, engine: 0, group: 0 };
    const ab = step(step(base, wq).world, eng).world;
    const ba = step(step(base, eng).world, wq).world;
    expect(fingerprint(ab)).toBe(fingerprint(ba));
    expect(fingerprint(ab)).not.toBe(fingerprint(base));
    // every enumerated operation is enabled in the state it was enumerated for
    expect(enumerateOps(base, workloadOpTypes).length).toBeGreaterThan(5);
  });

  it('a state budget stops the search and says so', () => {
    const r = explore(rfc(), { depth: 5, types: workloadOpTypes, maxStates: 40 });
    expect(r.complete).toBe(false);
    expect(r.states).toBe(40);
    expect(r.depthReached).toBeLessThan(5);
  });
});

describe('shrinking removes dependent calls together', () => {
  it('the calls that use an mdev, or configure a probed PF, depend on the call that made it', () => {
    const ops: Op[] = [
      { type: 'idxdProbe', pf: 0, fail: null },
      { type: 'idxdWqConfig', pf: 0, wq: 0, wqType: 'mdev', mode: 'dedicated', size: 16, group: 0 },
      { type: 'idxdEngineConfig', pf: 0, engine: 0, group: 0 },
      { type: 'idxdDeviceEnable', pf: 0 },
      { type: 'idxdWqEnable', pf: 0, wq: 0 },
      { type: 'mdevCreate', pf: 0, wq: 0 },
      { type: 'cpuOffline', cpu: 3 },
      { type: 'mdevOpen', mdev: 0, fail: null },
      { type: 'mdevRemove', mdev: 0 },
    ];
    expect([...dependentsOf(rfc(), ops, 5)].sort()).toEqual([7, 8]);
    expect([...dependentsOf(rfc(), ops, 0)].sort()).toEqual([1, 2, 3, 4, 5]);
    expect([...dependentsOf(rfc(), ops, 6)]).toEqual([]);
    // and the whole set goes in one shrinking step: only the DMAR part is left
    const r = shrinkOps(rfc(), [...ops, ...unplugThenRemove], 'dmar-removal-clean', 200, 'legal');
    expect(r.trace.map((t) => t.op)).toEqual(unplugThenRemove);
  });
});

describe('hybrid search', () => {
  it('random walks from the depth-3 frontier reach the 7-step wrong-unit IRTE of rfc-v2-dev-msi in a few runs, the same way twice', () => {
    const opts = {
      frontierDepth: 3,
      runs: 10,
      minSteps: 10,
      maxSteps: 20,
      seed: 1,
      types: workloadOpTypes,
      only: new Set(['correct-ir-unit']),
    };
    const a = runHybrid(rfc(), opts);
    const c = a.counterexamples.find((x) => x.invariant === 'correct-ir-unit');
    expect(c, 'not found in 10 hybrid runs').toBeDefined();
    expect(c!.trace.at(-1)!.op.type).toBe('mdevOpen');
    expect(runHybrid(rfc(), opts).counterexamples).toEqual(a.counterexamples);
  });
});

describe('certified shortest counterexamples', () => {
  const found = (ops: Op[], invariant: string): Counterexample => {
    const run = runOps(rfc(), ops, { only: new Set([invariant]) });
    const v = run.violations.find((x) => x.invariant === invariant)!;
    return {
      invariant,
      category: v.category,
      message: v.message,
      trace: run.trace,
      foundInRun: 0,
      originalLength: ops.length,
    };
  };

  it('a 4-step trace is replaced by the 2-step one the search finds, marked minimal', () => {
    const long: Op[] = [{ type: 'cpuOffline', cpu: 3 }, { type: 'cpuOnline', cpu: 3 }, ...unplugThenRemove];
    const c = found(long, 'dmar-removal-clean');
    expect(c.trace).toHaveLength(4);
    const r = certifyCounterexamples(rfc(), [c], workloadOpTypes, 5000);
    expect(r.counterexamples[0]!.trace.map((s) => s.op)).toEqual(unplugThenRemove);
    expect(r.counterexamples[0]!.minimal).toBe(true);
    expect(r.stats.replaced).toBe(1);
  });

  it('a trace the search cannot beat within its budget stays uncertified', () => {
    const c = found(
      [{ type: 'cpuOffline', cpu: 3 }, { type: 'cpuOnline', cpu: 3 }, ...unplugThenRemove],
      'dmar-removal-clean',
    );
    const r = certifyCounterexamples(rfc(), [c], workloadOpTypes, 5);
    expect(r.counterexamples[0]!.trace).toHaveLength(4);
    expect(r.counterexamples[0]!.minimal).toBe(false);
  });
});

describe('explore and export on the command line', () => {
  it('explore --json: exit 1, shortest traces, numbers, timing apart', () => {
    const r = cli('explore', '--design', 'rfc-v2-dev-msi', '--depth', '2', '--json');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect(doc).toMatchObject({ design: 'rfc-v2-dev-msi', depth: 2, depthReached: 2, complete: true });
    expect(
      doc.violations.map((v: { invariant: string; length: number; minimal: boolean }) => [
        v.invariant,
        v.length,
        v.minimal,
      ]),
    ).toEqual([
      ['domain-outlives-users', 2, true],
      ['dmar-removal-clean', 2, true],
    ]);
    expect(Object.keys(doc.timing)).toEqual(['ms', 'statesPerSecond']);
  });

  it('explore: "no violation up to depth K", exit 0; a bad depth is exit 2', () => {
    const r = cli('explore', '--design', 'per-device-msi', '--depth', '2');
    expect(r.code).toBe(0);
    expect(r.out).toContain('no violation of any checked invariant up to depth 2');
    const bad = cli('explore', '--design', 'per-device-msi', '--depth', 'zero');
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
  });

  it('replay --export vitest / kunit', () => {
    const file = 'examples/reports/counterexamples/rfc-v2-dev-msi-5.10-workload-dmar-removal-clean.json';
    const v = cli('replay', file, '--export', 'vitest');
    expect(v.code).toBe(0);
    expect(v.out).toContain("import { runOps } from '../../src/run/run.ts';");
    expect(v.out).toContain('"type": "dmarHotRemove"');
    const k = cli('replay', file, '--export', 'kunit');
    expect(k.out).toContain('kunit_test_suite(irqcheck_rfc_v2_dev_msi_dmar_removal_clean_suite);');
    expect(k.out).toContain('/* step 2  dmar_hp_remove_drhd(DRHD1) = 0 */');
    expect(k.out).toContain('expected check: a removed DMAR unit leaves no allocated IRTE');
  });
});
