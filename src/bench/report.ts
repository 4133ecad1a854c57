/*
 * src/bench/report.ts - the scoreboard as JSON and Markdown
 *
 * Everything is deterministic in the seeds except the CPU milliseconds: those are only in
 * engines[].medianMsToDetect (the JSON contract the HTML index reads) and in the separate
 * `timing` part.
 */
import { benchEngines } from './engines.ts';
import { median, type BenchResult } from './bench.ts';

export function toBenchJson(r: BenchResult) {
  return {
    seeds: r.seeds,
    budget: { unit: 'model steps', ...r.budget },
    engines: r.engines.map((e) => ({ ...e })),
    faults: r.faults.map((f) => ({
      id: f.id,
      hash: f.hash,
      subject: f.subject,
      kernel: f.kernel,
      platform: f.platform,
      bestFoundLength: f.bestFoundLength,
      results: f.results.map(({ perSeed, ...rest }) => ({
        ...rest,
        perSeed: perSeed.map(({ cpuMsToDetect: _ms, ...s }) => s),
      })),
    })),
    timing: {
      note: TIMING_NOTE,
      faults: r.faults.flatMap((f) =>
        f.results.map((x) => ({
          id: f.id,
          engine: x.engine,
          medianMsToDetect: median(x.perSeed.filter((s) => s.detected).map((s) => Math.round(s.cpuMsToDetect ?? 0))),
        })),
      ),
    },
  };
}

const TIMING_NOTE =
  'CPU milliseconds (process.cpuUsage(), user + system; Node 20 has no per-thread CPU clock and the search runs on the main thread) from the start of a search to its first violating step, before shrinking; sequences are generated one at a time, so the figure holds only the runs made. They vary from run to run';

export type BenchJson = ReturnType<typeof toBenchJson>;

const pct = (x: number | null) => (x === null ? '-' : `${Math.round(x * 100)}%`);

export function renderBenchMarkdown(r: BenchResult, command: string): string {
  const names = r.engines.map((e) => e.engine);
  const out: string[] = [];
  out.push('# Bug benchmark: catalog faults x engines', '');
  out.push(`\`${command}\``, '');
  out.push(
    `Each fault of \`models/faults/catalog.ts\` is switched on alone in the kernel model (legal caller, quirks off, ` +
      `at the kernel version and on the platform the bug needs); every engine searches it with seeds 1..${r.seeds} ` +
      `and the same budget of **${r.budget.modelSteps} model steps** per search (a model step: one call of the transition function with the invariant checks after it; ` +
      `random sequences of ${r.budget.minSteps}-${r.budget.maxSteps} steps), stopping at the first violation, which it shrinks (shrinking is not counted). ` +
      `The exception is \`fast-check-default\`, fast-check as first written: ${r.budget.runs} runs at its default size, which execute far fewer steps (column \`steps used\` below). ` +
      'A cell reads `detected/seeds  median runs to detect  median shrunk length`.',
    '',
  );
  out.push('## Engines', '');
  for (const e of benchEngines.filter((x) => names.includes(x.name))) out.push(`- \`${e.name}\`: ${e.summary}`);
  out.push('');
  out.push('## Scoreboard', '');
  out.push(`| fault | kernel, platform | ${names.join(' | ')} | best length | caught by |`);
  out.push(`|---|---|${names.map(() => '---').join('|')}|---|---|`);
  for (const f of r.faults) {
    const cells = f.results.map((x) =>
      x.detected === 0 ? `0/${x.seeds}` : `${x.detected}/${x.seeds}  r${x.medianRunsToDetect}  len ${x.shrunkLength}`,
    );
    const caught = [...new Set(f.results.flatMap((x) => x.caughtBy.map((c) => `${c.invariant} (${c.category})`)))]
      .sort()
      .join(', ');
    out.push(
      `| ${f.id} ${f.hash.slice(0, 12)} | ${f.kernel} ${f.platform} | ${cells.join(' | ')} | ${f.bestFoundLength ?? '-'} | ${caught || '-'} |`,
    );
  }
  out.push('');
  out.push('## Totals', '');
  out.push(
    '| engine | detection rate | detected | shortest share | median model steps to detect | model steps used (all searches) |',
  );
  out.push('|---|---|---|---|---|---|');
  for (const e of r.engines)
    out.push(
      `| ${e.engine} | ${pct(e.detectionRate)} | ${e.detected}/${e.attempts} | ${pct(e.shortestShare)} | ${e.medianStepsToDetect ?? '-'} | ${e.stepsUsed} |`,
    );
  out.push('');
  out.push(
    "Shortest share: the share of an engine's detections whose shrunk trace is as short as " +
      (r.engines.every((e) => e.shortestBasis === 'certified')
        ? 'the certified shortest trace.'
        : 'the shortest trace any engine found for that fault (no exhaustive engine has certified a shortest length yet).'),
    '',
  );
  out.push('## Where the engines differ', '');
  const differ = r.faults.filter((f) => new Set(f.results.map((x) => x.detected)).size > 1);
  for (const f of differ)
    out.push(`- ${f.id}: ${f.results.map((x) => `${x.engine} ${x.detected}/${x.seeds}`).join(', ')}`);
  if (differ.length === 0) out.push('- every engine detected every fault on the same number of seeds');
  const best = Math.max(...r.engines.map((e) => e.detectionRate));
  out.push(
    '',
    `Totals: ${r.engines.map((e) => `${e.engine} ${pct(e.detectionRate)} detected, ${pct(e.shortestShare)} shortest`).join('; ')}. ` +
      `Highest detection rate: ${r.engines
        .filter((e) => e.detectionRate === best)
        .map((e) => e.engine)
        .join(', ')}.`,
    '',
  );
  out.push('## Timing (varies from run to run; everything above is deterministic)', '');
  out.push(`${TIMING_NOTE}.`, '');
  out.push(`| engine | median CPU ms to detect |`);
  out.push('|---|---|');
  for (const e of r.engines) out.push(`| ${e.engine} | ${e.medianMsToDetect ?? '-'} |`);
  out.push('');
  return out.join('\n');
}
