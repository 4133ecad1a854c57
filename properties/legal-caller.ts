/*
 * The legal-caller property: under any sequence of calls whose documented preconditions hold,
 * every invariant holds and the kernel never WARNs, BUGs or touches freed memory. This
 * validates the model itself. Quirks (real-kernel deviations) are off here; see
 * quirks.property.test.ts for what the engine finds with them on.
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { bootWorld } from '../models/machine/boot.ts';
import { kernelProfile, type KernelVersion } from '../models/world/profile.ts';
import { smallConfig } from '../models/world/platform.ts';
import { runChoices, type RunResult } from '../src/run/run.ts';
import type { World } from '../models/world/types.ts';
import { sequenceArbitrary } from '../src/run/sequences.ts';
import { shrinkOps } from '../src/shrink/shrink.ts';
import { formatTrace } from '../src/report/trace.ts';

/**
 * what a legal run must not show: a violated invariant (shrunk, with its trace) or a WARN, BUG or
 * use-after-free. Plain checks for one assertion per run (expect() in hot loops is slow).
 */
export function legalRunProblems(w0: World, r: RunResult): string[] {
  const problems: string[] = [];
  if (r.violations.length > 0) {
    // our own shrinker gives the short trace; fast-check's would be slow on 50+ steps
    const v = r.violations[0]!;
    const s = shrinkOps(
      w0,
      r.trace.map((t) => t.op),
      v.invariant,
    );
    problems.push(`${v.invariant}: ${v.message}\n${formatTrace(w0, s.trace).join('\n')}`);
  }
  const bad = r.trace.find((t) => t.outcome === 'warned' || t.outcome === 'bug' || t.outcome === 'use-after-free');
  if (bad) problems.push(`${bad.op.type} -> ${bad.outcome}: ${bad.why}`);
  return problems;
}

/** the legal-caller property on one kernel version (one test file per version: they run in parallel) */
export function legalCallerProperty(version: KernelVersion): void {
  describe(`legal caller on ${version} (small configuration)`, () => {
    const w0 = bootWorld(kernelProfile(version, { quirks: false }), smallConfig);
    let sequences = 0;
    let steps = 0;

    test.prop([sequenceArbitrary(50, 60)], { numRuns: 1000, endOnFailure: true })(
      '1000 sequences of 50-60 steps: no violation, no WARN/BUG/UAF',
      (seq) => {
        const r = runChoices(w0, seq, { mode: 'legal' });
        sequences++;
        steps += r.trace.length;
        expect(r.trace.length).toBe(seq.length); // no step skipped: every generated step ran
        expect(legalRunProblems(w0, r)).toEqual([]);
      },
    );

    test.prop([sequenceArbitrary(50, 60)], { numRuns: 1 })('sequences are long and exercise the stack', () => {
      expect(sequences).toBeGreaterThanOrEqual(1000);
      expect(steps).toBeGreaterThanOrEqual(50_000);
    });
  });
}
