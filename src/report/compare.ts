/*
 * src/report/compare.ts - the design comparison as Markdown (reports/summary.md): the designs,
 * the design x invariant verdict matrix, then every counterexample as a kernel call trace with
 * the rule it breaks. Every verdict is what the engine found; nothing here is written by hand.
 */
import { relative, dirname } from 'node:path';
import type { CheckRun } from '../run/check.ts';
import { findDesign } from '../../models/designs/index.ts';
import { designKernelLabel } from '../../models/world/profile.ts';
import { invariants } from '../../properties/index.ts';
import { formatTrace } from './trace.ts';
import { renderMatrix, renderRunText } from './results.ts';

export interface CompareMeta {
  readonly seed: number;
  readonly runs: number;
  readonly steps: number;
  readonly config: string;
}

/** what the certifying exhaustive search did for a run */
function certifyText(r: CheckRun): string {
  const c = r.certify;
  if (!c || r.counterexamples.length === 0) return '';
  return ` (exhaustive search: ${c.states} states to depth ${c.depthReached}; ${c.certified} of ${r.counterexamples.length} certified shortest${c.replaced ? `, ${c.replaced} replaced by a shorter one` : ''})`;
}

/** Markdown table cells must not break the table */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderCompareMarkdown(
  runs: readonly CheckRun[],
  meta: CompareMeta,
  files: Map<CheckRun, Map<string, string>>,
  reportPath = 'reports/summary.md',
): string {
  // links relative to the report itself
  const links = new Map<CheckRun, Map<string, string>>(
    [...files].map(([r, m]) => [
      r,
      new Map([...m].map(([inv, path]) => [inv, relative(dirname(reportPath), path).split('\\').join('/')])),
    ]),
  );
  const out: string[] = [
    '# irqcheck: the DEV-MSI / IMS designs side by side',
    '',
    `Every design runs the same ${meta.runs} generated driver-level workloads (seed ${meta.seed}, up to ${meta.steps} steps each, configuration \`${meta.config}\`): ` +
      'idxd bind/unbind and PCI unplug, WQ and engine configuration, mdev create/open/release/remove, IMS completions, CPU offline/online, ' +
      'affinity changes, DMAR unit hot-remove/add, and allocation failures injected in probe and open. Every call is legal from the ' +
      "user's side, and the invariants are checked after every step. Each violation is shrunk to a short trace and saved as a file that " +
      '`npx irqcheck replay <file>` re-runs step by step.',
    '',
    '## Designs',
    '',
    '| design | kernel | summary |',
    '|---|---|---|',
    ...runs.map((r) => {
      const d = findDesign(r.spec.design);
      return `| \`${cell(r.spec.design)}\` | ${designKernelLabel(r.spec.design, r.spec.kernel)}${d?.features?.length ? ` + ${d.features.join(', ')}` : ''} | ${cell(d?.summary ?? '')} |`;
    }),
    '',
    '## Verdicts',
    '',
    'A cell reads "holds" when no workload broke the invariant, or "violated (n)" with the length of the shortest counterexample found (it links to the counterexample file).',
    '',
    renderMatrix(runs, true, links),
    '',
    ...runs.map(
      (r) =>
        `- \`${r.spec.design}\`: ${r.runs} runs, ${r.steps} steps, ${r.counterexamples.length === 0 ? 'every invariant holds' : `${r.counterexamples.length} invariant(s) violated`}${certifyText(r)}; kernel quirks on: ${r.quirkIds.length ? r.quirkIds.join(', ') : 'none'}.`,
    ),
    '',
    '"shortest" marks a counterexample certified by exhaustive search: no shorter sequence of the search alphabet (`src/search/explore-args.ts`) breaks the invariant.',
    '',
  ];
  for (const r of runs) {
    const d = findDesign(r.spec.design);
    out.push(`## \`${r.spec.design}\``, '', d?.description ?? '', '');
    if (d?.assumptions.length) out.push(...d.assumptions.map((a) => `- Assumes: ${a}`), '');
    if (r.counterexamples.length === 0) {
      out.push(`No violation in ${r.runs} workloads (${r.steps} steps).`, '');
      continue;
    }
    for (const c of r.counterexamples) {
      const inv = invariants.find((i) => i.id === c.invariant)!;
      const file = links.get(r)?.get(c.invariant);
      out.push(
        `### ${c.invariant} (${c.category}, spec ${inv.spec}): ${c.trace.length} steps${file ? `, [${file.split('/').pop()}](${file})` : ''}`,
        '',
        `Rule: ${inv.statement}. Kernel: ${inv.kernel}.`,
        '',
        '```',
        ...formatTrace(r.world0, c.trace),
        `!! ${c.invariant}: ${c.message}`,
        '```',
        '',
      );
    }
  }
  return out.join('\n');
}

/** the kernel model alone (compare --kernel-model): profile x caller mode x invariant */
export function renderKernelModelMarkdown(runs: readonly CheckRun[], meta: CompareMeta): string {
  return [
    '# irqcheck: kernel model campaign',
    '',
    `Seed ${meta.seed}, ${meta.runs} runs of up to ${meta.steps} steps per column, configuration \`${meta.config}\`. ` +
      "legal: a caller that keeps every documented precondition (a violation is the kernel's); any: one step in four may misuse the API.",
    'A cell gives the shortest counterexample found (steps); files are in `counterexamples/`.',
    '',
    renderMatrix(runs, true),
    '',
    ...runs.flatMap((r) => ['```', renderRunText(r), '```', '']),
  ].join('\n');
}
