/*
 * test/invariants/leak.test.ts - resource conservation (spec I1-I5, I7)
 *
 * For every leak invariant: a misuse sequence (or, where no operation can get there, a world
 * edited by hand) that it must report, with the entity in the message; and the clean lifecycle
 * on both kernels, which it must accept.
 */
import type { KernelVersion } from '../../models/world/profile.ts';
import { describe, expect, it } from 'vitest';
import { apply, boot, checkState, DSA0, DSA1, NIC, PLAT } from '../helpers.ts';
import type { CpuMap, IrqDesc, VectorChipData, World } from '../../models/world/types.ts';
import { cleanLifecycle, holdsThroughout, ids, reported, session, stateInvariant, versions } from './fixtures.ts';
import { VMD_CTRL, VMD_NIC, VMD_NVME, devIrqs, nvmeRunning, vmdSession } from './vmd-fixtures.ts';

const vectorChip = (d: IrqDesc): VectorChipData => d.levels[d.levels.length - 1]!.chip as VectorChipData;

/** DSA0 bound (not managed) with @n MSI-X vectors: virqs 1..n */
function dsa0WithVectors(version: KernelVersion, n = 8) {
  const s = session(version);
  s.ok({ type: 'driverProbe', dev: DSA0, managed: false, fail: false });
  s.ok({ type: 'pciAllocIrqVectors', dev: DSA0, min: n, max: n, irqType: 'msix', affinity: false, fail: null });
  return s;
}

/** replace the matrix map of @cpu */
const withCpuMap = (w: World, cpu: number, f: (cm: CpuMap) => CpuMap): World => ({
  ...w,
  matrix: { ...w.matrix, maps: w.matrix.maps.map((cm, c) => (c === cpu ? f(cm) : cm)) },
});

