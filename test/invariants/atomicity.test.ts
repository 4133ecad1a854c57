/*
 * test/invariants/atomicity.test.ts - failed operations leave no trace (spec I8)
 *
 * The violation is the 5.10 platform-MSI partial-failure leak (a kernel quirk, on with the
 * profile's quirks) and transitions built by hand; the clean side sweeps every injected failure
 * point of every allocation API, and the plain errnos, on a world with live interrupts.
 */
import { describe, expect, it } from 'vitest';
import { DSA0, DSA1, NIC, PLAT } from '../helpers.ts';
import type { Op } from '../../models/ops.ts';
import type { World } from '../../models/world/types.ts';
import type { StepOutcome } from '../../models/step.ts';
import type { KernelVersion } from '../../models/world/profile.ts';
import type { FailPoint } from '../../models/kernel/irq/hierarchy.ts';
import { cleanLifecycle, holdsOnEveryStep, reported, Session, session, stepInvariant, versions } from './fixtures.ts';

const inv = stepInvariant('failed-op-atomic');

/** plat0 bound to the test driver with its msi_domain set to a new PLATFORM_MSI domain */
function platformReady(version: KernelVersion, quirks: boolean): Session {
  const s = session(version, quirks);
  s.ok({ type: 'driverProbe', dev: PLAT, managed: false, fail: false });
  const dom = s.ok<number>({ type: 'platformMsiCreateIrqDomain', parent: s.world.vectorDomain });
  s.ok({ type: 'devSetMsiDomain', dev: PLAT, domain: dom });
  return s;
}

/**
 * a world with live interrupts of every kind the rollback must not touch: DSA0 MSI-X (one
 * started), NIC managed MSI-X, a direct allocation with a fixed vector, plat0 ready, and on 6.2
 * an IMS domain with one slot taken
 */
function busyWorld(version: KernelVersion): Session {
  const s = platformReady(version, false);
  s.ok({ type: 'driverProbe', dev: DSA0, managed: true, fail: false });
  s.ok({ type: 'pciAllocIrqVectors', dev: DSA0, min: 4, max: 4, irqType: 'msix', affinity: false, fail: null });
  s.ok({ type: 'requestIrq', virq: 1, dev: DSA0, devm: false });
  s.ok({ type: 'driverProbe', dev: NIC, managed: false, fail: false });
  s.ok({ type: 'driverProbe', dev: DSA1, managed: false, fail: false });
  s.ok({ type: 'irqDomainAllocIrqs', client: 'client0', domain: s.world.vectorDomain, n: 1, cpus: [2], fail: null });
  if (version === '6.2') {
    s.ok({ type: 'pciCreateImsDomain', dev: DSA0, hwsize: 16 });
    s.ok({ type: 'pciImsAllocIrq', dev: DSA0, icookie: 1, fail: null });
  }
  return s;
}

