/*
 * src/report/junit.ts - campaign results as JUnit XML (`check --junit FILE`), the format CI
 * systems show natively: one <testsuite> per campaign (design, kernel, mode), one <testcase>
 * per checked invariant, a <failure> carrying the message and the call trace when violated.
 */
import { invariants } from '../../properties/index.ts';
import { escapeHtml } from './html/escape.ts';
import { type ResultJson, violationText } from './results.ts';

/** the five entities, and no characters XML 1.0 cannot carry at all */
const xml = (s: string): string =>
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  escapeHtml(s).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** @only: the invariant ids the campaign checked (absent: all) */
export function toJunitXml(results: readonly ResultJson[], only?: readonly string[]): string {
  const checked = only?.length ? invariants.filter((i) => only.includes(i.id)) : invariants;
  const suites = results.map((r) => {
    const name = `${r.design} ${r.kernel} ${r.mode} ${r.config}`;
    const cases = checked.map((inv) => {
      const v = r.violations.find((x) => x.invariant === inv.id);
      const head = `<testcase classname="${xml(`irqcheck.${r.design}.${r.kernel}.${r.mode}`)}" name="${xml(`${inv.id} [${inv.category}]`)}"`;
      if (!v) return `    ${head}/>`;
      return `    ${head}>\n      <failure message="${xml(v.message)}" type="${xml(inv.category)}">${xml(violationText(v))}</failure>\n    </testcase>`;
    });
    return `  <testsuite name="${xml(name)}" tests="${checked.length}" failures="${r.violations.length}" errors="0" skipped="0">\n${cases.join('\n')}\n  </testsuite>`;
  });
  const failures = results.reduce((n, r) => n + r.violations.length, 0);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="irqcheck" tests="${checked.length * results.length}" failures="${failures}">\n${suites.join('\n')}\n</testsuites>\n`;
}
