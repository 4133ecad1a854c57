/*
 * bench/explore.ts - exhaustive search throughput per built-in design, small configuration, by
 * depth: distinct states, transitions, distinct states/s and transitions/s (CPU time of the
 * search), peak memory, and the search's transitions/s against the bare model's steps/s on the
 * same transitions. Prints figures; not a test.
 *
 * Each design runs in a child process (peak RSS is per process). One search per design goes to
 * the deepest depth; each layer's figures are cumulative from the initial state, as a search to
 * that depth would report them. A layer past BENCH_MAX_STATES distinct states is cut short and
 * marked so.
 *   BENCH_DEPTHS=4-8 (default)  BENCH_MAX_STATES=200000 (default)  BENCH_DESIGNS=a,b (default: all built-in)
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { builtinDesignNames } from '../models/designs/index.ts';
import { step } from '../models/step.ts';
import type { Op } from '../models/ops.ts';
import type { World } from '../models/world/types.ts';
import { worldFor } from '../src/run/check.ts';
import { workloadOpTypes } from '../src/generate/workload.ts';
import { enumerateOps } from '../src/search/explore-args.ts';
import { explore } from '../src/search/explore.ts';

const [lo, hi] = (process.env.BENCH_DEPTHS ?? '4-8').split('-').map(Number) as [number, number?];
const maxDepth = hi ?? lo;
const maxStates = Number(process.env.BENCH_MAX_STATES ?? 200_000);
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** bare model steps/s: step() alone over the transitions out of the depth-3 frontier, warm */
function bareStepsPerSecond(w0: World): number {
  const frontier = explore(w0, { depth: 3, types: workloadOpTypes, keepFrontier: true }).frontier ?? [];
  const pairs: [World, Op][] = frontier.flatMap((f) =>
    enumerateOps(f.world, workloadOpTypes).map((op): [World, Op] => [f.world, op]),
  );
  for (const [w, op] of pairs) step(w, op);
  const t = cpuMs();
  for (const [w, op] of pairs) step(w, op);
  return (pairs.length / (cpuMs() - t)) * 1000;
}

function benchDesign(design: string): void {
  const w0 = worldFor({ design, config: 'small', kernel: '6.2', quirks: true });
  const bare = bareStepsPerSecond(w0);
  const t0 = cpuMs();
  const rows: string[] = [];
  const row = (depth: number, states: number, transitions: number, cut: boolean) => {
    const s = (cpuMs() - t0) / 1000;
    const mb = process.resourceUsage().maxRSS / 1024;
    const cells = [
      design.padEnd(16),
      String(depth).padStart(5),
      states.toLocaleString('en-US').padStart(10),
      transitions.toLocaleString('en-US').padStart(11),
      (states / s).toFixed(0).padStart(9),
      (transitions / s).toFixed(0).padStart(9),
      mb.toFixed(0).padStart(8),
      (transitions / s / bare).toFixed(2).padStart(10),
      cut ? '  (state budget hit)' : '',
    ];
    rows.push(cells.join(' '));
    console.log(rows.at(-1));
  };
  const r = explore(w0, {
    depth: maxDepth,
    types: workloadOpTypes,
    maxStates,
    onProgress: (p) => {
      // called after each layer (p.depth just completed) and every 10,000 states
      if (p.depth >= lo && rows.length < p.depth - lo + 1 && p.states < maxStates)
        row(p.depth, p.states, p.transitions, false);
    },
  });
  if (!r.complete) row(r.depthReached + 1, r.states, r.transitions, true);
  console.log(`${''.padEnd(16)} bare model on these transitions: ${bare.toFixed(0)} steps/s (CPU)`);
}

const only = process.argv[2];
if (only) benchDesign(only);
else {
  const designs = process.env.BENCH_DESIGNS?.split(',') ?? [...builtinDesignNames];
  console.log(`exhaustive search, small configuration, kernel 6.2, depths ${lo}..${maxDepth}, CPU time`);
  console.log(
    'design           depth     states transitions  states/s  trans/s  peak MB  ratio/bare (search transitions/s over bare model steps/s)',
  );
  for (const d of designs) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), d], { stdio: 'inherit' });
    if (r.status !== 0) process.exitCode = 1;
  }
}
