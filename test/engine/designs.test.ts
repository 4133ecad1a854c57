/*
 * The designs as a user meets them: the listing, check --design with a built-in name or a file,
 * compare's determinism, counterexamples that replay, and one-line errors (exit 2) for design
 * files that do not load or do not implement the interface. What a design breaks is whatever
 * the engine finds: these tests only look for it in the output.
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

const tmp = () => mkdtempSync(join(tmpdir(), 'irqcheck-designs-'));

interface ResultJson {
  design: string;
  kernel: string;
  mode: string;
  violations: { invariant: string; category: string; file: string; trace: { op: string; call: string }[] }[];
}

/** a design file outside the repository (type imports only would be erased; this one has none) */
function writeDesign(dir: string, body: string): string {
  const path = join(dir, 'my-design.ts');
  writeFileSync(path, body);
  return path;
}

describe('designs', () => {
  it('designs --json lists the four built-in designs, each with its kernel and description', () => {
    const r = cli('designs', '--json');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.out).designs as { name: string; kernel: string; description: string }[];
    expect(list.map((d) => d.name)).toEqual(['rfc-v2-dev-msi', 'assign-domain', 'device-domain', 'per-device-msi']);
    for (const d of list) expect(d.description.length).toBeGreaterThan(100);
  });

  it('check --design rfc-v2-dev-msi --json: exit 1; the engine finds the SVT=0 IRTE, the wrong IR unit and the domain left on a removed DMAR unit; files replay', () => {
    const out = tmp();
    const r = cli('check', '--design', 'rfc-v2-dev-msi', '--runs', '60', '--json', '--out', out);
    expect(r.code).toBe(1);
    const res = JSON.parse(r.out).results as ResultJson[];
    expect(res).toHaveLength(1);
    expect(res[0]).toMatchObject({ design: 'rfc-v2-dev-msi', kernel: '5.10', mode: 'workload' });
    const byId = new Map(res[0]!.violations.map((v) => [v.invariant, v]));
    expect(byId.has('irte-source-id')).toBe(true);
    expect(byId.has('correct-ir-unit')).toBe(true);
    expect(byId.has('dmar-removal-clean') || byId.has('domain-outlives-users')).toBe(true);
    // the trace reads like kernel calls, and ends where the unit goes
    expect(
      byId
        .get('correct-ir-unit')!
        .trace.map((s) => s.call)
        .join('\n'),
    ).toContain('idxd_vdcm_open(mdev0)');
    expect(byId.get('dmar-removal-clean')!.trace.at(-1)!.call).toMatch(/^dmar_hp_remove_drhd\(DRHD\d\)$/);
    // the default certification budget proves the 2-step traces shortest
    expect((byId.get('dmar-removal-clean') as unknown as { minimal: boolean }).minimal).toBe(true);
    for (const v of res[0]!.violations) {
      const rp = cli('replay', v.file);
      expect(rp.code, `${v.file}: ${rp.err}`).toBe(1);
      expect(rp.out).toContain(`still fails: ${v.invariant}`);
    }
  });

  it('check --design per-device-msi: exit 0 under the same workloads', () => {
    const r = cli('check', '--design', 'per-device-msi', '--runs', '60', '--certify', '0', '--out', tmp());
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('0 invariant(s) violated');
  });

  it('compare: same seed, byte-identical Markdown and JSON; one column per design', () => {
    const [a, b] = [tmp(), tmp()];
    const ra = cli('compare', '--runs', '12', '--seed', '1', '--certify', '300', '--out', a);
    const rb = cli('compare', '--runs', '12', '--seed', '1', '--certify', '300', '--out', b);
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    const md = readFileSync(join(a, 'summary.md'), 'utf8');
    expect(md).toBe(readFileSync(join(b, 'summary.md'), 'utf8'));
    // the JSON names each counterexample file under its --out directory
    expect(readFileSync(join(a, 'summary.json'), 'utf8').replaceAll(a, 'OUT')).toBe(
      readFileSync(join(b, 'summary.json'), 'utf8').replaceAll(b, 'OUT'),
    );
    expect(md).toContain('| invariant | category | rfc-v2-dev-msi | assign-domain | device-domain | per-device-msi |');
    expect(ra.out.split('\n')[0]).toMatch(/rfc-v2-dev-msi +assign-domain +device-domain +per-device-msi/);
  });

  it('a user design file outside the repository loads, runs (also on worker threads) and its counterexamples replay', () => {
    const dir = tmp();
    const path = writeDesign(
      dir,
      `export default (k) => ({ ...k.designs.rfcV2DevMsi, name: 'my-rfc', summary: 'the RFC, renamed', description: 'A copy of rfc-v2-dev-msi.', assumptions: [] });\n`,
    );
    const r = cli('check', '--design', path, '--runs', '12', '--certify', '0', '--json', '--out', join(dir, 'out'));
    expect(r.code, r.err).toBe(1);
    const res = JSON.parse(r.out).results as ResultJson[];
    expect(res[0]!.design).toBe('my-rfc');
    const file = res[0]!.violations[0]!.file;
    expect(JSON.parse(readFileSync(file, 'utf8')).designFile).toBe(path);
    expect(cli('replay', file).code).toBe(1);
    // next to a built-in one: two campaigns on worker threads
    const two = cli(
      'check',
      '--design',
      `${path},per-device-msi`,
      '--runs',
      '10',
      '--certify',
      '0',
      '--json',
      '--out',
      join(dir, 'out2'),
    );
    expect((JSON.parse(two.out).results as ResultJson[]).map((x) => x.design)).toEqual(['my-rfc', 'per-device-msi']);
  });

  it('the README example design (examples/rfc-thread-variant.ts) runs', () => {
    const r = cli(
      'check',
      '--design',
      './examples/rfc-thread-variant.ts',
      '--runs',
      '60',
      '--only',
      'isolation',
      '--certify',
      '0',
      '--json',
      '--out',
      tmp(),
    );
    expect(r.code).toBe(1);
    const res = JSON.parse(r.out).results as ResultJson[];
    expect(res[0]!.design).toBe('rfc-thread-variant');
    expect(res[0]!.violations.map((v) => v.invariant)).toContain('irte-source-id');
  });

  it.each([
    ['no such file', null, 'does not exist'],
    ['a syntax error', 'export default {{{', 'does not load'],
    ['no design export', 'export const x = 1;\n', "no default export and no export named 'design'"],
    [
      'a missing hook',
      "export default { name: 'half', summary: 's', description: 'd', kernel: '6.2', assumptions: [], pfProbe: () => null };\n",
      'pfRemove',
    ],
    [
      'an unknown kernel',
      "export default (k) => ({ ...k.designs.perDeviceMsi, name: 'old', kernel: '2.6' });\n",
      'kernel',
    ],
    ['a built-in name', "export default (k) => ({ ...k.designs.perDeviceMsi, summary: 'mine' });\n", 'already exists'],
    ['a throwing design function', "export default () => { throw new Error('boom'); };\n", 'boom'],
  ])('a design file with %s: exit 2 and one line', (_what, body, words) => {
    const dir = tmp();
    const path = body === null ? join(dir, 'missing.ts') : writeDesign(dir, body);
    const r = cli('check', '--design', path, '--runs', '5', '--out', join(dir, 'out'));
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain(words);
  });

  it('an unknown design name: exit 2 and one line', () => {
    const r = cli('check', '--design', 'no-such-design');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain("unknown design 'no-such-design'");
  });
});
