/*
 * src/report/export.ts - a counterexample for kernel developers: as a vitest regression test of
 * this repository, or as a KUnit-style C skeleton with the call sequence against the kernel
 * APIs and the expected check as a comment
 */
import type { Replayed } from '../run/replay.ts';
import { invariants } from '../../properties/index.ts';
import { formatTrace } from './trace.ts';

const cIdent = (s: string): string => s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '');
const cComment = (s: string): string => s.replace(/\*\//g, '* /');

/** a vitest file for test/regressions/ (imports are relative to that folder) */
export function toVitest(r: Replayed, source: string): string {
  const f = r.file;
  const lines = formatTrace(r.world0, r.run.trace);
  return [
    `/*`,
    ` * Regression test exported by irqcheck from ${cComment(source)}:`,
    ` * ${f.design} on ${f.kernel}, configuration ${f.config}, breaks ${f.invariant} (${f.category}).`,
    ...lines.map((l) => ` *   ${cComment(l)}`),
    ` * !! ${cComment(f.message)}`,
    ` * Place it in test/regressions/; it fails while the model (or design) still breaks the invariant.`,
    ` */`,
    `import { expect, it } from 'vitest';`,
    `import { worldFor } from '../../src/run/check.ts';`,
    `import { runOps } from '../../src/run/run.ts';`,
    `import type { Op } from '../../models/ops.ts';`,
    '',
    `const ops = ${JSON.stringify(r.ops, null, 2)} as Op[];`,
    '',
    `it(${JSON.stringify(`${f.design}: ${f.invariant} holds after the ${r.ops.length}-step trace of ${source}`)}, () => {`,
    `  const w0 = worldFor({ design: ${JSON.stringify(f.design)}, kernel: ${JSON.stringify(f.kernel)}, quirks: true, config: ${JSON.stringify(f.config)} }, ${JSON.stringify(f.quirks)});`,
    `  const r = runOps(w0, ops, { only: new Set([${JSON.stringify(f.invariant)}]) });`,
    `  expect(r.violations.map((v) => \`\${v.invariant}: \${v.message}\`)).toEqual([]);`,
    `});`,
    '',
  ].join('\n');
}

/** a KUnit skeleton: each step as the kernel call it stands for, the check as a comment */
export function toKunit(r: Replayed, source: string): string {
  const f = r.file;
  const inv = invariants.find((i) => i.id === f.invariant);
  const name = cIdent(`irqcheck_${f.design}_${f.invariant}`).toLowerCase();
  const lines = formatTrace(r.world0, r.run.trace);
  return [
    '// SPDX-License-Identifier: GPL-2.0',
    '/*',
    ` * KUnit skeleton exported by irqcheck from ${cComment(source)}:`,
    ` * ${cComment(f.design)} on ${f.kernel}, configuration ${f.config}; breaks ${f.invariant} (${f.category}${inv ? `, spec ${inv.spec}` : ''}).`,
    inv ? ` * Rule: ${cComment(inv.statement)}.` : ' *',
    inv ? ` * Kernel: ${cComment(inv.kernel)}.` : ' *',
    ' * Fill in the fixtures (devices, domains, CPUs) of the test machine; each step names the',
    ' * kernel entry point the model ran and what it returned there.',
    ' */',
    '#include <kunit/test.h>',
    '#include <linux/irqdomain.h>',
    '#include <linux/msi.h>',
    '#include <linux/pci.h>',
    '',
    `static void ${name}(struct kunit *test)`,
    '{',
    '\tint ret;',
    '',
    ...r.run.trace.flatMap((s, i) => [
      `\t/* step ${cComment(lines[i]!.trim())} */`,
      `\tret = 0; /* TODO: ${cComment(lines[i]!.replace(/^\s*\d+\s+/, '').replace(/\s*(=|->|#).*$/, ''))} */`,
      s.outcome === 'ok'
        ? '\tKUNIT_EXPECT_EQ(test, ret, 0);'
        : `\t/* the model saw: ${s.outcome}${s.errno ? ` -${s.errno}` : ''} */`,
      '',
    ]),
    `\t/* expected check: ${cComment(inv?.statement ?? f.invariant)}`,
    `\t * irqcheck saw it broken: ${cComment(f.message)} */`,
    '\tKUNIT_FAIL(test, "TODO: assert the rule above on the kernel state");',
    '}',
    '',
    `static struct kunit_case ${name}_cases[] = {`,
    `\tKUNIT_CASE(${name}),`,
    '\t{}',
    '};',
    '',
    `static struct kunit_suite ${name}_suite = {`,
    `\t.name = "${name.replace(/_/g, '-')}",`,
    `\t.test_cases = ${name}_cases,`,
    '};',
    `kunit_test_suite(${name}_suite);`,
    '',
    'MODULE_LICENSE("GPL");',
    '',
  ].join('\n');
}
