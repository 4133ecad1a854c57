/*
 * Bad input, as a hostile or careless user gives it: every row is one command line (with the
 * files it names) that must end with exit 2 and exactly one line on stderr, no stack trace, no
 * results on stdout. The CLI runs in this process (main() sets process.exitCode), so the table
 * stays fast; test/engine/cli.test.ts runs the real launcher for the rest.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'irqcheck-bad-'));
const at = (name: string) => join(dir, name);
const good = JSON.parse(
  readFileSync('properties/corpus/kernel-6.2-legal-no-vector-leak-2cd1d62f0b.json', 'utf8'),
) as Record<string, unknown>;
const cx = (name: string, change: Record<string, unknown>) => {
  writeFileSync(at(name), JSON.stringify({ ...good, ...change }));
  return at(name);
};

beforeAll(() => {
  writeFileSync(at('not-json.json'), '{ "format": ');
  writeFileSync(at('empty.json'), '');
  writeFileSync(at('array.json'), '[]');
  writeFileSync(at('syntax.ts'), 'export default (k) => ({ name: ');
  writeFileSync(at('no-default.ts'), 'export const x = 1;\n');
  writeFileSync(at('not-object.ts'), 'export default 42;\n');
  writeFileSync(at('throws.ts'), "export default () => { throw new Error('boom'); };\n");
  writeFileSync(at('bad-name.ts'), "export default (k) => ({ ...k.designs.rfcV2DevMsi, name: 'Bad Name' });\n");
  writeFileSync(at('kernel-name.ts'), "export default (k) => ({ ...k.designs.rfcV2DevMsi, name: 'kernel' });\n");
  writeFileSync(
    at('taken-name.ts'),
    "export default (k) => ({ ...k.designs.perDeviceMsi, name: 'rfc-v2-dev-msi', summary: 'x' });\n",
  );
  writeFileSync(
    at('no-hooks.ts'),
    "export default { name: 'no-hooks', summary: 's', description: 'd', kernel: '6.2', assumptions: [] };\n",
  );
  writeFileSync(
    at('hook-not-fn.ts'),
    "export default (k) => ({ ...k.designs.rfcV2DevMsi, name: 'hook-not-fn', mdevCreate: 3 });\n",
  );
  writeFileSync(
    at('bad-kernel.ts'),
    "export default (k) => ({ ...k.designs.rfcV2DevMsi, name: 'bad-kernel', kernel: '4.19' });\n",
  );
  writeFileSync(
    at('no-summary.ts'),
    "export default (k) => ({ ...k.designs.rfcV2DevMsi, name: 'no-summary', summary: '' });\n",
  );
  writeFileSync(at('a-file'), 'x');
  mkdirSync(at('a-dir.ts'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** [what it is, the command line] */
