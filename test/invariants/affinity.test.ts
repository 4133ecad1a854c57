/*
 * test/invariants/affinity.test.ts - interrupts target online CPUs they are allowed on
 * (spec I21-I23, I23 as corrected in section 7.2)
 *
 * cpuOffline() migrates, shuts down or breaks affinity as the kernel does, so no operation
 * sequence (quirks off) ends with an irq on a dead CPU: the violations are a CPU offline that
 * skipped the migration (the CPU and its matrix map go offline, nothing else changes) and
 * edited affinity masks or hardware targets. The clean side runs real hotplug.
 */
import { describe, expect, it } from 'vitest';
import { checkState, DSA0, NIC, PLAT } from '../helpers.ts';
import type { IrqDesc, VectorChipData, World } from '../../models/world/types.ts';
import type { KernelVersion } from '../../models/world/profile.ts';
import { irqMatrixOffline } from '../../models/kernel/irq/matrix.ts';
import { MANAGED_IRQ_SHUTDOWN_VECTOR } from '../../models/world/platform.ts';
import {
  cleanLifecycle,
  holdsOnEveryStep,
  holdsThroughout,
  ids,
  reported,
  session,
  stateInvariant,
  stepInvariant,
  versions,
} from './fixtures.ts';

const vectorChip = (d: IrqDesc): VectorChipData => d.levels[d.levels.length - 1]!.chip as VectorChipData;
const hex = (v: number) => `0x${v.toString(16)}`;

/** @cpu goes offline the way cpuOffline() ends, but nothing was migrated off it */
const offlineWithoutMigration = (w: World, cpu: number): World => ({
  ...w,
  cpuOnline: w.cpuOnline.map((on, c) => (c === cpu ? false : on)),
  matrix: irqMatrixOffline(w.matrix, cpu),
});

const withIrq = (w: World, virq: number, f: (d: IrqDesc) => IrqDesc): World => ({
  ...w,
  irqs: { ...w.irqs, [virq]: f(w.irqs[virq]!) },
});
const withVectorChip = (d: IrqDesc, f: (c: VectorChipData) => VectorChipData): IrqDesc => ({
  ...d,
  levels: d.levels.map((l, i) => (i === d.levels.length - 1 ? { ...l, chip: f(l.chip as VectorChipData) } : l)),
});

/** DSA0 with 4 MSI-X vectors, irq 1 requested (started, real vector) */
function dsa0Started(version: KernelVersion) {
  const s = session(version);
  s.ok({ type: 'driverProbe', dev: DSA0, managed: false, fail: false });
  s.ok({ type: 'pciAllocIrqVectors', dev: DSA0, min: 4, max: 4, irqType: 'msix', affinity: false, fail: null });
  s.ok({ type: 'requestIrq', virq: 1, dev: DSA0, devm: false });
  return s;
}

/** the NIC with 4 managed MSI-X vectors (masks {0}..{3}), all requested */
function nicManagedStarted(version: KernelVersion) {
  const s = session(version);
  s.ok({ type: 'driverProbe', dev: NIC, managed: false, fail: false });
  s.ok({ type: 'pciAllocIrqVectors', dev: NIC, min: 4, max: 4, irqType: 'msix', affinity: true, fail: null });
  for (const v of [1, 2, 3, 4]) s.ok({ type: 'requestIrq', virq: v, dev: NIC, devm: false });
  expect(Object.values(s.world.irqs).map((d) => d.affinity)).toEqual([[0], [1], [2], [3]]);
  return s;
}

describe('effective-affinity (I21)', () => {
  const inv = stateInvariant('effective-affinity');

  it.each(versions)(
    '%s: a CPU offline that skipped the migration leaves a started irq targeting the dead CPU (hand-built)',
    (v) => {
      const s = dsa0Started(v);
      const cpu = vectorChip(s.world.irqs[1]!).cfgCpu;
      expect(inv.check(s.world)).toBeNull();
      const vs = checkState(offlineWithoutMigration(s.world, cpu));
      expect(reported(vs, 'effective-affinity')).toBe(`irq 1 targets offline CPU${cpu}`);
    },
  );

  it.each(versions)(
    '%s: a mask changed without moving the vector and without a broken-affinity record (hand-built)',
    (v) => {
      const s = dsa0Started(v);
      const cpu = vectorChip(s.world.irqs[1]!).cfgCpu;
      const other = (cpu + 1) % 4;
      const moved = withIrq(s.world, 1, (d) => ({ ...d, affinity: [other] }));
      const vs = checkState(moved);
      expect(ids(vs)).toEqual(['effective-affinity']);
      expect(vs[0]!.message).toBe(`irq 1 targets CPU${cpu} outside its mask {${other}} with no broken-affinity record`);
      // the same target is fine once the kernel recorded that it broke the affinity
      expect(inv.check(withIrq(moved, 1, (d) => ({ ...d, affinityBroken: true })))).toBeNull();
    },
  );

  it.each(versions)(
    '%s: offlining the only CPU of a non-managed mask breaks the affinity, recorded, and holds',
    (v) => {
      const s = session(v);
      s.ok({ type: 'driverProbe', dev: DSA0, managed: false, fail: false });
      s.ok({ type: 'pciAllocIrqVectors', dev: DSA0, min: 2, max: 2, irqType: 'msix', affinity: false, fail: null });
      s.ok({ type: 'irqSetAffinity', virq: 2, cpus: [2], fromUser: true });
      s.ok({ type: 'requestIrq', virq: 2, dev: DSA0, devm: false });
      expect(vectorChip(s.world.irqs[2]!).cfgCpu).toBe(2);
      s.ok({ type: 'cpuOffline', cpu: 2 });
      const d = s.world.irqs[2]!;
      expect(d.affinityBroken).toBe(true);
      expect(vectorChip(d).cfgCpu).not.toBe(2);
      expect(inv.check(s.world)).toBeNull();
    },
  );

  it.each(versions)('%s: holds through the clean lifecycle', (v) => {
    const s = cleanLifecycle(v);
    expect(s.worlds.some((w) => Object.values(w.irqs).some((d) => d.activated && !d.managed && d.affinityBroken))).toBe(
      true,
    );
    holdsThroughout(s, inv);
  });
});

