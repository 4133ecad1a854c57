/*
 * Fidelity: CPU hotplug and interrupts (spec 2.5 as corrected by 7.2)
 */
import { describe, expect, it } from 'vitest';
import { boot, NIC } from '../helpers.ts';
import { MANAGED_IRQ_SHUTDOWN_VECTOR, smallConfig } from '../../models/world/platform.ts';
import type { World } from '../../models/world/types.ts';
import {
  coreAlloc,
  coreFree,
  devVirqs,
  fire,
  msi,
  msix,
  must,
  offline,
  online,
  req,
  run,
  setAff,
  vecChip,
} from './util.ts';

/** 6.2: NIC MSI-X 4 with PCI_IRQ_AFFINITY: one managed vector per CPU, masks {0},{1},{2},{3} */
const managedNic = (w: World): World => must(w, msix(NIC, 4, 4, { affinity: true }));

describe('CPU offline', () => {
  it("offline is refused with -ENOSPC when the other CPUs lack room for this CPU's vectors [vector.c lapic_can_unplug_cpu]", () => {
    const w0 = boot('6.2');
    const vd = w0.vectorDomain;
    const w = must(w0, coreAlloc(vd, 8, [0]), coreAlloc(vd, 8, [1]), coreAlloc(vd, 8, [2]), coreAlloc(vd, 1, [3]));
    const o = run(w, offline(3));
    expect(o.kind === 'err' && o.errno).toBe('ENOSPC');
    expect(o.world.cpuOnline[3]).toBe(true);
  });

  it('the last online CPU cannot go offline: -EBUSY [kernel/cpu.c _cpu_down num_online_cpus() == 1]', () => {
    const w = must(boot('5.10'), offline(1), offline(2), offline(3));
    const o = run(w, offline(0));
    expect(o.kind === 'err' && o.errno).toBe('EBUSY');
  });

  it('a started irq whose mask has no online CPU left is migrated and its affinity broken to the online CPUs [cpuhotplug.c migrate_one_irq]', () => {
    const w0 = boot('6.2');
    const w1 = must(w0, coreAlloc(w0.vectorDomain, 1, [3]), req(1));
    expect(vecChip(w1, 1).cpu).toBe(3);
    const w = must(w1, offline(3));
    const c = vecChip(w, 1);
    expect([0, 1, 2]).toContain(c.cpu);
    expect(w.irqs[1]!.affinityBroken).toBe(true);
    expect(w.irqs[1]!.affinity).not.toContain(3);
    expect(w.matrix.maps[3]!.allocMap).toEqual([]);
  });

  it('an activated but not started irq is skipped and keeps its vector on the offline CPU [cpuhotplug.c irq_migrate_all_off_this_cpu, spec 7.2]', () => {
    // non-maskable MSI: no reservation mode, so early activation gives it a real (fixed) vector
    const cfg = { ...smallConfig, devices: smallConfig.devices.map((d) => ({ ...d, msiMaskable: false })) };
    const w1 = must(boot('5.10', { config: cfg }), msi(NIC, 1));
    const [v] = devVirqs(w1, NIC);
    const w2 = must(w1, setAff(v!, [3])); // IR: moved at once
    expect([w2.irqs[v!]!.activated, w2.irqs[v!]!.started, vecChip(w2, v!).cpu]).toEqual([true, false, 3]);
    const vec = vecChip(w2, v!).vector;
    const w = must(w2, offline(3));
    expect([vecChip(w, v!).cpu, vecChip(w, v!).vector]).toEqual([3, vec]);
    expect(w.matrix.maps[3]!.allocMap).toEqual([vec]);
  });

  it('a managed irq with no other online CPU in its mask is shut down: vector freed, managed reservation kept [cpuhotplug.c migrate_one_irq, vector.c x86_vector_deactivate]', () => {
    const w1 = managedNic(boot('6.2'));
    const v = devVirqs(w1, NIC)[3]!; // mask {3}
    const w2 = must(w1, req(v));
    expect(vecChip(w2, v).cpu).toBe(3);
    const w = must(w2, offline(3));
    const d = w.irqs[v]!;
    expect([d.managedShutdown, d.activated, d.started]).toEqual([true, false, false]);
    expect(vecChip(w, v).vector).toBe(0);
    expect(vecChip(w, v).cfgVector).toBe(MANAGED_IRQ_SHUTDOWN_VECTOR);
    expect(w.matrix.maps[3]!.allocMap).toEqual([]);
    expect(w.matrix.maps[3]!.managedMap).toHaveLength(1);
  });
});

