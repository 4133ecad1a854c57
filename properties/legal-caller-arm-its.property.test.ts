/*
 * The legal-caller property on the arm-its platform (GIC-ITS, ITS-pMSI, mbigen; kernel 6.2):
 * every invariant holds and the kernel never WARNs, BUGs or touches freed memory (see
 * legal-caller.ts for the small platform).
 */
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { bootWorld } from '../models/machine/boot.ts';
import { kernelProfile } from '../models/world/profile.ts';
import { armItsConfig } from '../models/world/platform.ts';
import { runChoices } from '../src/run/run.ts';
import { sequenceArbitrary } from '../src/run/sequences.ts';
import { legalRunProblems } from './legal-caller.ts';

describe('legal caller on 6.2 (arm-its configuration)', () => {
  const w0 = bootWorld(kernelProfile('6.2', { quirks: false }), armItsConfig);
  let steps = 0;
  const seen = new Set<string>();

  test.prop([sequenceArbitrary(30, 40)], { numRuns: 200, endOnFailure: true })(
    '200 sequences of 30-40 steps: no violation, no WARN/BUG/UAF',
    (seq) => {
      const r = runChoices(w0, seq, { mode: 'legal' });
      steps += r.trace.length;
      for (const t of r.trace) if (t.outcome === 'ok') seen.add(t.op.type);
      expect(legalRunProblems(w0, r)).toEqual([]);
    },
  );

  test.prop([sequenceArbitrary(30, 40)], { numRuns: 1 })(
    'the runs exercise the ITS stack: PCI MSI/MSI-X, wired pins, hotplug',
    () => {
      expect(steps).toBeGreaterThanOrEqual(6000);
      for (const op of [
        'pciAllocIrqVectors',
        'pciFreeIrqVectors',
        'irqCreateFwspecMapping',
        'irqDisposeMapping',
        'requestIrq',
        'cpuOffline',
        'deviceReleaseDriver',
      ])
        expect(seen, op).toContain(op);
    },
  );
});