describe('managed-affinity (I22)', () => {
  const inv = stateInvariant('managed-affinity');

  it.each(versions)('%s: a managed irq marked shut down that still holds its vector (hand-built)', (v) => {
    const s = nicManagedStarted(v);
    const c = vectorChip(s.world.irqs[3]!);
    expect(c.cpu).toBe(2);
    const w = withIrq(s.world, 3, (d) => ({ ...d, activated: false, started: false, managedShutdown: true }));
    expect(reported(checkState(w), 'managed-affinity')).toBe(
      `managed irq 3 is shut down but still holds vector ${hex(c.vector)} on CPU2`,
    );
  });

  it.each(versions)('%s: an activated managed irq whose hardware target is outside its mask (hand-built)', (v) => {
    const s = nicManagedStarted(v);
    const w = withIrq(s.world, 2, (d) => withVectorChip(d, (c) => ({ ...c, cfgCpu: 3 })));
    const vs = checkState(w);
    expect(ids(vs)).toEqual(['managed-affinity']);
    expect(vs[0]!.message).toBe('managed irq 2 targets CPU3, outside its online mask');
  });

  it.each(versions)('%s: a CPU offline that did not shut down the managed irq of its mask (hand-built)', (v) => {
    const s = nicManagedStarted(v);
    const vs = checkState(offlineWithoutMigration(s.world, 1));
    expect(reported(vs, 'managed-affinity')).toBe('managed irq 2 is activated with no online CPU in {1}');
  });

  it.each(versions)(
    '%s: cpuOffline shuts the managed irq of its mask down to the dummy vector and cpuOnline restarts it',
    (v) => {
      const s = nicManagedStarted(v);
      s.ok({ type: 'cpuOffline', cpu: 1 });
      const down = s.world.irqs[2]!;
      expect([down.managedShutdown, down.activated, vectorChip(down).vector, vectorChip(down).cfgVector]).toEqual([
        true,
        false,
        0,
        MANAGED_IRQ_SHUTDOWN_VECTOR,
      ]);
      expect(inv.check(s.world)).toBeNull();
      s.ok({ type: 'cpuOnline', cpu: 1 });
      const up = s.world.irqs[2]!;
      expect([up.managedShutdown, up.activated, vectorChip(up).cpu]).toEqual([false, true, 1]);
      expect(inv.check(s.world)).toBeNull();
    },
  );

  it.each(versions)('%s: holds through the clean lifecycle', (v) => {
    const s = cleanLifecycle(v);
    expect(s.worlds.some((w) => Object.values(w.irqs).some((d) => d.managed && d.managedShutdown && d.action))).toBe(
      true,
    );
    holdsThroughout(s, inv);
  });
});