describe('CPU offline: corner cases', () => {
  it('a move that fails with -ENOSPC during offline is retried with all online CPUs, breaking the affinity [cpuhotplug.c migrate_one_irq (88d724e2301a), spec 7.2]', () => {
    const w0 = boot('6.2');
    const vd = w0.vectorDomain;
    const w1 = must(w0, coreAlloc(vd, 8, [2]), coreAlloc(vd, 1, [3]), setAff(9, [2, 3]), req(9));
    expect(vecChip(w1, 9).cpu).toBe(3);
    const w = must(w1, offline(3)); // CPU2, the only other CPU of the mask, is full
    expect([0, 1]).toContain(vecChip(w, 9).cpu);
    expect(w.irqs[9]!.affinityBroken).toBe(true);
  });

  it('offline force-completes only a pending move from or to the outgoing CPU; an unrelated one stays pending [vector.c irq_force_complete_move (a6c11c0a5235; 6.1.192, 6.12.118), spec 7.2]', () => {
    const w0 = boot('6.2');
    const w1 = must(w0, coreAlloc(w0.vectorDomain, 1, [0]), req(1), setAff(1, [2]), fire(1));
    const old = vecChip(w1, 1);
    expect(old.prevVector).not.toBe(0); // moved to CPU2, cleanup on CPU0 pending
    // CPU3 is neither apicd->cpu nor apicd->prev_cpu: "no action required"
    const w = must(w1, offline(3));
    expect(vecChip(w, 1)).toEqual(old);
    expect(w.matrix.maps[old.prevCpu]!.allocMap).toEqual([old.prevVector]);
    // the previous CPU going down completes the move and frees the old vector
    const w2 = must(w, offline(old.prevCpu));
    expect(vecChip(w2, 1).prevVector).toBe(0);
    expect(w2.matrix.maps[old.prevCpu]!.allocMap).toEqual([]);
  });

  it('freeing a vector still held on an offline CPU clears the bit but does not decrement total_allocated [matrix.c irq_matrix_free, spec I3 / 7.2]', () => {
    const w0 = boot('6.2');
    const w1 = must(w0, coreAlloc(w0.vectorDomain, 1, [3]), offline(3));
    expect(w1.matrix.totalAllocated).toBe(1);
    const w = must(w1, coreFree(1, 1));
    expect(w.matrix.maps[3]!.allocMap).toEqual([]);
    expect(w.matrix.totalAllocated).toBe(1);
  });
});

describe('CPU online and managed startup', () => {
  it('request_irq of a managed irq whose mask has no online CPU succeeds and leaves it in managed shutdown [chip.c __irq_startup_managed IRQ_STARTUP_ABORT]', () => {
    const w1 = managedNic(must(boot('6.2'), offline(3)));
    const v = devVirqs(w1, NIC)[3]!;
    const o = run(w1, req(v));
    expect(o.kind).toBe('ok');
    const d = o.world.irqs[v]!;
    expect([d.managedShutdown, d.started, d.activated]).toEqual([true, false, false]);
    expect(d.action).not.toBeNull();
    expect(o.world.matrix.maps.every((m) => m.allocMap.length === 0)).toBe(true);
  });

  it('bringing a CPU of its mask online starts the managed irq on that CPU [cpuhotplug.c irq_affinity_online_cpu]', () => {
    const w1 = managedNic(must(boot('6.2'), offline(3)));
    const v = devVirqs(w1, NIC)[3]!;
    const w = must(w1, req(v), online(3));
    const d = w.irqs[v]!;
    expect([d.managedShutdown, d.started, d.activated]).toEqual([false, true, true]);
    expect(vecChip(w, v).cpu).toBe(3);
    expect(w.matrix.maps[3]!.allocMap).toEqual([vecChip(w, v).vector]);
  });
});

describe('request_irq of a managed irq whose activation fails', () => {
  it('succeeds with its handler, the irq in managed shutdown, and the WARN as the outcome [chip.c __irq_startup_managed WARN_ON -> IRQ_STARTUP_ABORT, 6.12.118]', () => {
    const w0 = managedNic(boot('6.2'));
    // CPU0's managed reservation is gone behind the kernel's back (hand-built): activation fails
    const cm = w0.matrix.maps[0]!;
    const w: World = {
      ...w0,
      matrix: {
        ...w0.matrix,
        maps: w0.matrix.maps.map((m, i) => (i === 0 ? { ...cm, managedMap: [], managed: 0 } : m)),
      },
    };
    const virq = devVirqs(w, NIC)[0]!;
    expect(w.irqs[virq]!.affinity).toEqual([0]);
    const o = run(w, req(virq, NIC));
    expect(o.kind).toBe('warned');
    expect(o).toMatchObject({ why: expect.stringMatching(/^WARN_ON in __irq_startup_managed/) });
    expect(o.world.irqs[virq]).toMatchObject({ action: { dev: NIC }, managedShutdown: true, started: false });
    expect(o.world.kernelWarn).toEqual([]);
  });
});
