/*
 * The any-caller property: with misuse allowed (removing a domain in use, freeing twice, freeing
 * with a handler installed, unbinding with interrupts live, ...) the engine must find, and
 * shrink to a short trace, violations in each of the leak, lifetime, structure and atomicity
 * categories. Each campaign checks one category's invariants, as `irqcheck check --only` does,
 * so a run is not cut short by a violation of another category.
 */
import { describe, expect, it } from 'vitest';
import { bootWorld } from '../models/machine/boot.ts';
import { kernelProfile, kernelVersions } from '../models/world/profile.ts';
import { smallConfig } from '../models/world/platform.ts';
import { runCampaign } from '../src/run/campaign.ts';
import { runOps } from '../src/run/run.ts';
import { invariants, type Category } from './index.ts';

const categoriesToFind: readonly Category[] = ['leak', 'lifetime', 'structure', 'atomicity'];

describe.each(kernelVersions)('any caller on %s', (version) => {
  const w0 = bootWorld(kernelProfile(version), smallConfig);
  it.each(categoriesToFind)('finds and shrinks a %s violation', (category) => {
    const only = new Set(invariants.filter((i) => i.category === category).map((i) => i.id));
    const r = runCampaign(w0, {
      mode: 'any',
      runs: 400,
      minSteps: 10,
      maxSteps: 40,
      seed: 11,
      only,
      stopAtFirst: true,
    });
    expect(r.counterexamples.length).toBeGreaterThan(0);
    const c = r.counterexamples[0]!;
    expect(c.category).toBe(category);
    expect(c.trace.length).toBeLessThanOrEqual(8);
    expect(c.trace.length).toBeLessThanOrEqual(c.originalLength);
    // the shrunk trace is concrete: replaying its operations breaks the same invariant
    const replay = runOps(
      w0,
      c.trace.map((s) => s.op),
      { only: new Set([c.invariant]) },
    );
    expect(replay.violations.map((v) => v.invariant)).toContain(c.invariant);
  });
});
