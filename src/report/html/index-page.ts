/*
 * src/report/html/index-page.ts - reports/index.html: the designs, the design x invariant
 * matrix linking every violation to its page, the bench scoreboard, the coverage of operations
 */
import type { CheckRun } from '../../run/check.ts';
import type { CompareMeta } from '../compare.ts';
import { findDesign } from '../../../models/designs/index.ts';
import { invariants } from '../../../properties/index.ts';
import { escapeHtml } from './escape.ts';
import { page, table, td } from './layout.ts';
import { coverageSection } from './coverage-section.ts';
import { designAnchor } from './hierarchies-page.ts';

/** a column's title: the design, or kernel and caller mode for the kernel model alone */
export const columnOf = (r: CheckRun): string =>
  r.spec.mode === 'workload' ? r.spec.design : `${r.spec.kernel} ${r.spec.mode}`;

/** indexPage() - @pages: the page of each counterexample (relative to the index) by run and invariant; @bench: its section or '' */
export function indexPage(
  runs: readonly CheckRun[],
  meta: CompareMeta,
  pages: Map<CheckRun, Map<string, string>>,
  bench: string,
  healthy: string | null,
): string {
  const designs = runs.filter((r) => r.spec.mode === 'workload');
  const matrix = table(
    ['invariant', 'category', ...runs.map(columnOf)],
    invariants.map((inv) => [
      `<td><code>${escapeHtml(inv.id)}</code></td>`,
      td(inv.category),
      ...runs.map((r) => {
        const c = r.counterexamples.find((x) => x.invariant === inv.id);
        if (!c) return td('holds', 'holds');
        const href = pages.get(r)?.get(inv.id);
        const text = `violated (${c.trace.length})`;
        return `<td class="violated">${href ? `<a href="${escapeHtml(href)}">${text}</a>` : text}</td>`;
      }),
    ]),
  );
  const list = runs.flatMap((r) =>
    r.counterexamples.map((c) => {
      const href = pages.get(r)?.get(c.invariant);
      const name = `${columnOf(r)}: ${c.invariant} (${c.trace.length} steps)`;
      return `<li>${href ? `<a href="${escapeHtml(href)}">${escapeHtml(name)}</a>` : escapeHtml(name)} <span class="why">${escapeHtml(c.message)}</span></li>`;
    }),
  );
  const body = [
    '<h1>irqcheck: the DEV-MSI / IMS designs side by side</h1>',
    `<p>Seed ${meta.seed}, ${meta.runs} generated sequences of up to ${meta.steps} steps per column, configuration <code>${escapeHtml(meta.config)}</code>; every invariant checked after every step. ` +
      'A violation links to its counterexample: the kernel call trace, what each step changed, and the interrupt hierarchy with the fault in red.</p>',
    `<nav><a href="#verdicts">verdicts</a><a href="#counterexamples">counterexamples</a>${bench ? '<a href="#bench">bench</a>' : ''}<a href="#coverage">coverage</a>${healthy ? `<a href="${escapeHtml(healthy)}">healthy hierarchies</a>` : ''}</nav>`,
    designs.length ? '<h2 id="designs">Designs</h2>' : '',
    designs.length
      ? table(
          ['design', 'kernel', 'summary', 'assumptions'],
          designs.map((r) => {
            const d = findDesign(r.spec.design);
            const name = healthy
              ? `<a href="${escapeHtml(healthy)}#${escapeHtml(designAnchor(r.spec.design))}">${escapeHtml(r.spec.design)}</a>`
              : escapeHtml(r.spec.design);
            return [
              `<td><code>${name}</code></td>`,
              td(`${r.spec.kernel}${d?.features?.length ? ` + ${d.features.join(', ')}` : ''}`),
              td(d?.summary ?? ''),
              `<td>${(d?.assumptions ?? []).map((a) => escapeHtml(a)).join('<br>')}</td>`,
            ];
          }),
        )
      : '',
    '<h2 id="verdicts">Verdicts</h2>',
    '<p>"holds": no workload broke the invariant; "violated (n)": the shortest counterexample found has n steps.</p>',
    matrix,
    '<h2 id="counterexamples">Counterexamples</h2>',
    list.length ? `<ul>${list.join('\n')}</ul>` : '<p>None: every invariant holds in every column.</p>',
    bench,
    coverageSection(runs, columnOf),
  ];
  return page('irqcheck: design comparison', body.filter(Boolean).join('\n'));
}
