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
  const r = spawnSync(process.execPath, ['bin/irqcheck.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

describe('irqcheck CLI', () => {
  it('--help lists the commands', () => {
    const r = cli('--help');
    expect(r.code).toBe(0);
    for (const c of ['invariants', 'check', 'compare', 'replay']) expect(r.out).toContain(c);
  });

  it('no command: the full help with the exit codes, exit 2; --version: the package version', () => {
    const r = cli();
    expect(r.code).toBe(2);
    for (const c of ['invariants', 'check', 'compare', 'explore', 'replay', 'bench', 'faults', 'Exit codes:'])
      expect(r.out).toContain(c);
    expect(cli('--help').out).toContain('Exit codes:');
    const v = cli('--version');
    expect(v.code).toBe(0);
    expect(v.out.trim()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('check --junit and --github: one test case per invariant, a failure per violation, the same count as --json', () => {
    const out = mkdtempSync(join(tmpdir(), 'irqcheck-'));
    const junit = join(out, 'junit', 'check.xml');
    const r = cli(
      'check',
      '--runs',
      '12',
      '--seed',
      '3',
      '--json',
      '--out',
      out,
      '--github',
      '--junit',
      junit,
      '--only',
      'leak,lifetime',
    );
    expect(r.code).toBe(1);
    const violations = JSON.parse(r.out).results[0].violations as { invariant: string }[];
    const xml = readFileSync(junit, 'utf8');
    const cases = xml.match(/<testcase /g) ?? [];
    const failures = xml.match(/<failure /g) ?? [];
    const list = JSON.parse(cli('invariants', '--json').out).invariants as { category: string }[];
    expect(cases.length).toBe(list.filter((i) => i.category === 'leak' || i.category === 'lifetime').length);
    expect(failures.length).toBe(violations.length);
    // --github: one ::error workflow command per violation, on stderr
    expect(r.err.split('\n').filter((l) => l.startsWith('::error title=irqcheck ')).length).toBe(violations.length);
    expect(xml).toContain(`name="${violations[0]!.invariant} [`);
    expect(cli('check', '--runs', '2', '--out', out, '--junit', join(junit, 'x.xml')).code).toBe(2);
  });

  it("check --coverage: the model files the campaign ran, in JSON and <out>/model-coverage.json; the exit code is the check's", () => {
    const out = mkdtempSync(join(tmpdir(), 'irqcheck-'));
    const r = cli('check', '--runs', '10', '--seed', '3', '--json', '--out', out, '--coverage');
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as {
      results: unknown[];
      modelCoverage: { totals: { pct: number }; files: { file: string; pct: number; uncovered: string[] }[] };
    };
    expect(doc.results).toHaveLength(1);
    const irqdomain = doc.modelCoverage.files.find((f) => f.file === 'models/kernel/irq/irqdomain.ts');
    expect(irqdomain?.pct).toBeGreaterThan(0);
    expect(doc.modelCoverage.totals.pct).toBeGreaterThan(0);
    expect(doc.modelCoverage.totals.pct).toBeLessThan(100);
    expect(doc.modelCoverage.files.every((f) => f.file.startsWith('models/'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'model-coverage.json'), 'utf8'))).toEqual(doc.modelCoverage);
  });

  it('compare exits 0 when designs break invariants, 1 with --fail-on-violation, and says how many broke', () => {
    const out = mkdtempSync(join(tmpdir(), 'irqcheck-'));
    const plain = cli('compare', '--runs', '20', '--certify', '0', '--out', out);
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/\n(\d+) of 4 campaigns break at least one invariant\n/);
    const strict = cli('compare', '--runs', '20', '--certify', '0', '--out', out, '--fail-on-violation');
    expect(strict.code).toBe(/\n0 of 4 campaigns/.test(plain.out) ? 0 : 1);
  });

  it('invariants --json: at least 20 invariants over the six categories, isolation with 4 or more', () => {
    const r = cli('invariants', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out).invariants as { id: string; category: string; statement: string; kernel: string }[];
    expect(list.length).toBeGreaterThanOrEqual(20);
    expect(new Set(list.map((i) => i.category))).toEqual(
      new Set(['leak', 'structure', 'lifetime', 'atomicity', 'isolation', 'affinity']),
    );
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