describe('failed-op-atomic (I8)', () => {
  it('5.10 with its quirks: a platform-MSI allocation failing at the second vector keeps the first virq', () => {
    const s = platformReady('5.10', true);
    s.do({ type: 'platformMsiDomainAllocIrqs', dev: PLAT, nvec: 3, fail: { site: 'vector', index: 1 } });
    expect(s.last.outcome.kind).toBe('err');
    expect(reported(s.last.violations, 'failed-op-atomic')).toBe(
      'platformMsiDomainAllocIrqs failed (-ENOSPC: injected: alloc_apic_chip_data for irq 2) but changed the virqs: irq 1 left allocated',
    );
  });

  it.each(versions)('%s without quirks: the same failure rolls back completely', (v) => {
    const s = platformReady(v, false);
    const before = s.world;
    s.do({ type: 'platformMsiDomainAllocIrqs', dev: PLAT, nvec: 3, fail: { site: 'vector', index: 1 } });
    expect(s.last.outcome.kind).toBe('err');
    expect(inv.check(s.last.before, s.last.op, s.last.outcome)).toBeNull();
    expect(Object.keys(s.world.irqs)).toEqual([]);
    expect(s.world.platformDevids).toEqual(before.platformDevids);
  });

  it('an error whose world gained an IRTE, a vector or a virq is reported with the resource (hand-built)', () => {
    const s = busyWorld('6.2');
    const before = s.world;
    const op: Op = {
      type: 'pciAllocIrqVectors',
      dev: DSA1,
      min: 2,
      max: 2,
      irqType: 'msix',
      affinity: false,
      fail: { site: 'irte', index: 0 },
    };
    const failed = (world: World): StepOutcome => ({
      kind: 'err',
      world,
      errno: 'ENOMEM',
      why: 'injected: alloc_irte on DRHD1',
    });

    const u1 = before.units[1]!;
    const irte: World = { ...before, units: [before.units[0]!, { ...u1, irteBitmap: [0] }] };
    expect(inv.check(before, op, failed(irte))).toBe(
      'pciAllocIrqVectors failed (-ENOMEM: injected: alloc_irte on DRHD1) but changed the IRTEs',
    );

    const cm = before.matrix.maps[3]!;
    const vector: World = {
      ...before,
      matrix: {
        ...before.matrix,
        maps: before.matrix.maps.map((m, c) => (c === 3 ? { ...cm, allocMap: [...cm.allocMap, 0x28] } : m)),
      },
    };
    expect(inv.check(before, op, failed(vector))).toBe(
      'pciAllocIrqVectors failed (-ENOMEM: injected: alloc_irte on DRHD1) but changed the vector matrix',
    );

    const next = Math.max(...Object.keys(before.irqs).map(Number)) + 1;
    const virq: World = { ...before, irqs: { ...before.irqs, [next]: { ...before.irqs[1]!, virq: next } } };
    expect(inv.check(before, op, failed(virq))).toBe(
      `pciAllocIrqVectors failed (-ENOMEM: injected: alloc_irte on DRHD1) but changed the virqs: irq ${next} left allocated`,
    );

    // an unchanged world, or a success, is never reported
    expect(inv.check(before, op, failed(before))).toBeNull();
    expect(inv.check(before, op, { kind: 'ok', world: virq, value: 2 })).toBeNull();
  });

  it.each(versions)('%s: every injected failure point of every allocation API rolls back on a busy world', (v) => {
    const base = busyWorld(v);
    const w0 = base.world;
    const apis = (site: FailPoint): Op[] => [
      { type: 'pciAllocIrqVectors', dev: NIC, min: 1, max: 4, irqType: 'msi', affinity: false, fail: site },
      { type: 'pciAllocIrqVectors', dev: NIC, min: 1, max: 4, irqType: 'msix', affinity: true, fail: site },
      { type: 'pciAllocIrqVectors', dev: DSA1, min: 1, max: 9, irqType: 'msix', affinity: false, fail: site },
      { type: 'irqDomainAllocIrqs', client: 'client1', domain: w0.vectorDomain, n: 2, cpus: null, fail: site },
      { type: 'irqDomainAllocIrqs', client: 'client1', domain: w0.vectorDomain, n: 2, cpus: [1, 3], fail: site },
      { type: 'platformMsiDomainAllocIrqs', dev: PLAT, nvec: 4, fail: site },
      ...(v === '6.2'
        ? ([
            { type: 'pciMsixAllocIrqAt', dev: DSA0, index: 'any', fail: site },
            { type: 'pciImsAllocIrq', dev: DSA0, icookie: 2, fail: site },
          ] as Op[])
        : []),
    ];
    let failures = 0;
    const sites = ['irq-desc', 'irq-data', 'vector', 'irte', 'msi-desc', 'activate'] as const;
    for (const site of sites) {
      for (const index of [0, 1, 2, 3]) {
        for (const op of apis({ site, index })) {
          const o = new Session(w0).do(op);
          if (o.kind !== 'err') continue;
          failures++;
          expect(inv.check(w0, op, o), `${op.type} failing at ${site}#${index}`).toBeNull();
        }
      }
    }
    expect(failures).toBeGreaterThanOrEqual(v === '6.2' ? 80 : 70);
  });

  it.each(versions)('%s: plain errnos (no room, busy, bad arguments) leave the world as it was', (v) => {
    const s = busyWorld(v);
    const errs: Op[] = [
      { type: 'pciAllocIrqVectors', dev: DSA0, min: 1, max: 2, irqType: 'msi', affinity: false, fail: null }, // MSI-X already enabled
      { type: 'pciAllocIrqVectors', dev: NIC, min: 5, max: 8, irqType: 'msix', affinity: false, fail: null }, // table too small
      { type: 'requestIrq', virq: 1, dev: DSA0, devm: false }, // handler already there
      { type: 'irqDomainAllocIrqs', client: 'client1', domain: s.world.vectorDomain, n: 9, cpus: [2], fail: null }, // CPU2 full
      { type: 'irqSetAffinity', virq: 99, cpus: [0], fromUser: true }, // no such irq
    ];
    for (const op of errs) {
      const before = s.world;
      const o = s.do(op);
      expect(o.kind, op.type).toBe('err');
      expect(inv.check(before, op, o)).toBeNull();
    }
    for (const cpu of [1, 2, 3]) s.do({ type: 'cpuOffline', cpu });
    const before = s.world;
    const o = s.do({ type: 'cpuOffline', cpu: 0 }); // the last online CPU
    expect(o.kind).toBe('err');
    expect(inv.check(before, s.last.op, o)).toBeNull();
  });

  it.each(versions)('%s: holds on every step of the clean lifecycle, which has injected failures', (v) => {
    const s = cleanLifecycle(v);
    expect(s.trace.filter((t) => t.outcome.kind === 'err').length).toBe(v === '6.2' ? 8 : 7);
    holdsOnEveryStep(s, inv);
  });
});
