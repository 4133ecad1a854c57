/*
 * test/engine/bench-engines.test.ts - the bench is fair: every engine gets the same model-step
 * budget and keeps to it, the tuned fast-check baseline runs far more of the model than the
 * default one, the random engines draw their sequences lazily (the same ones the campaign
 * draws), and timing stays out of the deterministic report
 */
import { describe, expect, it } from 'vitest';
import { faultCatalog, type FaultId } from '../../models/faults/catalog.ts';
import { worldFor } from '../../src/run/check.ts';
import { firstViolation, generateSequences } from '../../src/run/campaign.ts';
import { benchEngines, forEachSequence, type Budget } from '../../src/bench/engines.ts';
import { defaultBudget, runBench } from '../../src/bench/bench.ts';
import { renderBenchMarkdown, toBenchJson } from '../../src/bench/report.ts';

const world = (id: FaultId) => {
  const f = faultCatalog[id];
  return worldFor({
    design: f.target.design,
    kernel: f.target.kernel,
    quirks: false,
    config: f.target.config,
    faults: [id],
  });
};
const engine = (name: string) => benchEngines.find((e) => e.name === name)!;

describe('bench engines', () => {
  it("the sequences are drawn one at a time, and are the campaign's own", () => {
    const opts = { seed: 7, minSteps: 25, maxSteps: 50 };
    const got: unknown[] = [];
    forEachSequence(opts, (seq) => (got.push(seq), got.length === 30));
    // it stopped when told to: nothing drawn past the 30th
    expect(got).toHaveLength(30);
    expect(got).toEqual(generateSequences({ ...opts, runs: 30 }));
  });

  it('irqcheck finds a fault in the run the campaign finds it in, and counts its model steps', () => {
    const w0 = world('B20');
    const want = firstViolation(w0, { mode: 'legal', seed: 3, runs: 400, minSteps: 25, maxSteps: 50 });
    expect(want).not.toBeNull();
    const r = engine('irqcheck').run(w0, 3, defaultBudget);
    expect(r.detected).toBe(true);
    expect(r.runsToDetect).toBe(want!.run + 1);
    expect(r.stepsToDetect).toBeGreaterThanOrEqual(r.runsToDetect!);
    expect(r.stepsUsed).toBe(r.stepsToDetect);
  });

  it('a search that finds nothing spends exactly the step budget, every engine alike', () => {
    // B35 needs 5 steps on tight-vectors: 40 model steps are too few for every engine
    const w0 = world('B35');
    const budget: Budget = { ...defaultBudget, modelSteps: 40 };
    for (const name of ['fast-check-tuned', 'irqcheck', 'swarm', 'hybrid', 'exhaustive']) {
      const r = engine(name).run(w0, 1, budget);
      expect([name, r.detected]).toEqual([name, false]);
      expect([name, r.stepsUsed]).toEqual([name, 40]);
    }
  });

  it('fast-check tuned (size max, step budget) runs far more of the model than fast-check as first written, and finds what the default misses', () => {
    const w0 = world('B20');
    const d = engine('fast-check-default').run(w0, 1, defaultBudget);
    const t = engine('fast-check-tuned').run(w0, 1, defaultBudget);
    expect(d.detected).toBe(false);
    // the default's 400 runs execute a few hundred model steps of the 15000
    expect(d.stepsUsed).toBeLessThan(defaultBudget.modelSteps / 10);
    expect(t.detected).toBe(true);
    expect(t.stepsToDetect).toBeLessThanOrEqual(defaultBudget.modelSteps);
  });

  it('the report states the budget unit and the clock; CPU times only in the timing part', () => {
    const r = runBench(['B11'], 2, { ...defaultBudget, modelSteps: 2000 }, benchEngines);
    const j = toBenchJson(r);
    expect(j.budget).toMatchObject({ unit: 'model steps', modelSteps: 2000 });
    for (const f of j.faults)
      for (const x of f.results) for (const s of x.perSeed) expect('cpuMsToDetect' in s).toBe(false);
    expect(j.timing.note).toMatch(/CPU/);
    const md = renderBenchMarkdown(r, 'irqcheck bench');
    expect(md).toContain('2000 model steps');
    const timing = md.indexOf('## Timing');
    expect(timing).toBeGreaterThan(0);
    expect(md.slice(0, timing)).not.toMatch(/\bms\b|CPU/);
    expect(md.slice(timing)).toMatch(/process\.cpuUsage/);
    // the deterministic part is the same twice
    const again = toBenchJson(runBench(['B11'], 2, { ...defaultBudget, modelSteps: 2000 }, benchEngines));
    const untimed = (x: typeof j) =>
      JSON.stringify({ ...x, timing: null, engines: x.engines.map((e) => ({ ...e, medianMsToDetect: null })) });
    expect(untimed(again)).toBe(untimed(j));
  });
});
