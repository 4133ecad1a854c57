/*
 * src/report/html/counterexample-page.ts - one counterexample: the call trace (step, call,
 * outcome, what the step changed) and the hierarchy before and at the violating step
 */
import { relative } from 'node:path';
import type { CheckRun } from '../../run/check.ts';
import type { Counterexample } from '../../run/campaign.ts';
import type { World } from '../../../models/world/types.ts';
import type { TraceStep } from '../../run/run.ts';
import { step } from '../../../models/step.ts';
import { describeCall } from '../call.ts';
import { describeDiff } from '../diff.ts';
import { invariants } from '../../../properties/index.ts';
import { escapeHtml } from './escape.ts';
import { page, table, td } from './layout.ts';
import { diagramHtml } from './diagram.ts';

const outcomeText = (s: TraceStep): string =>
  [s.outcome, s.errno ? `-${s.errno}` : '', s.why ? `(${s.why})` : ''].filter(Boolean).join(' ');

/** the worlds along @trace from @w0: worlds[i] is the state after step i (worlds[0] = w0) */
export function worldsAlong(w0: World, trace: readonly TraceStep[]): World[] {
  const worlds = [w0];
  for (const s of trace) worlds.push(step(worlds.at(-1)!, s.op).world);
  return worlds;
}

/** counterexamplePage() - the page's HTML; @jsonFile is the replayable file, @pageDir where the page goes, @healthyLink: hierarchies.html exists */
export async function counterexamplePage(
  r: CheckRun,
  c: Counterexample,
  jsonFile: string | null,
  pageDir: string,
  healthyLink: boolean,
): Promise<string> {
  const inv = invariants.find((i) => i.id === c.invariant);
  const worlds = worldsAlong(r.world0, c.trace);
  const n = c.trace.length;
  const rows = c.trace.map((s, i) => [
    td(i + 1, 'num'),
    `<td class="call">${escapeHtml(describeCall(worlds[i]!, s.op))}</td>`,
    td(outcomeText(s)),
    `<td class="diff">${escapeHtml(describeDiff(worlds[i]!, worlds[i + 1]!).join('\n'))}</td>`,
  ]);
  const violation = { invariant: c.invariant, message: c.message };
  const title = `${r.spec.design}: ${c.invariant}`;
  const file = jsonFile ? relative(pageDir, jsonFile).split('\\').join('/') : null;
  const body = [
    `<nav><a href="../index.html">index</a>${healthyLink ? '<a href="hierarchies.html">healthy hierarchies</a>' : ''}</nav>`,
    `<h1>${escapeHtml(r.spec.design)}: <code>${escapeHtml(c.invariant)}</code> violated in ${n} steps</h1>`,
    `<p>Kernel ${escapeHtml(r.spec.kernel)}, configuration <code>${escapeHtml(r.spec.config)}</code>, ${escapeHtml(r.spec.mode)} caller, seed ${r.spec.seed}; found in run ${c.foundInRun + 1} at step ${c.originalLength}, shrunk to ${n}.` +
      (file
        ? ` Replay: <code>npx irqcheck replay <a href="${escapeHtml(file)}">${escapeHtml(file.split('/').pop()!)}</a></code>.`
        : '') +
      '</p>',
    inv
      ? `<p>Rule (${escapeHtml(inv.category)}, spec ${escapeHtml(inv.spec)}): ${escapeHtml(inv.statement)}. Kernel: ${escapeHtml(inv.kernel)}.</p>`
      : '',
    `<p class="msg">!! ${escapeHtml(c.invariant)}: ${escapeHtml(c.message)}</p>`,
    '<h2>Call trace</h2>',
    table(['step', 'call', 'outcome', 'what it changed'], rows),
    `<h2 id="at">The hierarchy at step ${n} (the violation)</h2>`,
    await diagramHtml(worlds[n]!, `after step ${n}: ${c.invariant}`, violation),
    `<h2 id="before">The hierarchy at step ${n - 1} (before it)</h2>`,
    await diagramHtml(worlds[n - 1]!, n > 1 ? `after step ${n - 1}` : 'after boot', violation),
  ];
  return page(title, body.join('\n'));
}