describe('no-vector-on-offline-cpu (I23, section 7.2)', () => {
  const inv = stateInvariant('no-vector-on-offline-cpu');

  it.each(versions)('%s: a started irq keeps its vector on a CPU offlined without migration (hand-built)', (v) => {
    const s = dsa0Started(v);
    const c = vectorChip(s.world.irqs[1]!);
    expect(reported(checkState(offlineWithoutMigration(s.world, c.cpu)), 'no-vector-on-offline-cpu')).toBe(
      `started irq 1 keeps vector ${hex(c.vector)} on offline CPU${c.cpu}`,
    );
  });

  it.each(versions)(
    '%s: a pending move whose previous CPU went offline without the forced completion (hand-built)',
    (v) => {
      const s = session(v);
      s.ok({ type: 'driverProbe', dev: PLAT, managed: false, fail: false });
      const dom = s.ok<number>({ type: 'platformMsiCreateIrqDomain', parent: s.world.vectorDomain });
      s.ok({ type: 'devSetMsiDomain', dev: PLAT, domain: dom });
      s.ok({ type: 'platformMsiDomainAllocIrqs', dev: PLAT, nvec: 1, fail: null });
      s.ok({ type: 'requestIrq', virq: 1, dev: PLAT, devm: false });
      const old = vectorChip(s.world.irqs[1]!);
      // no IRQ_MOVE_PCNTXT without IR: the move happens at the next interrupt and keeps prev_vector
      s.ok({ type: 'irqSetAffinity', virq: 1, cpus: [(old.cpu + 1) % 4], fromUser: true });
      s.ok({ type: 'deviceFireIrq', virq: 1 });
      const moving = vectorChip(s.world.irqs[1]!);
      expect([moving.prevCpu, moving.prevVector]).toEqual([old.cpu, old.vector]);
      expect(inv.check(s.world)).toBeNull();
      expect(reported(checkState(offlineWithoutMigration(s.world, old.cpu)), 'no-vector-on-offline-cpu')).toBe(
        `started irq 1 keeps previous vector ${hex(old.vector)} on offline CPU${old.cpu}`,
      );
      // the real cpuOffline() force-completes the move first
      s.ok({ type: 'cpuOffline', cpu: old.cpu });
      expect(vectorChip(s.world.irqs[1]!).prevVector).toBe(0);
      expect(inv.check(s.world)).toBeNull();
    },
  );

  it.each(versions)('%s: an allocated but never started irq may keep a stale vector on an offline CPU (7.2)', (v) => {
    const s = session(v);
    const virq = s.ok<number>({
      type: 'irqDomainAllocIrqs',
      client: 'client0',
      domain: s.world.vectorDomain,
      n: 1,
      cpus: [1],
      fail: null,
    });
    s.ok({ type: 'cpuOffline', cpu: 1 });
    const c = vectorChip(s.world.irqs[virq]!);
    expect([s.world.cpuOnline[1], c.cpu, c.vector !== 0, s.world.irqs[virq]!.started]).toEqual([false, 1, true, false]);
    expect(inv.check(s.world)).toBeNull();
    // once started, the same vector on the dead CPU is a violation
    expect(inv.check(withIrq(s.world, virq, (d) => ({ ...d, started: true })))).toBe(
      `started irq ${virq} keeps vector ${hex(c.vector)} on offline CPU1`,
    );
  });

  it.each(versions)('%s: holds through the clean lifecycle, whose CPU offlines migrate started irqs', (v) => {
    const s = cleanLifecycle(v);
    const offlines = s.trace.filter((t) => t.op.type === 'cpuOffline');
    const migrated = offlines.flatMap((t) => {
      const cpu = (t.op as { cpu: number }).cpu;
      return Object.values(t.before.irqs).filter(
        (d) => d.started && vectorChip(d).vector !== 0 && vectorChip(d).cpu === cpu,
      );
    });
    expect(migrated.length).toBeGreaterThan(0);
    holdsThroughout(s, inv);
  });
});

describe('move-completes (the x86 vector move protocol)', () => {
  const inv = stepInvariant('move-completes');

  /** a vector-domain irq (no IR: its affinity change waits for the next interrupt), moved from CPU0 to CPU1 */
  function movedOnce(version: KernelVersion) {
    const s = session(version);
    const virq = s.ok<number>({
      type: 'irqDomainAllocIrqs',
      client: 'client0',
      domain: s.world.vectorDomain,
      n: 1,
      cpus: [0],
      fail: null,
    });
    s.ok({ type: 'requestIrq', virq, dev: null, devm: false });
    s.ok({ type: 'irqSetAffinity', virq, cpus: [1], fromUser: false });
    s.ok({ type: 'deviceFireIrq', virq }); // applies the pending mask: new vector on CPU1, the old one kept
    const c = vectorChip(s.world.irqs[virq]!);
    expect([c.moveInProgress, c.cpu, c.prevCpu]).toEqual([true, 1, 0]);
    return { s, virq };
  }

  it.each(versions)(
    '%s: the first interrupt on the new vector releases the old one; one that does not is caught',
    (v) => {
      const { s, virq } = movedOnce(v);
      const before = s.world;
      s.ok({ type: 'deviceFireIrq', virq });
      expect(vectorChip(s.world.irqs[virq]!).prevVector).toBe(0);
      expect(inv.check(before, s.last.op, s.last.outcome)).toBeNull();
      // the same interrupt, but the move stays in progress (the old vector is kept)
      const old = vectorChip(before.irqs[virq]!);
      expect(inv.check(before, s.last.op, { kind: 'ok', world: before, value: undefined })).toBe(
        `irq ${virq} arrived on its new vector ${hex(old.cfgVector)} on CPU1, but the move keeps old vector ${hex(old.prevVector)} on CPU0`,
      );
    },
  );

  it.each(versions)('%s: holds on every step of the clean lifecycle and of a completed move', (v) => {
    holdsOnEveryStep(cleanLifecycle(v), inv);
    const { s, virq } = movedOnce(v);
    s.ok({ type: 'deviceFireIrq', virq });
    s.ok({ type: 'irqSetAffinity', virq, cpus: [2], fromUser: true });
    s.ok({ type: 'deviceFireIrq', virq });
    s.ok({ type: 'deviceFireIrq', virq });
    holdsOnEveryStep(s, inv);
  });
});
