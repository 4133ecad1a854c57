/*
 * src/report/results.ts - campaign results as the JSON contract, Markdown and terminal text
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckRun } from '../run/check.ts';
import { invariants } from '../../properties/index.ts';
import { formatTrace } from './trace.ts';
import { toCounterexampleFile } from './counterexample.ts';
import { saveToCorpus } from './corpus.ts';
import { describeCall } from './call.ts';
import { step } from '../../models/step.ts';

export interface ViolationJson {
  readonly invariant: string;
  readonly category: string;
  readonly message: string;
  readonly trace: readonly {
    readonly op: string;
    readonly args: Record<string, unknown>;
    readonly call: string;
    readonly outcome: string;
  }[];
  readonly length: number;
  /** true when certified shortest by exhaustive search, false when the search could not tell, null when not asked */
  readonly minimal: boolean | null;
  readonly foundLength: number;
  readonly file: string | null;
}

/** a violation's call trace as numbered lines, then the rule it breaks (JUnit bodies, CI annotations) */
export const violationText = (v: ViolationJson): string =>
  `${v.trace.map((s, i) => `${String(i + 1).padStart(3)}  ${s.call} = ${s.outcome}`).join('\n')}\n!! ${v.invariant}: ${v.message}${v.file ? `\nreplay: npx irqcheck replay ${v.file}` : ''}`;

export interface ResultJson {
  readonly design: string;
  readonly kernel: string;
  readonly quirks: readonly string[];
  readonly config: string;
  readonly mode: string;
  readonly seed: number;
  readonly runs: number;
  readonly steps: number;
  readonly violations: readonly ViolationJson[];
}

export const runLabel = (r: CheckRun): string =>
  `${r.spec.design}-${r.spec.kernel}-${r.spec.mode}${r.spec.faults?.length ? `-${r.spec.faults.join('-')}` : ''}`;

/** counterexample file name: stable, one per design/kernel/mode/invariant */
export const counterexampleName = (r: CheckRun, invariant: string): string => `${runLabel(r)}-${invariant}.json`;

/** write every counterexample of @r under @dir (and keep it in @corpus); returns the paths by invariant */
export function saveCounterexamples(r: CheckRun, dir: string, corpus: string | null = null): Map<string, string> {
  mkdirSync(dir, { recursive: true });
  const paths = new Map<string, string>();
  for (const c of r.counterexamples) {
    const file = toCounterexampleFile(
      {
        design: r.spec.design,
        ...(r.spec.designFile ? { designFile: r.spec.designFile } : {}),
        kernel: r.spec.kernel,
        quirks: r.quirkIds,
        ...(r.spec.faults?.length ? { faults: r.spec.faults } : {}),
        config: r.spec.config,
        mode: r.spec.mode,
        invariant: c.invariant,
        category: c.category,
        message: c.message,
      },
      c.trace,
    );
    const path = join(dir, counterexampleName(r, c.invariant));
    writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`);
    if (corpus) saveToCorpus(corpus, file);
    paths.set(c.invariant, path);
  }
  return paths;
}

export function toResultJson(r: CheckRun, files: Map<string, string> | null): ResultJson {
  return {
    design: r.spec.design,
    kernel: r.spec.kernel,
    quirks: r.quirkIds,
    config: r.spec.config,
    mode: r.spec.mode,
    seed: r.spec.seed,
    runs: r.runs,
    steps: r.steps,
    violations: r.counterexamples.map((c) => {
      let w = r.world0;
      const trace = c.trace.map((s) => {
        const { type, ...args } = s.op;
        const call = describeCall(w, s.op);
        w = step(w, s.op).world;
        return { op: type, args, call, outcome: s.outcome };
      });
      return {
        invariant: c.invariant,
        category: c.category,
        message: c.message,
        trace,
        length: c.trace.length,
        minimal: c.minimal ?? null,
        foundLength: c.originalLength,
        file: files?.get(c.invariant) ?? null,
      };
    }),
  };
}

/** the counterexamples of one run as readable text */
export function renderRunText(r: CheckRun): string {
  const out: string[] = [];
  const head = `${r.spec.design} on ${r.spec.kernel} (${r.spec.mode} caller, config ${r.spec.config}, seed ${r.spec.seed}${r.quirkIds.length ? `, quirks: ${r.quirkIds.join(', ')}` : ''}${r.spec.faults?.length ? `, faults: ${r.spec.faults.join(', ')}` : ''})`;
  out.push(`${head}: ${r.runs} runs, ${r.steps} steps, ${r.counterexamples.length} invariant(s) violated`);
  for (const c of r.counterexamples) {
    const cert = c.minimal === undefined ? '' : c.minimal ? ', certified shortest' : ', not certified';
    out.push('', `✗ ${c.invariant} [${c.category}]  (${c.trace.length} steps, found at ${c.originalLength}${cert})`);
    for (const l of formatTrace(r.world0, c.trace)) out.push(`    ${l}`);
    out.push(`    !! ${c.invariant}: ${c.message}`);
  }
  return out.join('\n');
}

/** design × invariant matrix: rows invariants, columns runs (designs); @links: counterexample file per run and invariant */
export function renderMatrix(
  runs: readonly CheckRun[],
  markdown: boolean,
  links?: Map<CheckRun, Map<string, string>>,
): string {
  const cols = runs.map((r) => (r.spec.mode === 'workload' ? r.spec.design : `${r.spec.kernel} ${r.spec.mode}`));
  const rows = invariants.map((inv) => [
    inv.id,
    inv.category,
    ...runs.map((r) => {
      const c = r.counterexamples.find((x) => x.invariant === inv.id);
      if (!c) return 'holds';
      const file = links?.get(r)?.get(inv.id);
      const n = `${c.trace.length}${c.minimal ? ', shortest' : ''}`;
      return markdown && file ? `[**violated** (${n})](${file})` : `violated (${n})`;
    }),
  ]);
  const header = ['invariant', 'category', ...cols];
  if (markdown) {
    return [
      `| ${header.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...rows.map((r) => `| ${r.join(' | ')} |`),
    ].join('\n');
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]) =>
    r
      .map((x, i) => x.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
