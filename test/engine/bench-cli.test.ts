/*
 * test/engine/bench-cli.test.ts - `faults`, `bench` and `--fault` as a user meets them
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { faultIds } from '../../models/faults/catalog.ts';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/irqcheck.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** the bench JSON without its wall-clock parts */
const untimed = (j: Record<string, unknown>) =>
  JSON.stringify({
    ...j,
    timing: null,
    engines: (j.engines as Record<string, unknown>[]).map((e) => ({ ...e, medianMsToDetect: null })),
  });

describe('irqcheck faults / bench / --fault', () => {
  it.each([
    [['check', '--fault', 'B99'], 'B99'],
    [['bench', '--faults', 'nope'], 'NOPE'],
    [['bench', '--seeds', '0'], '--seeds'],
    [['bench', '--budget', 'x'], '--budget'],
    [['bench', '--engines', 'irqcheck,quickcheck'], 'quickcheck'],
    [['explore', '--design', 'kernel', '--fault', 'B00'], 'B00'],
  ])('bad input %j: exit 2 and one line', (args, word) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(word);
  });

  it('faults --json lists every encoded fault with subject, hash and location; without a bench report nothing is claimed', () => {
    const r = cli('faults', '--json', '--bench', join(mkdtempSync(join(tmpdir(), 'irqcheck-')), 'none.json'));
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out).faults as {
      id: string;
      subject: string;
      hash: string;
      location: string;
      caughtBy: string[] | null;
    }[];
    expect(list.map((f) => f.id)).toEqual(faultIds);
    for (const f of list) {
      expect(f.subject).not.toBe('');
      expect(f.hash).toMatch(/^[0-9a-f]{12,40}$/);
      expect(f.caughtBy).toBeNull();
    }
  });

  it('explore --fault: the bounded search finds a fault the fixed kernel does not have, with its shortest trace', () => {
    const base = [
      'explore',
      '--design',
      'kernel',
      '--kernel',
      '6.2',
      '--quirks',
      'off',
      '--depth',
      '3',
      '--max-states',
      '3000',
      '--only',
      'vector-accounting',
      '--json',
    ];
    const on = cli(...base, '--fault', 'B02');
    expect(on.code).toBe(1);
    const v = JSON.parse(on.out).violations as { invariant: string; length: number }[];
    expect(v.map((x) => [x.invariant, x.length])).toEqual([['vector-accounting', 3]]);
    const off = cli(...base);
    expect(off.code).toBe(0);
    expect(JSON.parse(off.out).violations).toEqual([]);
  });

  it('bench --json: the scoreboard contract, the same JSON twice but for the timings, and faults reads the categories back', () => {
    const out = mkdtempSync(join(tmpdir(), 'irqcheck-'));
    const args = [
      'bench',
      '--faults',
      'B18,B11',
      '--seeds',
      '1',
      '--budget',
      '2000',
      '--runs',
      '40',
      '--json',
      '--out',
      out,
    ];
    const a = cli(...args);
    expect(a.code).toBe(0);
    const j = JSON.parse(a.out);
    expect(j.engines.map((e: { engine: string }) => e.engine)).toEqual([
      'fast-check-default',
      'fast-check-tuned',
      'irqcheck',
      'swarm',
      'hybrid',
      'exhaustive',
    ]);
    expect(j.budget).toEqual({ unit: 'model steps', modelSteps: 2000, runs: 40, minSteps: 25, maxSteps: 50 });
    // the exhaustive engine certifies each fault's shortest length, the reference of every engine
    for (const f of j.faults)
      expect(new Set(f.results.map((r: { shortestLength: number | null }) => r.shortestLength)).size).toBe(1);
    for (const e of j.engines) {
      expect(e.detectionRate).toBeGreaterThanOrEqual(0);
      expect(e.detectionRate).toBeLessThanOrEqual(1);
      expect('medianMsToDetect' in e && 'shortestShare' in e).toBe(true);
    }
    expect(j.faults.map((f: { id: string }) => f.id)).toEqual(['B18', 'B11']);
    for (const f of j.faults) {
      expect(f.hash).toMatch(/^[0-9a-f]{40}$/);
      for (const r of f.results)
        for (const k of ['engine', 'seeds', 'detected', 'medianRunsToDetect', 'shrunkLength', 'shortestLength'])
          expect(k in r).toBe(true);
    }
    const irq = j.faults[0].results.find((r: { engine: string }) => r.engine === 'irqcheck');
    expect(irq.detected).toBe(1);
    expect(JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'))).toEqual(j);
    expect(readFileSync(join(out, 'bench.md'), 'utf8')).toContain('## Timing');
    const b = cli(...args);
    expect(untimed(JSON.parse(b.out))).toBe(untimed(j));
    const listed = JSON.parse(cli('faults', '--json', '--bench', join(out, 'bench.json')).out).faults as {
      id: string;
      caughtBy: string[] | null;
    }[];
    expect(listed.find((f) => f.id === 'B18')!.caughtBy).toEqual(['leak']);
    expect(listed.find((f) => f.id === 'B02')!.caughtBy).toBeNull();
  }, 60_000);

  it('check --fault: exit 1 with the violation, and the saved file names the fault so that replay still fails', () => {
    const out = mkdtempSync(join(tmpdir(), 'irqcheck-'));
    const r = cli(
      'check',
      '--kernel',
      '6.2',
      '--mode',
      'legal',
      '--quirks',
      'off',
      '--fault',
      'B18',
      '--runs',
      '3',
      '--json',
      '--out',
      out,
    );
    expect(r.code).toBe(1);
    const v = JSON.parse(r.out).results[0].violations.find(
      (x: { invariant: string }) => x.invariant === 'fwnode-ownership',
    );
    expect(v).toBeDefined();
    expect(JSON.parse(readFileSync(v.file, 'utf8')).faults).toEqual(['B18']);
    expect(cli('replay', v.file).code).toBe(1);
    const clean = cli(
      'check',
      '--kernel',
      '6.2',
      '--mode',
      'legal',
      '--quirks',
      'off',
      '--runs',
      '3',
      '--only',
      'fwnode-ownership',
      '--out',
      out,
    );
    expect(clean.code).toBe(0);
  }, 60_000);
});
