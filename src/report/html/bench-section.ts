/*
 * src/report/html/bench-section.ts - the bench scoreboard (reports/bench.json, written by the
 * benchmark) as an index section; absent file, no section
 *
 * The file is another tool's output: it is validated, and a malformed one gives a one-line note
 * instead of a broken page. Every value is escaped.
 */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { escapeHtml } from './escape.ts';
import { table, td } from './layout.ts';

const benchSchema = z.object({
  engines: z.array(
    z.looseObject({
      engine: z.string(),
      detectionRate: z.number(),
      medianMsToDetect: z.number().nullable(),
      shortestShare: z.number(),
    }),
  ),
  faults: z.array(z.looseObject({ id: z.string(), hash: z.string(), results: z.array(z.unknown()) })),
});

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const show = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? 'null'));
const resultText = (r: unknown): string =>
  r !== null && typeof r === 'object'
    ? Object.entries(r as Record<string, unknown>)
        .map(([k, v]) => `${k}=${show(v)}`)
        .join(' ')
    : show(r);

/** benchSection() - the scoreboard's HTML, or '' when @path does not exist */
export function benchSection(path: string): string {
  if (!existsSync(path)) return '';
  let bench: z.infer<typeof benchSchema>;
  try {
    bench = benchSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
  } catch (e) {
    const why =
      e instanceof z.ZodError
        ? `${e.issues[0]?.path.join('.') ?? ''}: ${e.issues[0]?.message ?? ''}`
        : e instanceof Error
          ? e.message
          : String(e);
    return `<h2 id="bench">Bench scoreboard</h2>\n<p>bench.json is not a scoreboard (${escapeHtml(why.split('\n')[0]!)}).</p>`;
  }
  const engines = table(
    ['engine', 'detection rate', 'median ms to detect', 'shortest share'],
    bench.engines.map((e) => [
      td(e.engine),
      td(pct(e.detectionRate), 'num'),
      td(e.medianMsToDetect === null ? '-' : e.medianMsToDetect.toFixed(1), 'num'),
      td(pct(e.shortestShare), 'num'),
    ]),
  );
  const faults = table(
    ['fault', 'hash', 'results'],
    bench.faults.map((f) => [
      td(f.id),
      `<td><code>${escapeHtml(f.hash)}</code></td>`,
      `<td class="diff">${escapeHtml(f.results.map(resultText).join('\n'))}</td>`,
    ]),
  );
  return [
    '<h2 id="bench">Bench scoreboard</h2>',
    "<p>From <code>bench.json</code> (the benchmark: seeded faults, each engine's detection rate and time; timings vary from machine to machine).</p>",
    engines,
    faults,
  ].join('\n');
}
