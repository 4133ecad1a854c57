/*
 * Any caller on the DSA stack: campaigns over the idxd/mdev/DMAR operations (and the generic
 * calls a careless PF driver could make on the same device) must find, and shrink, isolation
 * violations, lifetime violations involving mdevs, and violations after a DMAR hot-remove.
 * The operation mix is a focus, as a user would set it to test one subsystem; the invariants
 * checked are whole categories, and what is found is whatever the engine finds.
 */
import { describe, expect, it } from 'vitest';
import { bootWorld } from '../models/machine/boot.ts';
import { kernelProfile } from '../models/world/profile.ts';
import { smallConfig } from '../models/world/platform.ts';
import type { OpType } from '../models/ops.ts';
import { runCampaign, type Counterexample } from '../src/run/campaign.ts';
import { runOps } from '../src/run/run.ts';
import { invariants, type Category } from './index.ts';

const dsaFocus: readonly OpType[] = [
  'idxdProbe',
  'idxdWqConfig',
  'idxdEngineConfig',
  'idxdDeviceEnable',
  'idxdDeviceDisable',
  'idxdWqEnable',
  'idxdWqDisable',
  'mdevCreate',
  'mdevOpen',
  'mdevRelease',
  'mdevRemove',
  'dsaImsInterrupt',
  'dmarHotRemove',
  'dmarHotAdd',
  'deviceReleaseDriver',
  'deviceUnregister',
  'pciImsAllocIrq',
  'pciImsFreeIrq',
  'requestIrq',
  'freeIrq',
  'msiRemoveDeviceIrqDomain',
  'cpuOffline',
  'cpuOnline',
];

const w0 = bootWorld(kernelProfile('6.2'), smallConfig);
const ofCategory = (category: Category) => invariants.filter((i) => i.category === category).map((i) => i.id);
const campaign = (only: readonly string[], runs: number) =>
  runCampaign(w0, { mode: 'any', runs, minSteps: 20, maxSteps: 60, seed: 4, types: dsaFocus, only: new Set(only) });
const uses = (c: Counterexample, types: readonly OpType[]) => c.trace.some((s) => types.includes(s.op.type));
const replays = (c: Counterexample) =>
  runOps(
    w0,
    c.trace.map((s) => s.op),
    { only: new Set([c.invariant]) },
  ).violations.some((v) => v.invariant === c.invariant);

describe('any caller on the DSA stack (6.2)', () => {
  const lifetime = campaign(ofCategory('lifetime'), 200);

  it('finds an isolation violation on a DSA PF, shrunk', () => {
    const r = campaign(ofCategory('isolation'), 120);
    const c = r.counterexamples.find((x) => uses(x, ['idxdProbe']));
    expect(c).toBeDefined();
    expect(c!.category).toBe('isolation');
    expect(c!.trace.length).toBeLessThan(c!.originalLength);
    expect(replays(c!)).toBe(true);
  });

  it('finds a lifetime violation involving an mdev, shrunk', () => {
    // the lifetime invariant about mdevs, on its own so that shorter finds do not mask it
    const r = campaign(['mdev-parent-lifetime'], 400);
    const c = r.counterexamples.find((x) => uses(x, ['mdevCreate']));
    expect(c).toBeDefined();
    expect(c!.trace.length).toBeLessThanOrEqual(12);
    expect(replays(c!)).toBe(true);
  });

  it('finds a lifetime violation after a DMAR hot-remove, shrunk', () => {
    const c = lifetime.counterexamples.find((x) => uses(x, ['dmarHotRemove']));
    expect(c).toBeDefined();
    expect(c!.trace.length).toBeLessThanOrEqual(4);
    expect(replays(c!)).toBe(true);
  });
});
