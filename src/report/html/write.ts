/*
 * src/report/html/write.ts - write the HTML report of a compare run: <out>/index.html, one page
 * per counterexample and the healthy hierarchies under <out>/html/ (static files, no network)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckRun } from '../../run/check.ts';
import type { CompareMeta } from '../compare.ts';
import { counterexampleName } from '../results.ts';
import { safeFileName } from './escape.ts';
import { counterexamplePage } from './counterexample-page.ts';
import { hierarchiesPage } from './hierarchies-page.ts';
import { indexPage } from './index-page.ts';
import { benchSection } from './bench-section.ts';

/** writeHtmlReport() - every page; @files: the counterexample JSON files by run and invariant. Returns the index path. */
export async function writeHtmlReport(
  runs: readonly CheckRun[],
  meta: CompareMeta,
  files: Map<CheckRun, Map<string, string>>,
  out: string,
): Promise<string> {
  const dir = join(out, 'html');
  mkdirSync(dir, { recursive: true });
  // the healthy hierarchy needs a design: the kernel model alone has none to show
  const designs = runs.filter((r) => r.spec.mode === 'workload');
  const pages = new Map<CheckRun, Map<string, string>>();
  for (const r of runs) {
    const mine = new Map<string, string>();
    for (const c of r.counterexamples) {
      const name = `${safeFileName(counterexampleName(r, c.invariant).replace(/\.json$/, ''))}.html`;
      writeFileSync(
        join(dir, name),
        await counterexamplePage(r, c, files.get(r)?.get(c.invariant) ?? null, dir, designs.length > 0),
      );
      mine.set(c.invariant, `html/${name}`);
    }
    pages.set(r, mine);
  }
  if (designs.length) writeFileSync(join(dir, 'hierarchies.html'), await hierarchiesPage(designs));
  const index = join(out, 'index.html');
  writeFileSync(
    index,
    indexPage(
      runs,
      meta,
      pages,
      benchSection(join(out, 'bench.json')),
      designs.length ? 'html/hierarchies.html' : null,
    ),
  );
  return index;
}
