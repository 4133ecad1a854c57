/*
 * src/report/html/coverage-section.ts - what the campaigns exercised: per operation type and
 * design, how many calls were made and how they ended (a call no run made is a gap in the
 * workload, not a pass)
 */
import type { CheckRun } from '../../run/check.ts';
import { opTypes } from '../../../models/ops.ts';
import { escapeHtml } from './escape.ts';
import { table, td } from './layout.ts';

const KINDS = ['ok', 'err', 'warned', 'bug', 'use-after-free'] as const;

const cellText = (per: Readonly<Record<string, number>> | undefined): string =>
  per
    ? KINDS.filter((k) => per[k])
        .map((k) => `${k} ${per[k]}`)
        .join(' · ')
    : 'never called';

/** coverageSection() - the operations table and the outcome totals of every run */
export function coverageSection(runs: readonly CheckRun[], column: (r: CheckRun) => string): string {
  const used = opTypes.filter((t) => runs.some((r) => r.opOutcomes[t]));
  const rows = used.map((t) => [
    `<td><code>${escapeHtml(t)}</code></td>`,
    ...runs.map((r) => td(cellText(r.opOutcomes[t]), r.opOutcomes[t] ? 'num' : 'num never')),
  ]);
  rows.push([td('every call'), ...runs.map((r) => td(cellText(r.outcomes), 'num'))]);
  const never = runs.flatMap((r) => {
    const gaps = used.filter((t) => !r.opOutcomes[t]);
    return gaps.length
      ? [
          `<li>${escapeHtml(column(r))}: never called ${gaps.map((t) => `<code>${escapeHtml(t)}</code>`).join(', ')}</li>`,
        ]
      : [];
  });
  return [
    '<h2 id="coverage">Coverage of operations</h2>',
    '<p>Calls made per operation type over every run of each campaign, by outcome (ok, err with an errno, warned, bug, use-after-free). Runs stop checking an invariant once it is found, so later runs reach deeper states.</p>',
    table(['operation', ...runs.map(column)], rows),
    never.length ? `<ul>${never.join('')}</ul>` : '',
  ].join('\n');
}
