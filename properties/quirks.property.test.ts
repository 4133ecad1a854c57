/*
 * Quirks: where the real kernel deviates from the contract the invariants state. For each one,
 * a directed sequence shows the invariant broken with the quirk on and holding with it off
 * (so the deviation is the quirk's doing), and for those a legal caller reaches by chance, a
 * legal-caller campaign with only that quirk on finds it without being told where to look.
 */
import { describe, expect, it } from 'vitest';
import { bootWorld } from '../models/machine/boot.ts';
import { kernelQuirks, type KernelVersion, type QuirkId } from '../models/world/profile.ts';
import { smallConfig } from '../models/world/platform.ts';
import type { Op } from '../models/ops.ts';
import { runOps } from '../src/run/run.ts';
import { runCampaign } from '../src/run/campaign.ts';

const world = (version: KernelVersion, quirks: QuirkId[]) => bootWorld({ version, quirks }, smallConfig);

interface Demo {
  readonly version: KernelVersion;
  readonly invariant: string;
  readonly ops: readonly Op[];
  /** a legal-caller campaign with only this quirk on finds it */
  readonly found: boolean;
}

const PLAT = 3;
const DSA0 = 0;

const demos: Record<QuirkId, Demo> = {
  'platform-msi-partial-alloc-leak': {
    version: '5.10',
    invariant: 'failed-op-atomic',
    found: true,
    ops: [
      { type: 'platformMsiCreateIrqDomain', parent: 0 },
      { type: 'devSetMsiDomain', dev: PLAT, domain: 6 },
      { type: 'driverProbe', dev: PLAT, managed: false, fail: false },
      { type: 'platformMsiDomainAllocIrqs', dev: PLAT, nvec: 3, fail: { site: 'vector', index: 2 } },
    ],
  },
  'msi-range-failure-frees-range': {
    version: '6.2',
    invariant: 'failed-op-atomic',
    found: true,
    ops: [
      { type: 'driverProbe', dev: DSA0, managed: false, fail: false },
      { type: 'pciCreateImsDomain', dev: DSA0, hwsize: 16 },
      { type: 'msiDomainAllocIrqsRange', dev: DSA0, domid: 1, first: 0, last: 0, fail: null },
      { type: 'msiDomainAllocIrqsRange', dev: DSA0, domid: 1, first: 0, last: 1, fail: { site: 'vector', index: 0 } },
    ],
  },
  'matrix-offline-managed-available': {
    version: '6.2',
    invariant: 'vector-accounting',
    found: true,
    ops: [
      { type: 'cpuOffline', cpu: 1 },
      { type: 'driverProbe', dev: DSA0, managed: false, fail: false },
      { type: 'pciAllocIrqVectors', dev: DSA0, min: 4, max: 4, irqType: 'msix', affinity: true, fail: null },
      { type: 'cpuOnline', cpu: 1 },
    ],
  },
  'lapic-online-clears-vector-irq': {
    version: '5.10',
    invariant: 'no-vector-leak',
    found: true,
    ops: [
      { type: 'irqDomainAllocIrqs', client: 'client0', domain: 0, n: 1, cpus: [1], fail: null },
      { type: 'cpuOffline', cpu: 1 },
      { type: 'cpuOnline', cpu: 1 },
    ],
  },
  'activate-keeps-stale-effective-affinity': {
    version: '6.2',
    invariant: 'no-vector-on-offline-cpu',
    found: false,
    ops: [
      // a fixed vector on CPU0; CPUs 2 and 3 full; affinity {2,3} stored while deactivated
      { type: 'irqDomainAllocIrqs', client: 'client0', domain: 0, n: 1, cpus: [0], fail: null },
      { type: 'irqDomainAllocIrqs', client: 'client1', domain: 0, n: 8, cpus: [2], fail: null },
      { type: 'irqDomainAllocIrqs', client: 'client1', domain: 0, n: 8, cpus: [3], fail: null },
      { type: 'irqSetAffinity', virq: 1, cpus: [2, 3], fromUser: false },
      // activation keeps CPU0 (nothing free on 2, 3): the effective mask still says {2,3}
      { type: 'requestIrq', virq: 1, dev: null, devm: false },
      // so CPU0 going down does not migrate it
      { type: 'cpuOffline', cpu: 0 },
    ],
  },
  'activate-ignores-vector-exhaustion': {
    version: '6.2',
    invariant: 'no-vector-on-offline-cpu',
    found: false,
    ops: [
      // a dormant fixed vector on CPU0, which goes offline (migrate_one_irq skips it)
      { type: 'irqDomainAllocIrqs', client: 'client0', domain: 0, n: 1, cpus: [0], fail: null },
      { type: 'cpuOffline', cpu: 0 },
      // every online CPU full
      { type: 'irqDomainAllocIrqs', client: 'client1', domain: 0, n: 8, cpus: [1], fail: null },
      { type: 'irqDomainAllocIrqs', client: 'client1', domain: 0, n: 8, cpus: [2], fail: null },
      { type: 'irqDomainAllocIrqs', client: 'client1', domain: 0, n: 8, cpus: [3], fail: null },
      // activation finds no vector and keeps the stale one; the irq starts on a dead CPU
      { type: 'requestIrq', virq: 1, dev: null, devm: false },
    ],
  },
};

describe.each(Object.keys(kernelQuirks) as QuirkId[])('quirk %s', (quirk) => {
  const d = demos[quirk];
  it(`breaks ${d.invariant} with the quirk on, holds with it off`, () => {
    const on = runOps(world(d.version, [quirk]), d.ops);
    expect(on.violations.map((v) => v.invariant)).toContain(d.invariant);
    const off = runOps(world(d.version, []), d.ops);
    expect(off.violations).toEqual([]);
  });
  if (d.found) {
    it('a legal-caller campaign with only this quirk on finds it', () => {
      const r = runCampaign(world(d.version, [quirk]), {
        mode: 'legal',
        runs: 600,
        minSteps: 20,
        maxSteps: 60,
        seed: 3,
        stopAtFirst: true,
      });
      expect(r.counterexamples.length).toBeGreaterThan(0);
    });
  }
});
