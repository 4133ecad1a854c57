/*
 * src/report/model-coverage.ts - which model code a campaign reached (`check|compare
 * --coverage`): V8 coverage of the run, read back with c8 and kept to models/, per file and per
 * folder (kernel/irq, arch/x86, drivers/...). A line the campaigns never ran is a kernel path
 * the workload never exercised: a gap, not a pass.
 */
import { Report } from 'c8';
import { relative } from 'node:path';
import { escapeHtml } from './html/escape.ts';

export interface Reach {
  readonly statements: number;
  readonly branches: number;
  readonly functions: number;
  /** percentage of statements, one decimal */
  readonly pct: number;
}

export interface FileReach extends Reach {
  readonly file: string;
  /** line ranges never run, e.g. "12-18" */
  readonly uncovered: readonly string[];
}

export interface ModelCoverage {
  readonly totals: Reach;
  readonly folders: readonly (Reach & { readonly folder: string })[];
  readonly files: readonly FileReach[];
}

interface Summary {
  statements: { total: number; covered: number };
  branches: { total: number; covered: number };
  functions: { total: number; covered: number };
}
interface FileCoverage {
  toSummary(): { data: Summary };
  getUncoveredLines(): (string | number)[];
}

const pct = (covered: number, total: number): number => (total === 0 ? 100 : Math.round((covered / total) * 1000) / 10);

/** "12-18, 20" from [12, 13, ..., 18, 20] */
function ranges(lines: readonly number[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) j++;
    out.push(i === j ? `${lines[i]}` : `${lines[i]}-${lines[j]}`);
    i = j + 1;
  }
  return out;
}

function reachOf(parts: readonly Summary[]): Reach {
  const sum = (k: keyof Summary, f: 'total' | 'covered') => parts.reduce((n, p) => n + p[k][f], 0);
  return {
    statements: sum('statements', 'covered'),
    branches: sum('branches', 'covered'),
    functions: sum('functions', 'covered'),
    pct: pct(sum('statements', 'covered'), sum('statements', 'total')),
  };
}

/** the folder a model file is counted under: models/kernel/irq, models/drivers/pci, ... */
const folderOf = (file: string): string => file.split('/').slice(0, -1).join('/') || '.';

/** readModelCoverage() - the model's reach from the V8 coverage files in @tempDirectory */
export async function readModelCoverage(tempDirectory: string, root = process.cwd()): Promise<ModelCoverage> {
  const report = new Report({
    tempDirectory,
    include: ['models/**'],
    exclude: [],
    reporter: [],
    all: false,
    src: [root],
    excludeNodeModules: true,
  });
  // c8's typings leave out the method its own run() uses to build the istanbul coverage map
  const reader = report as unknown as { getCoverageMapFromAllCoverageFiles(): Promise<unknown> };
  const map = (await reader.getCoverageMapFromAllCoverageFiles()) as {
    files(): string[];
    fileCoverageFor(f: string): FileCoverage;
  };
  const rows: { file: string; summary: Summary; uncovered: number[] }[] = map
    .files()
    .map((f) => {
      const fc = map.fileCoverageFor(f);
      return { file: relative(root, f), summary: fc.toSummary().data, uncovered: fc.getUncoveredLines().map(Number) };
    })
    .filter((r) => r.file.startsWith('models/'))
    .sort((a, b) => (a.file < b.file ? -1 : 1));
  const folders = [...new Set(rows.map((r) => folderOf(r.file)))];
  return {
    totals: reachOf(rows.map((r) => r.summary)),
    folders: folders.map((folder) => ({
      folder,
      ...reachOf(rows.filter((r) => folderOf(r.file) === folder).map((r) => r.summary)),
    })),
    files: rows.map((r) => ({ file: r.file, ...reachOf([r.summary]), uncovered: ranges(r.uncovered) })),
  };
}

/** the terminal table: per folder, then the files the campaign reached least */
export function renderModelCoverage(c: ModelCoverage): string {
  const lines = ['coverage of the model by generation (statements run / statements, by folder):'];
  for (const f of c.folders) lines.push(`  ${f.folder.padEnd(34)} ${String(f.pct).padStart(5)}%`);
  lines.push(`  ${'all of models/'.padEnd(34)} ${String(c.totals.pct).padStart(5)}%`);
  const least = [...c.files].sort((a, b) => a.pct - b.pct || (a.file < b.file ? -1 : 1)).slice(0, 5);
  lines.push(
    'least reached:',
    ...least.map(
      (f) =>
        `  ${f.file.padEnd(44)} ${String(f.pct).padStart(5)}%  never ran lines ${f.uncovered.slice(0, 6).join(', ')}${f.uncovered.length > 6 ? ', ...' : ''}`,
    ),
  );
  return lines.join('\n');
}

/** the HTML section (compare --coverage inserts it into index.html) */
export function modelCoverageSection(c: ModelCoverage): string {
  const row = (name: string, r: Reach, extra = '') =>
    `<tr><td><code>${escapeHtml(name)}</code></td><td class="num">${r.pct}%</td><td>${escapeHtml(extra)}</td></tr>`;
  return [
    '<h2 id="model-coverage">Coverage of the model by generation</h2>',
    '<p>Statements of <code>models/</code> that the campaigns ran (V8 coverage read with c8). A line no run reached is a kernel path the workload never exercised.</p>',
    '<table><thead><tr><th>folder / file</th><th>statements run</th><th>lines never run</th></tr></thead><tbody>',
    ...c.folders.flatMap((f) => [
      row(`${f.folder}/`, f),
      ...c.files.filter((x) => folderOf(x.file) === f.folder).map((x) => row(x.file, x, x.uncovered.join(', '))),
    ]),
    row('all of models/', c.totals),
    '</tbody></table>',
  ].join('\n');
}
