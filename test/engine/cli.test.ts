/*
 * The command line as a user meets it: listings, exit codes, JSON on stdout, counterexample
 * files that replay, one-line errors with exit 2 on bad input, determinism.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/irqcheck.js', ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('irqcheck CLI', () => {
  it('--help lists the commands', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    for (const c of ['invariants', 'check', 'compare', 'replay']) expect(r.out).toContain(c);
  });

  it('invariants --json: at least 20 invariants over the six categories, isolation with 4 or more', () => {
    const r = cli('invariants', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out).invariants as { id: string; category: string; statement: string; kernel: string }[];
    expect(list.length).toBeGreaterThanOrEqual(20);
    expect(new Set(list.map((i) => i.category))).toEqual(new Set(['leak', 'structure', 'lifetime', 'atomicity', 'isolation', 'affinity']));
    expect(list.filter((i) => i.category === 'isolation').length).toBeGreaterThanOrEqual(4);
  });

  it.each([
    [['check', '--runs', '0'], '--runs'],
    [['check', '--kernel', '9.9'], '9.9'],
    [['check', '--config', 'huge'], 'huge'],
    [['nope'], 'nope'],
  ])('bad input %j: exit 2 and one line', (args, word) => {
    const r = cli(...args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(word);
  });

  it('check --json: exit 1, one JSON document, counterexample files that replay and still fail; same seed, same JSON', () => {
    const out = mkdtempSync(join(tmpdir(), 'irqcheck-'));
    const r = cli('check', '--runs', '12', '--seed', '3', '--json', '--out', out);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    const v = doc.results[0].violations;
    expect(v.length).toBeGreaterThan(0);
    for (const x of v) {
      expect(x.trace.length).toBe(x.length);
      expect(['leak', 'structure', 'lifetime', 'atomicity', 'isolation', 'affinity']).toContain(x.category);
    }
    const replay = cli('replay', v[0].file);
    expect(replay.code).toBe(1);
    expect(replay.out).toContain(`still fails: ${v[0].invariant}`);
    // each step is followed by what it changed
    const withEffect = v.find((x: { trace: { outcome: string }[] }) => x.trace.some((t) => t.outcome === 'ok'));
    if (withEffect) expect(cli('replay', withEffect.file).out).toMatch(/\n {8}[+~-] /);
    const again = cli('check', '--runs', '12', '--seed', '3', '--json', '--out', out);
    expect(again.out).toBe(r.out);
  });

  it('replay of a malformed or future-version file: exit 2 and one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'irqcheck-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format":"irqcheck-counterexample","version":1,"kernel":"6.2"}');
    const r = cli('replay', bad);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    const future = join(dir, 'future.json');
    writeFileSync(future, JSON.stringify({ format: 'irqcheck-counterexample', version: 99 }));
    const f = cli('replay', future);
    expect(f.code).toBe(2);
    expect(f.err).toContain('version 99');
    const missing = cli('replay', join(dir, 'missing.json'));
    expect(missing.code).toBe(2);
    void readFileSync;
  });
});