describe('virq-ownership (I1)', () => {
  const inv = stateInvariant('virq-ownership');

  it.each(versions)('%s: irqDomainFreeIrqs of a virq owned by an MSI desc leaves the desc naming a freed irq', (v) => {
    const s = dsa0WithVectors(v);
    expect(checkState(s.world)).toEqual([]);
    // a direct hierarchy user frees the third MSI-X vector of DSA0: the kernel only WARNs
    // for a missing first desc, so this "works"
    s.do({ type: 'irqDomainFreeIrqs', client: 'client0', virq: 3, n: 1 });
    expect(s.last.outcome.kind).toBe('ok');
    const m = reported(checkState(s.world), 'virq-ownership');
    expect(m).toMatch(/msi_desc #\d+ of 0000:6a:01\.0 \(index 2\) names irq 3, which is not allocated/);
  });

  it.each(versions)(
    '%s: one direct caller freeing the allocation of another leaves the owner holding freed irqs',
    (v) => {
      const w = boot(v);
      const r = apply(w, [
        { type: 'irqDomainAllocIrqs', client: 'client0', domain: w.vectorDomain, n: 2, cpus: null, fail: null },
        { type: 'irqDomainFreeIrqs', client: 'client1', virq: 1, n: 2 },
      ]);
      expect(r.outcomes.map((o) => o.kind)).toEqual(['ok', 'ok']);
      expect(reported(checkState(r.world), 'virq-ownership')).toMatch(
        /client0 holds irq 1, which was freed behind its back/,
      );
    },
  );

  it('5.10 with its quirks: a platform-MSI allocation failing part way leaks the virq of the first desc', () => {
    const s = session('5.10', true);
    s.ok({ type: 'driverProbe', dev: PLAT, managed: false, fail: false });
    const dom = s.ok<number>({ type: 'platformMsiCreateIrqDomain', parent: s.world.vectorDomain });
    s.ok({ type: 'devSetMsiDomain', dev: PLAT, domain: dom });
    s.do({ type: 'platformMsiDomainAllocIrqs', dev: PLAT, nvec: 3, fail: { site: 'vector', index: 1 } });
    expect(s.last.outcome.kind).toBe('err');
    expect(reported(checkState(s.world), 'virq-ownership')).toMatch(
      /irq 1 belongs to msi_desc #0, which was freed: the virq leaked/,
    );
  });

  it('virq 0 is never a valid allocation (hand-built)', () => {
    const s = dsa0WithVectors('6.2', 1);
    const w: World = { ...s.world, irqs: { ...s.world.irqs, 0: { ...s.world.irqs[1]!, virq: 0 } } };
    expect(inv.check(w)).toMatch(/virq 0 is allocated/);
  });

  it.each(versions)('%s: holds through the clean lifecycle, where MSI and direct owners come and go', (v) => {
    const s = cleanLifecycle(v);
    expect(s.worlds.some((w) => Object.values(w.irqs).some((d) => d.owner?.kind === 'core'))).toBe(true);
    expect(Math.max(...s.worlds.map((w) => Object.keys(w.descs).length))).toBeGreaterThanOrEqual(13);
    holdsThroughout(s, inv);
  });
});

describe('vector-accounting (I2)', () => {
  const inv = stateInvariant('vector-accounting');

  it.each(versions)(
    '%s with quirks: a managed reservation made while the CPU is offline leaves its available count stale',
    (v) => {
      const s = session(v, true);
      s.ok({ type: 'cpuOffline', cpu: 0 });
      s.ok({ type: 'driverProbe', dev: NIC, managed: false, fail: false });
      s.ok({ type: 'pciAllocIrqVectors', dev: NIC, min: 4, max: 4, irqType: 'msix', affinity: true, fail: null });
      expect(reported(checkState(s.world), 'vector-accounting')).toMatch(
        /^CPU0: available=8, expected 7 \(window 9, managed 1, allocated 0\)/,
      );
    },
  );

  it.each(versions)('%s without quirks: the same offline-CPU managed reservation keeps the counters exact', (v) => {
    const s = session(v);
    s.ok({ type: 'cpuOffline', cpu: 0 });
    s.ok({ type: 'driverProbe', dev: NIC, managed: false, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: NIC, min: 4, max: 4, irqType: 'msix', affinity: true, fail: null });
    expect(s.world.matrix.maps[0]!.managed).toBe(1);
    expect(inv.check(s.world)).toBeNull();
    s.ok({ type: 'cpuOnline', cpu: 0 });
    expect(inv.check(s.world)).toBeNull();
  });

  it('corrupted per-CPU counters are reported with the CPU (hand-built)', () => {
    const s = dsa0WithVectors('6.2');
    s.ok({ type: 'requestIrq', virq: 1, dev: DSA0, devm: false });
    const cpu = vectorChip(s.world.irqs[1]!).cpu;
    expect(inv.check(s.world)).toBeNull();
    const allocated = withCpuMap(s.world, cpu, (cm) => ({ ...cm, allocated: cm.allocated + 1 }));
    expect(reported(checkState(allocated), 'vector-accounting')).toBe(
      `CPU${cpu}: allocated=2 but 1 vectors are set in alloc_map`,
    );
    const available = withCpuMap(s.world, 2, (cm) => ({ ...cm, available: cm.available - 1 }));
    expect(inv.check(available)).toMatch(/^CPU2: available=\d+, expected \d+/);
    const managed = withCpuMap(s.world, 3, (cm) => ({ ...cm, managed: 1 }));
    expect(inv.check(managed)).toBe('CPU3: managed=1 but 0 bits are set in managed_map');
  });

  it('a system vector in the allocation map and a wrong global reservation count are reported (hand-built)', () => {
    const w = boot('5.10');
    const sys = withCpuMap(w, 1, (cm) => ({ ...cm, allocMap: [0x20], allocated: 1, available: cm.available - 1 }));
    expect(inv.check(sys)).toBe('CPU1: system vector 0x20 is in the allocation map');
    const s = dsa0WithVectors('5.10', 3);
    const reservedOff: World = { ...s.world, matrix: { ...s.world.matrix, globalReserved: 2 } };
    expect(inv.check(reservedOff)).toBe('global_reserved=2, but 3 irqs hold a reservation');
  });

  it.each(versions)('%s: holds through the clean lifecycle (reservations, managed bits, moves, hotplug)', (v) => {
    const s = cleanLifecycle(v);
    expect(Math.max(...s.worlds.map((w) => w.matrix.globalReserved))).toBeGreaterThan(0);
    expect(s.worlds.some((w) => w.matrix.maps.some((cm) => cm.managed > 0 && cm.allocated > 0))).toBe(true);
    holdsThroughout(s, inv);
  });
});

describe('no-vector-leak (I3)', () => {
  const inv = stateInvariant('no-vector-leak');

  it.each(versions)('%s with quirks: lapic_online() clears vector_irq of a dormant irq that keeps its vector', (v) => {
    const s = session(v, true);
    // a direct user with a fixed destination: a real vector on CPU1 at allocation, never started
    const virq = s.ok<number>({
      type: 'irqDomainAllocIrqs',
      client: 'client0',
      domain: s.world.vectorDomain,
      n: 1,
      cpus: [1],
      fail: null,
    });
    s.ok({ type: 'cpuOffline', cpu: 1 });
    s.ok({ type: 'cpuOnline', cpu: 1 });
    expect(reported(checkState(s.world), 'no-vector-leak')).toBe(
      `vector_irq[0x21] on CPU1 does not point at irq ${virq}`,
    );
  });

  it.each(versions)('%s without quirks: the dormant irq keeps its vector_irq entry across offline/online', (v) => {
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
    s.ok({ type: 'cpuOnline', cpu: 1 });
    expect(s.world.matrix.vectorIrq[1]![0x21]).toBe(virq);
    expect(inv.check(s.world)).toBeNull();
  });

  it('an allocated vector with no owner is reported as leaked (hand-built, counters kept consistent)', () => {
    const w0 = boot('6.2');
    const w = withCpuMap(w0, 3, (cm) => ({ ...cm, allocMap: [0x25], allocated: 1, available: cm.available - 1 }));
    const leaked: World = {
      ...w,
      matrix: { ...w.matrix, globalAvailable: w.matrix.globalAvailable - 1, totalAllocated: 1 },
    };
    const vs = checkState(leaked);
    expect(ids(vs)).toEqual(['no-vector-leak']);
    expect(vs[0]!.message).toBe('vector 0x25 on CPU3 is allocated but no irq owns it: leaked');
  });

  it('an irq naming a vector the matrix has free is reported (hand-built)', () => {
    const s = dsa0WithVectors('5.10', 2);
    s.ok({ type: 'requestIrq', virq: 2, dev: DSA0, devm: false });
    const c = vectorChip(s.world.irqs[2]!);
    const freed = withCpuMap(s.world, c.cpu, (cm) => ({ ...cm, allocMap: cm.allocMap.filter((b) => b !== c.vector) }));
    expect(inv.check(freed)).toBe(
      `irq 2 uses vector 0x${c.vector.toString(16)} on CPU${c.cpu}, which the matrix has free`,
    );
  });

  it.each(versions)('%s: holds through the clean lifecycle, which ends with the boot-time matrix', (v) => {
    const s = cleanLifecycle(v);
    expect(s.worlds.some((w) => Object.values(w.irqs).some((d) => vectorChip(d)?.prevVector))).toBe(true);
    holdsThroughout(s, inv);
    expect(Object.keys(s.world.irqs)).toEqual([]);
    expect(s.world.matrix).toEqual(s.initial.matrix);
  });
});

describe('managed-reservation (I4)', () => {
  const inv = stateInvariant('managed-reservation');

  it.each(versions)(
    '%s: irqSetAffinity on a managed irq before startup, then freeing it, strands a managed bit',
    (v) => {
      const s = session(v);
      s.ok({ type: 'driverProbe', dev: NIC, managed: false, fail: false });
      s.ok({ type: 'pciAllocIrqVectors', dev: NIC, min: 4, max: 4, irqType: 'msix', affinity: true, fail: null });
      expect(s.world.irqs[1]!.affinity).toEqual([0]);
      expect(inv.check(s.world)).toBeNull();
      // kernel-internal irq_set_affinity() on a deactivated managed irq: the mask is just stored
      s.ok({ type: 'irqSetAffinity', virq: 1, cpus: [1], fromUser: false });
      expect(reported(checkState(s.world), 'managed-reservation')).toBe(
        'CPU0: 1 managed reservations, 0 managed irqs include it',
      );
      // the free gives the reservation back on the new mask's CPU: CPU0's bit is never returned,
      // and the irq whose mask really is CPU1 then finds none left there: the kernel WARNs
      expect(s.do({ type: 'pciFreeIrqVectors', dev: NIC })).toMatchObject({
        kind: 'warned',
        why: 'WARN_ON_ONCE in irq_matrix_remove_managed',
      });
      expect(Object.keys(s.world.irqs)).toEqual([]);
      expect(reported(checkState(s.world), 'managed-reservation')).toBe(
        'CPU0: 1 managed reservations, 0 managed irqs include it',
      );
    },
  );

  it("a managed bit reserved behind the bookkeeping's back is reported (hand-built)", () => {
    const w0 = boot('5.10');
    const w1 = withCpuMap(w0, 2, (cm) => ({ ...cm, managedMap: [0x28], managed: 1, available: cm.available - 1 }));
    const w: World = { ...w1, matrix: { ...w1.matrix, globalAvailable: w1.matrix.globalAvailable - 1 } };
    const vs = checkState(w);
    expect(ids(vs)).toEqual(['managed-reservation']);
    expect(vs[0]!.message).toBe('CPU2: 1 managed reservations, 0 managed irqs include it');
  });

  it.each(versions)('%s: user space cannot move a managed irq (-EIO), so its reservations stay right', (v) => {
    const s = session(v);
    s.ok({ type: 'driverProbe', dev: NIC, managed: false, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: NIC, min: 4, max: 4, irqType: 'msix', affinity: true, fail: null });
    s.fails({ type: 'irqSetAffinity', virq: 1, cpus: [1], fromUser: true });
    expect(inv.check(s.world)).toBeNull();
  });

  it.each(versions)('%s: holds through the clean lifecycle, managed irqs shut down and restarted by hotplug', (v) => {
    const s = cleanLifecycle(v);
    expect(s.worlds.some((w) => w.matrix.maps.every((cm) => cm.managed === 1))).toBe(true);
    expect(s.worlds.some((w) => Object.values(w.irqs).some((d) => d.managed && d.managedShutdown))).toBe(true);
    holdsThroughout(s, inv);
  });
});

describe('irte-accounting (I5)', () => {
  const inv = stateInvariant('irte-accounting');

  it.each(versions)(
    '%s: freeing the first vector of a multi-MSI block releases the IRTE block under the others',
    (v) => {
      const s = session(v);
      s.ok({ type: 'driverProbe', dev: NIC, managed: false, fail: false });
      s.ok({ type: 'pciAllocIrqVectors', dev: NIC, min: 4, max: 4, irqType: 'msi', affinity: false, fail: null });
      expect(s.world.units[0]!.irteBitmap).toEqual([0, 1, 2, 3]);
      s.do({ type: 'irqDomainFreeIrqs', client: 'client0', virq: 1, n: 1 });
      expect(reported(checkState(s.world), 'irte-accounting')).toBe(
        'DRHD0: irq 2 uses IRTE 0, which the bitmap has free (block released under it)',
      );
    },
  );

  it.each(versions)('%s: an IRTE present without a programmed IR level is reported (hand-built)', (v) => {
    const s = dsa0WithVectors(v, 2);
    s.ok({ type: 'requestIrq', virq: 2, dev: DSA0, devm: false });
    s.ok({ type: 'freeIrq', virq: 2 });
    const u = s.world.units[0]!;
    expect(u.irtes[1]).toBeUndefined();
    expect(inv.check(s.world)).toBeNull();
    const stale = { present: true, vector: 0x21, destCpu: 0, sid: s.world.devices[DSA0]!.rid!, svt: 1 as const };
    const w: World = { ...s.world, units: [{ ...u, irtes: { ...u.irtes, 1: stale } }, s.world.units[1]!] };
    expect(reported(checkState(w), 'irte-accounting')).toBe(
      'DRHD0: IRTE 1 is present but no live irq has it programmed',
    );
  });

  it("an allocated IRTE with no owner, and a block owned in the wrong unit's domain, are reported (hand-built)", () => {
    const w0 = boot('6.2');
    const u1 = w0.units[1]!;
    const leaked: World = { ...w0, units: [w0.units[0]!, { ...u1, irteBitmap: [15] }] };
    expect(reported(checkState(leaked), 'irte-accounting')).toBe(
      'DRHD1: IRTE 15 is allocated but no live irq owns it: leaked',
    );

    const s = dsa0WithVectors('6.2', 1);
    const d = s.world.irqs[1]!;
    const irDom = d.levels[1]!.domain;
    // the IR level's domain claims DRHD1 while its chip data holds an IRTE of DRHD0
    const w: World = { ...s.world, domains: { ...s.world.domains, [irDom]: { ...s.world.domains[irDom]!, unit: 1 } } };
    expect(inv.check(w)).toBe('irq 1: IR level of INTEL-IR-0 holds IRTE 0 of DRHD0');
  });

  it.each(versions)('%s: holds through the clean lifecycle (blocks of 1 and 4, both units, present and not)', (v) => {
    const s = cleanLifecycle(v);
    expect(s.worlds.some((w) => w.units[0]!.irteBitmap.length >= 12 && w.units[1]!.irteBitmap.length === 2)).toBe(true);
    expect(s.worlds.some((w) => Object.values(w.units[0]!.irtes).some((e) => e.present))).toBe(true);
    holdsThroughout(s, inv);
    expect(s.world.units.map((u) => u.irteBitmap)).toEqual([[], []]);
  });
});

describe('msi-desc-lifetime (I7)', () => {
  const inv = stateInvariant('msi-desc-lifetime');

  it.each(versions)('%s: deviceUnregister with MSI-X vectors still allocated leaves the descs behind', (v) => {
    const s = dsa0WithVectors(v);
    s.do({ type: 'deviceUnregister', dev: DSA0 });
    expect(s.world.devices[DSA0]!.released).toBe(true);
    expect(reported(checkState(s.world), 'msi-desc-lifetime')).toBe('msi_desc #0 (index 0) outlives its device #0');
  });

  it("6.2: a desc dropped from the device's index store is unreachable: leaked (hand-built)", () => {
    const s = dsa0WithVectors('6.2', 4);
    const dev = s.world.devices[DSA0]!;
    const md = dev.msiData!;
    const { 3: gone, ...rest } = md.stores[0];
    expect(gone).toBeDefined();
    const w: World = {
      ...s.world,
      devices: { ...s.world.devices, [DSA0]: { ...dev, msiData: { ...md, stores: [rest, md.stores[1]] } } },
    };
    expect(reported(checkState(w), 'msi-desc-lifetime')).toBe(
      `msi_desc #${gone} of 0000:6a:01.0 (index 3, irq 4) is no longer reachable from the device: leaked`,
    );
  });

  it('5.10: a device list naming a freed desc, and a platform-MSI devid nobody holds, are reported (hand-built)', () => {
    const s = dsa0WithVectors('5.10', 2);
    const dev = s.world.devices[DSA0]!;
    const dangling: World = {
      ...s.world,
      devices: { ...s.world.devices, [DSA0]: { ...dev, msiList: [...dev.msiList, 42] } },
    };
    expect(inv.check(dangling)).toBe('0000:6a:01.0: msi_list names freed msi_desc #42');
    const devid: World = { ...s.world, platformDevids: [7] };
    expect(inv.check(devid)).toBe('platform-MSI devid 7 is allocated but no device holds it: leaked');
  });

  it.each(versions)(
    '%s: holds through the clean lifecycle, and unregistering a cleanly unbound device keeps it',
    (v) => {
      const s = cleanLifecycle(v);
      expect(s.worlds.some((w) => w.platformDevids.length === 1)).toBe(true);
      holdsThroughout(s, inv);
      // DSA0 unbound with its vectors live: devres freed them; now it can go
      s.ok({ type: 'deviceUnregister', dev: DSA0 });
      s.ok({ type: 'deviceUnregister', dev: NIC });
      expect(inv.check(s.world)).toBeNull();
      expect(Object.keys(s.world.descs)).toEqual([]);
    },
  );

  it.each(versions)('%s: DSA1 keeps its descs while bound and loses them with pci_free_irq_vectors', (v) => {
    const s = session(v);
    s.ok({ type: 'driverProbe', dev: DSA1, managed: true, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: DSA1, min: 9, max: 9, irqType: 'msix', affinity: false, fail: null });
    expect(Object.keys(s.world.descs)).toHaveLength(9);
    expect(inv.check(s.world)).toBeNull();
    s.ok({ type: 'pciFreeIrqVectors', dev: DSA1 });
    expect(Object.keys(s.world.descs)).toHaveLength(0);
    expect(inv.check(s.world)).toBeNull();
  });
});

describe('fwnode-ownership (spec 1.1, fwnode row)', () => {
  const inv = stateInvariant('fwnode-ownership');

  it.each(versions)('%s: boot names the vector and IR domains on named fwnodes, one each', (v) => {
    const s = session(v);
    expect(inv.check(s.world)).toBeNull();
    const named = Object.values(s.world.domains)
      .filter((d) => d.fwnode !== undefined)
      .map((d) => d.name);
    expect(named).toContain('VECTOR');
    expect(named).toContain('INTEL-IR-0');
    expect(Object.keys(s.world.fwnodes)).toHaveLength(named.length);
  });

  it('5.10: irqDomainRemove of INTEL-IR-MSI-0 by a caller that does not free its fwnode leaks it', () => {
    const s = session('5.10');
    const dom = s.world.units[0]!.irMsiDomain!;
    s.do({ type: 'irqDomainRemove', domain: dom });
    expect(reported(checkState(s.world), 'fwnode-ownership')).toMatch(
      /^fwnode #\d+ "INTEL-IR-MSI-0" is allocated but no live domain holds it: leaked$/,
    );
  });

  it('a domain on a freed fwnode, and two domains on one fwnode, are reported (hand-built)', () => {
    const s = session('6.2');
    const ir = s.world.domains[s.world.units[0]!.irDomain!]!;
    const { [ir.fwnode!]: _gone, ...rest } = s.world.fwnodes;
    expect(inv.check({ ...s.world, fwnodes: rest })).toBe(`INTEL-IR-0 holds fwnode #${ir.fwnode}, which was freed`);
    const vec = s.world.domains[s.world.vectorDomain]!;
    const shared: World = { ...s.world, domains: { ...s.world.domains, [ir.id]: { ...ir, fwnode: vec.fwnode! } } };
    expect(inv.check(shared)).toMatch(
      new RegExp(`^fwnode #${vec.fwnode} is held by (VECTOR and INTEL-IR-0|INTEL-IR-0 and VECTOR)$`),
    );
  });

  it.each(versions)(
    '%s: holds through the clean lifecycle (6.2: device domains created and removed on unbind)',
    (v) => {
      const s = cleanLifecycle(v);
      holdsThroughout(s, inv);
      if (v === '6.2')
        expect(s.worlds.some((w) => Object.keys(w.fwnodes).length > Object.keys(s.worlds[0]!.fwnodes).length)).toBe(
          true,
        );
      expect(Object.keys(s.world.fwnodes)).toHaveLength(Object.keys(s.worlds[0]!.fwnodes).length);
    },
  );
});

// the violating and the clean case of host-int-desc-accounting need the hyperv-pci platform: hyperv-pci.test.ts
describe('host-int-desc-accounting (Hyper-V PCI)', () => {
  it('is a state invariant of the leak category; the small platform (no Hyper-V bus) holds it', () => {
    const inv = stateInvariant('host-int-desc-accounting');
    expect(inv.category).toBe('leak');
    expect(inv.check(session('6.2').world)).toBeNull();
  });
});

describe('vector-delivery (§1.2)', () => {
  const inv = stateInvariant('vector-delivery');

  it.each(versions)('%s: the clean lifecycle of the small platform (IR, no IR, moves, hotplug) holds it', (v) => {
    holdsThroughout(cleanLifecycle(v), inv);
  });

  it.each(versions)('%s: clean VMD and non-VMD runs pass', (v) => {
    const s = nvmeRunning(v);
    s.ok({ type: 'driverProbe', dev: VMD_NIC, managed: false, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: VMD_NIC, min: 2, max: 2, irqType: 'msix', affinity: false, fail: null });
    s.ok({ type: 'requestIrq', virq: devIrqs(s.world, VMD_NIC)[0]!.virq, dev: VMD_NIC, devm: false });
    s.ok({ type: 'irqSetAffinity', virq: devIrqs(s.world, VMD_NIC)[0]!.virq, cpus: [2], fromUser: false });
    s.ok({ type: 'cpuOffline', cpu: 0 });
    for (const w of s.worlds) expect(inv.check(w)).toBeNull();
  });

  it('an irq whose direct message names another vector than the one it holds is reported (hand-built)', () => {
    const s = session('6.2');
    // a direct user with a fixed mask holds a real vector from allocation; an MSI level put on top by hand
    s.ok({ type: 'irqDomainAllocIrqs', client: 'client0', domain: s.world.vectorDomain, n: 1, cpus: [1], fail: null });
    const d = s.world.irqs[1]!;
    const vec = d.levels[0]!;
    const forged: World = {
      ...s.world,
      irqs: {
        ...s.world.irqs,
        1: {
          ...d,
          levels: [
            {
              domain: vec.domain,
              hwirq: 0,
              programmed: true,
              chip: { kind: 'msi', msg: { format: 'direct', vector: 0x99, cpu: 3 } },
            },
            vec,
          ],
        },
      },
    };
    expect(inv.check(forged)).toMatch(
      /^irq 1 holds vector 0x\w+ on CPU\d, but its device's message targets 0x99 on CPU3$/,
    );
  });

  it('5.10 with the VMD domain on the vector domain (B05): the child holds a vector its message never reaches', () => {
    const s = vmdSession('5.10', ['B05']);
    s.ok({ type: 'vmdProbe', dev: VMD_CTRL, fail: null });
    s.ok({ type: 'driverProbe', dev: VMD_NVME, managed: true, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: VMD_NVME, min: 1, max: 1, irqType: 'msix', affinity: false, fail: null });
    expect(reported(checkState(s.world), 'vector-delivery')).toMatch(
      /^irq \d+ holds vector 0x\w+ on CPU\d, but its device's message goes to VMD MSI-X entry [12] \(irq \d\): the vector is never used$/,
    );
  });
});

describe('chip-data-ownership (§1.2)', () => {
  const inv = stateInvariant('chip-data-ownership');

  it.each(versions)('%s: the clean lifecycle of the small platform holds it', (v) => {
    holdsThroughout(cleanLifecycle(v), inv);
  });

  it.each(versions)('%s: clean VMD lifecycle passes', (v) => {
    const s = nvmeRunning(v);
    s.ok({ type: 'pciFreeIrqVectors', dev: VMD_NVME });
    s.ok({ type: 'deviceReleaseDriver', dev: VMD_CTRL });
    for (const w of s.worlds) expect(inv.check(w)).toBeNull();
  });

  it('a level holding a freed vmd_irq, and a vmd_irq no level holds, are reported (hand-built)', () => {
    const s = nvmeRunning('6.2');
    const objs = s.world.platform.vmdIrqs!;
    const [first] = Object.values(objs);
    const { [first!.id]: _gone, ...rest } = objs as Record<number, (typeof objs)[number]>;
    expect(inv.check({ ...s.world, platform: { ...s.world.platform, vmdIrqs: rest } })).toMatch(
      new RegExp(`^irq ${first!.virq}: its VMD-MSI level holds vmd_irq #${first!.id}, which was freed$`),
    );
    const orphan = { id: 99, vmd: VMD_CTRL, list: 1, virq: 42 };
    expect(inv.check({ ...s.world, platform: { ...s.world.platform, vmdIrqs: { ...objs, 99: orphan } } })).toBe(
      'vmd_irq #99 (irq 42) is allocated but no live irq level holds it: leaked',
    );
  });

  it('6.2 with vmd_msi_free() taking the top level chip_data (B25): freeing a child irq oopses', () => {
    const s = nvmeRunning('6.2', ['B25']);
    const o = s.do({ type: 'pciFreeIrqVectors', dev: VMD_NVME });
    expect(o.kind).toBe('bug');
    expect(reported(s.last.violations, 'no-kernel-bug')).toMatch(
      /vmd_msi_free\(irq \d+\): irq_get_chip_data\(\) returns the VMD-PCI-MSIX-10000:01:00.0 level's chip_data \(NULL\)/,
    );
  });
});