const table: readonly (readonly [string, () => string[]])[] = [
  // flags
  ['unknown command', () => ['nope']],
  ['unknown option', () => ['check', '--bogus']],
  ['option without its value', () => ['check', '--runs']],
  ['runs zero', () => ['check', '--runs', '0']],
  ['runs negative', () => ['check', '--runs', '-3']],
  ['runs hex', () => ['check', '--runs', '0x10']],
  ['runs exponent', () => ['check', '--runs', '1e3']],
  ['runs fraction', () => ['check', '--runs', '2.5']],
  ['runs with a space', () => ['check', '--runs', ' 12']],
  ['runs word', () => ['check', '--runs', 'many']],
  ['runs above the ceiling', () => ['check', '--runs', '1000000000']],
  ['seed beyond 32 bits', () => ['check', '--seed', '99999999999999999999']],
  ['seed negative', () => ['check', '--seed', '-1']],
  ['steps zero', () => ['check', '--steps', '0']],
  ['steps above the ceiling', () => ['check', '--steps', '100000000']],
  ['certify word', () => ['check', '--certify', 'lots']],
  ['unknown kernel', () => ['check', '--kernel', '9.9']],
  ['unknown config', () => ['check', '--config', 'huge']],
  ['unknown mode', () => ['check', '--mode', 'evil']],
  ['quirks neither on nor off', () => ['check', '--quirks', 'maybe']],
  ['only: empty', () => ['check', '--only', '']],
  ['only: commas', () => ['check', '--only', ',']],
  ['only: unknown invariant', () => ['check', '--only', 'no-such-invariant']],
  ['fault: empty', () => ['check', '--fault', '']],
  ['fault: unknown', () => ['check', '--fault', 'B999']],
  ['design: empty', () => ['check', '--design', '']],
  ['design: unknown name', () => ['check', '--design', 'no-such-design']],
  ['engine unknown', () => ['check', '--engine', 'quantum']],
  ['arm-its on 5.10', () => ['check', '--config', 'arm-its', '--kernel', '5.10']],
  ['design on arm-its', () => ['check', '--design', 'per-device-msi', '--config', 'arm-its']],
  ['compare: unknown design', () => ['compare', '--design', 'nope']],
  ['compare: runs zero', () => ['compare', '--runs', '0']],
  ['explore without design', () => ['explore']],
  ['explore depth zero', () => ['explore', '--design', 'per-device-msi', '--depth', '0']],
  ['explore depth word', () => ['explore', '--design', 'per-device-msi', '--depth', 'zero']],
  ['explore depth unbounded', () => ['explore', '--design', 'per-device-msi', '--depth', '1000']],
  ['explore max-states zero', () => ['explore', '--design', 'per-device-msi', '--max-states', '0']],
  ['explore unknown design', () => ['explore', '--design', 'nope']],
  ['bench: unknown fault', () => ['bench', '--faults', 'nope']],
  ['bench: seeds zero', () => ['bench', '--seeds', '0']],
  ['bench: unknown engine', () => ['bench', '--engines', 'irqcheck,quickcheck']],
  ['bench: empty engines', () => ['bench', '--engines', ',']],
  ['replay without file', () => ['replay']],
  ['designs: unknown option', () => ['designs', '--yaml']],
  // design files
  ['design file missing', () => ['check', '--design', at('missing.ts')]],
  ['design file with a syntax error', () => ['check', '--design', at('syntax.ts')]],
  ['design file without default export', () => ['check', '--design', at('no-default.ts')]],
  ['design file exporting a number', () => ['check', '--design', at('not-object.ts')]],
  ['design function that throws', () => ['check', '--design', at('throws.ts')]],
  ['design name not kebab-case', () => ['check', '--design', at('bad-name.ts')]],
  ["design named 'kernel'", () => ['check', '--design', at('kernel-name.ts')]],
  ['design name already taken', () => ['check', '--design', at('taken-name.ts')]],
  ['design without hooks', () => ['check', '--design', at('no-hooks.ts')]],
  ['design hook that is not a function', () => ['check', '--design', at('hook-not-fn.ts')]],
  ['design for an unknown kernel', () => ['check', '--design', at('bad-kernel.ts')]],
  ['design with an empty summary', () => ['check', '--design', at('no-summary.ts')]],
  ['design path is a directory', () => ['check', '--design', at('a-dir.ts')]],
  // counterexample files
  ['replay: missing file', () => ['replay', at('missing.json')]],
  ['replay: not JSON', () => ['replay', at('not-json.json')]],
  ['replay: empty file', () => ['replay', at('empty.json')]],
  ['replay: a JSON array', () => ['replay', at('array.json')]],
  ['replay: a directory', () => ['replay', dir]],
  ['replay: wrong format', () => ['replay', cx('format.json', { format: 'something-else' })]],
  ['replay: future version', () => ['replay', cx('future.json', { version: 99 })]],
  ['replay: unknown kernel', () => ['replay', cx('kernel.json', { kernel: '9.9' })]],
  ['replay: unknown config', () => ['replay', cx('config.json', { config: 'huge' })]],
  ['replay: unknown design', () => ['replay', cx('design.json', { design: 'nope' })]],
  ['replay: no steps', () => ['replay', cx('no-steps.json', { steps: [] })]],
  ['replay: unknown invariant', () => ['replay', cx('invariant.json', { invariant: 'no-such-invariant' })]],
  ['replay: unknown operation', () => ['replay', cx('op.json', { steps: [{ op: 'rmRf', args: {}, outcome: 'ok' }] })]],
  [
    'replay: wrong argument type',
    () => ['replay', cx('arg.json', { steps: [{ op: 'cpuOffline', args: { cpu: 'one' }, outcome: 'ok' }] })],
  ],
  // output places
  ['out is a file', () => ['check', '--runs', '1', '--out', at('a-file')]],
  ['out under a file', () => ['check', '--runs', '1', '--out', join(at('a-file'), 'x')]],
  ['out under /proc', () => ['check', '--runs', '1', '--out', '/proc/irqcheck-x']],
  ['corpus under a file', () => ['check', '--runs', '1', '--out', at('out'), '--corpus', join(at('a-file'), 'c')]],
  ['junit is a directory', () => ['check', '--runs', '1', '--out', at('out'), '--junit', dir]],
  ['junit under a file', () => ['check', '--runs', '1', '--out', at('out'), '--junit', join(at('a-file'), 'j.xml')]],
  ['bench out is a file', () => ['bench', '--faults', 'B01', '--seeds', '1', '--out', at('a-file')]],
];

describe('bad input: exit 2, one line on stderr, no stack trace', () => {
  it('the table has at least 60 rows', () => expect(table.length).toBeGreaterThanOrEqual(60));

  it.each(table)('%s', async (_what, args) => {
    const err: string[] = [];
    const out: string[] = [];
    const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (err.push(String(s)), true));
    const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => (out.push(String(s)), true));
    process.exitCode = undefined;
    try {
      await main(args());
    } finally {
      e.mockRestore();
      o.mockRestore();
    }
    const code = process.exitCode;
    process.exitCode = undefined;
    const text = err.join('');
    expect({ code, lines: text.trim().split('\n').length, stack: /\n\s+at /.test(text), stdout: out.join('') }).toEqual(
      { code: 2, lines: 1, stack: false, stdout: '' },
    );
  });
});
