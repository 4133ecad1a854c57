/*
 * The legality predicate used to keep shrunk legal-caller traces legal agrees with generation:
 * every operation a legal campaign generates is judged legal where it ran, and misuse is not.
 */
import { describe, expect, it } from 'vitest';
import { step } from '../../models/step.ts';
import { generateSequences } from '../../src/run/campaign.ts';
import { runChoices } from '../../src/run/run.ts';
import { isLegalOp } from '../../src/generate/op-specs.ts';
import { boot, DSA0 } from '../helpers.ts';

describe.each(['5.10', '6.2'] as const)('isLegalOp on %s', (version) => {
  const w0 = boot(version);
  it('accepts every operation of 100 generated legal sequences', () => {
    const bad: string[] = [];
    for (const s of generateSequences({ runs: 100, minSteps: 40, maxSteps: 50, seed: 8 })) {
      let w = w0;
      for (const t of runChoices(w0, s, { mode: 'legal', check: false }).trace) {
        if (!isLegalOp(w, t.op)) bad.push(t.op.type);
        w = step(w, t.op).world;
      }
    }
    expect(bad).toEqual([]);
  });
  it('rejects misuse: removing the vector domain, freeing an irq nobody requested, unregistering a bound device', () => {
    expect(isLegalOp(w0, { type: 'irqDomainRemove', domain: w0.vectorDomain })).toBe(false);
    expect(isLegalOp(w0, { type: 'freeIrq', virq: 1 })).toBe(false);
    const bound = step(w0, { type: 'idxdProbe', pf: DSA0, fail: null }).world;
    expect(isLegalOp(bound, { type: 'deviceUnregister', dev: DSA0 })).toBe(false);
    expect(isLegalOp(bound, { type: 'deviceReleaseDriver', dev: DSA0 })).toBe(true);
  });
});
