/*
 * bench/model-steps.ts - bare model steps/s vs checked steps/s (every invariant after every step)
 * on the small configuration, legal-caller sequences. Prints figures and their ratio; not a test.
 *
 * Both loops replay the same pre-generated operations, so only the checking differs.
 */
import { bootWorld } from '../models/machine/boot.ts';
import { kernelProfile, kernelVersions } from '../models/world/profile.ts';
import { smallConfig } from '../models/world/platform.ts';
import { step } from '../models/step.ts';
import type { Op } from '../models/ops.ts';
import { checkStep } from '../properties/index.ts';
import { generateSequences } from '../src/run/campaign.ts';
import { runChoices } from '../src/run/run.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 300);
const REPEAT = 3;

function timeIt(f: () => number): { ms: number; steps: number } {
  let best = Infinity;
  let steps = 0;
  for (let i = 0; i < REPEAT; i++) {
    const t = performance.now();
    steps = f();
    best = Math.min(best, performance.now() - t);
  }
  return { ms: best, steps };
}

for (const version of kernelVersions) {
  const w0 = bootWorld(kernelProfile(version, { quirks: false }), smallConfig);
  const seqs = generateSequences({ runs: RUNS, minSteps: 50, maxSteps: 60, seed: 1 });
  // the concrete operations of each legal sequence (generation is not what is measured)
  const opSeqs: Op[][] = seqs.map((s) => runChoices(w0, s, { mode: 'legal', check: false }).trace.map((t) => t.op));
  const bare = timeIt(() => {
    let n = 0;
    for (const ops of opSeqs) {
      let w = w0;
      for (const op of ops) {
        w = step(w, op).world;
        n++;
      }
    }
    return n;
  });
  const checked = timeIt(() => {
    let n = 0;
    let violations = 0;
    for (const ops of opSeqs) {
      let w = w0;
      for (const op of ops) {
        const o = step(w, op);
        violations += checkStep(w, op, o).length;
        w = o.world;
        n++;
      }
    }
    if (violations) console.error(`unexpected: ${violations} violations in legal sequences`);
    return n;
  });
  const generated = timeIt(() => {
    let n = 0;
    for (const s of seqs) n += runChoices(w0, s, { mode: 'legal' }).trace.length;
    return n;
  });
  const rate = (x: { ms: number; steps: number }) => (x.steps / x.ms) * 1000;
  console.log(`kernel ${version}, small configuration, ${bare.steps} steps (${RUNS} legal sequences of 50-60)`);
  console.log(`  bare model:            ${rate(bare).toFixed(0).padStart(8)} steps/s`);
  console.log(
    `  checked (all ${''}invariants): ${rate(checked).toFixed(0).padStart(8)} steps/s   ratio checked/bare = ${(rate(checked) / rate(bare)).toFixed(2)}`,
  );
  console.log(
    `  generated + checked:   ${rate(generated).toFixed(0).padStart(8)} steps/s   ratio to bare = ${(rate(generated) / rate(bare)).toFixed(2)}`,
  );
}
