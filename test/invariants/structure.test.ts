/*
 * test/invariants/structure.test.ts - the shape of the hierarchy (spec I9-I12)
 *
 * parent-chain and activation-order cannot be broken by any operation (parent pointers are
 * immutable, activation is parent-first with rollback): their violations are worlds edited by
 * hand. domain-well-formed and correct-ir-unit are broken by dev_set_msi_domain() misuse.
 */
import { describe, expect, it } from 'vitest';
import { checkState, DSA0, DSA1, PLAT } from '../helpers.ts';
import type { IrqData, IrqDesc, World } from '../../models/world/types.ts';
import type { KernelVersion } from '../../models/world/profile.ts';
import { cleanLifecycle, holdsThroughout, reported, session, stateInvariant, versions } from './fixtures.ts';

/** DSA0 bound with @n MSI-X vectors (virqs 1..n) */
function dsa0WithVectors(version: KernelVersion, n = 8) {
  const s = session(version);
  s.ok({ type: 'driverProbe', dev: DSA0, managed: false, fail: false });
  s.ok({ type: 'pciAllocIrqVectors', dev: DSA0, min: n, max: n, irqType: 'msix', affinity: false, fail: null });
  return s;
}

const domainId = (w: World, name: string): number => {
  const d = Object.values(w.domains).find((x) => x.name === name);
  if (!d) throw new Error(`no domain ${name}`);
  return d.id;
};

/** the DMAR unit's MSI domain a PCI device points at (5.10 INTEL-IR-MSI-n, 6.2 INTEL-IR-n) */
const irMsiDomain = (w: World, unit: number): number =>
  w.profile.version === '5.10' ? w.units[unit]!.irMsiDomain! : w.units[unit]!.irDomain!;

const withIrq = (w: World, virq: number, f: (d: IrqDesc) => IrqDesc): World => ({
  ...w,
  irqs: { ...w.irqs, [virq]: f(w.irqs[virq]!) },
});
const withLevel = (d: IrqDesc, lvl: number, f: (l: IrqData) => IrqData): IrqDesc => ({
  ...d,
  levels: d.levels.map((l, i) => (i === lvl ? f(l) : l)),
});

/** the name of the top domain DSA0's MSI-X vectors are allocated from */
const dsa0Top = (v: KernelVersion) => (v === '5.10' ? 'INTEL-IR-MSI-0' : 'IR-PCI-MSIX-0000:6a:01.0');

describe('parent-chain (I9)', () => {
  const inv = stateInvariant('parent-chain');

  it.each(versions)(
    "%s: an irq_data chain that skips the IR level is not its domain's parent chain (hand-built)",
    (v) => {
      const s = dsa0WithVectors(v, 2);
      expect(inv.check(s.world)).toBeNull();
      const w = withIrq(s.world, 2, (d) => ({ ...d, levels: [d.levels[0]!, d.levels[2]!] }));
      const top = dsa0Top(v);
      expect(reported(checkState(w), 'parent-chain')).toBe(
        `irq 2: irq_data chain ${top} -> VECTOR is not the parent chain ${top} -> INTEL-IR-0 -> VECTOR`,
      );
    },
  );

  it.each(versions)('%s: two irqs with the same hwirq in one domain are reported (hand-built)', (v) => {
    const s = dsa0WithVectors(v, 2);
    const hw1 = s.world.irqs[1]!.levels[0]!.hwirq;
    const w = withIrq(s.world, 2, (d) => withLevel(d, 0, (l) => ({ ...l, hwirq: hw1 })));
    expect(reported(checkState(w), 'parent-chain')).toBe(`hwirq ${hw1} of ${dsa0Top(v)} maps both irq 1 and irq 2`);
  });

  it('a level whose alloc never ran, and a chain not ending at VECTOR, are reported (hand-built)', () => {
    const s = dsa0WithVectors('6.2', 1);
    const unalloc = withIrq(s.world, 1, (d) => withLevel(d, 1, (l) => ({ ...l, chip: null })));
    expect(inv.check(unalloc)).toBe('irq 1: level in INTEL-IR-0 was never allocated');
    // a root that is not VECTOR: make INTEL-IR-0 parentless and drop the VECTOR level
    const ir = s.world.units[0]!.irDomain!;
    const rooted: World = {
      ...withIrq(s.world, 1, (d) => ({ ...d, levels: d.levels.slice(0, 2) })),
      domains: { ...s.world.domains, [ir]: { ...s.world.domains[ir]!, parent: null } },
    };
    expect(inv.check(rooted)).toBe('irq 1: chain ends at INTEL-IR-0, not VECTOR');
  });

  it.each(versions)('%s: holds through the clean lifecycle (IR, vector-only, platform and IMS chains)', (v) => {
    const s = cleanLifecycle(v);
    const lengths = new Set(s.worlds.flatMap((w) => Object.values(w.irqs).map((d) => d.levels.length)));
    expect([...lengths].sort()).toEqual([1, 2, 3]);
    holdsThroughout(s, inv);
  });
});

describe('activation-order (I10)', () => {
  const inv = stateInvariant('activation-order');

  it.each(versions)(
    '%s: an irq left ACTIVATED by a deactivation that unprogrammed every level is reported (hand-built)',
    (v) => {
      const s = dsa0WithVectors(v, 1);
      s.ok({ type: 'requestIrq', virq: 1, dev: DSA0, devm: false });
      expect(s.world.irqs[1]!.activated).toBe(true);
      expect(inv.check(s.world)).toBeNull();
      const w = withIrq(s.world, 1, (d) => ({ ...d, levels: d.levels.map((l) => ({ ...l, programmed: false })) }));
      expect(reported(checkState(w), 'activation-order')).toBe(
        `irq 1 is ACTIVATED but its ${dsa0Top(v)} level is not programmed`,
      );
    },
  );

  it.each(versions)('%s: an IR level programmed above an unprogrammed vector level is reported (hand-built)', (v) => {
    const s = dsa0WithVectors(v, 1);
    s.ok({ type: 'requestIrq', virq: 1, dev: DSA0, devm: false });
    const w = withIrq(s.world, 1, (d) => withLevel(d, 2, (l) => ({ ...l, programmed: false })));
    expect(reported(checkState(w), 'activation-order')).toBe(
      'irq 1: INTEL-IR-0 is programmed while its parent level VECTOR is not',
    );
  });

  it.each(versions)('%s: a device message programmed under an unprogrammed IR level is reported (hand-built)', (v) => {
    // reservation mode: early activation programmed every level, then ACTIVATED was cleared
    const s = dsa0WithVectors(v, 1);
    expect(s.world.irqs[1]!.activated).toBe(false);
    expect(s.world.irqs[1]!.levels.map((l) => l.programmed)).toEqual([true, true, true]);
    const w = withIrq(s.world, 1, (d) => withLevel(d, 1, (l) => ({ ...l, programmed: false })));
    expect(reported(checkState(w), 'activation-order')).toBe(
      `irq 1: ${dsa0Top(v)} is programmed while its parent level INTEL-IR-0 is not`,
    );
  });

  it.each(versions)(
    '%s: holds through the clean lifecycle (early activation, request, free, managed shutdown)',
    (v) => {
      const s = cleanLifecycle(v);
      expect(
        s.worlds.some((w) => Object.values(w.irqs).some((d) => !d.activated && d.levels.every((l) => l.programmed))),
      ).toBe(true);
      expect(s.worlds.some((w) => Object.values(w.irqs).some((d) => d.activated))).toBe(true);
      holdsThroughout(s, inv);
    },
  );
});

describe('domain-well-formed (I11)', () => {
  const inv = stateInvariant('domain-well-formed');

  it("5.10: devSetMsiDomain to the other unit's domain while vectors are live", () => {
    const s = dsa0WithVectors('5.10');
    s.ok({ type: 'devSetMsiDomain', dev: DSA0, domain: irMsiDomain(s.world, 1) });
    expect(reported(checkState(s.world), 'domain-well-formed')).toBe(
      "irq 1 of 0000:6a:01.0 was allocated from INTEL-IR-MSI-0, but the device's domain is INTEL-IR-MSI-1",
    );
  });

  it("6.2: devSetMsiDomain to the other unit's IR domain under a live device domain", () => {
    const s = dsa0WithVectors('6.2');
    s.ok({ type: 'devSetMsiDomain', dev: DSA0, domain: irMsiDomain(s.world, 1) });
    expect(reported(checkState(s.world), 'domain-well-formed')).toBe(
      "0000:6a:01.0: device domain IR-PCI-MSIX-0000:6a:01.0 sits on INTEL-IR-0, not on the device's MSI parent",
    );
  });

  it.each(versions)('%s: a platform device with platform MSIs pointed at a non-PLATFORM_MSI domain', (v) => {
    const s = session(v);
    s.ok({ type: 'driverProbe', dev: PLAT, managed: false, fail: false });
    const dom = s.ok<number>({ type: 'platformMsiCreateIrqDomain', parent: s.world.vectorDomain });
    s.ok({ type: 'devSetMsiDomain', dev: PLAT, domain: dom });
    s.ok({ type: 'platformMsiDomainAllocIrqs', dev: PLAT, nvec: 2, fail: null });
    expect(inv.check(s.world)).toBeNull();
    s.ok({ type: 'devSetMsiDomain', dev: PLAT, domain: s.world.vectorDomain });
    expect(reported(checkState(s.world), 'domain-well-formed')).toBe(
      'plat0 holds platform MSIs but its msi_domain VECTOR has bus token ANY',
    );
  });

  it("6.2: a device domain slot holding another device's domain, or a non-IMS secondary domain (hand-built)", () => {
    const s = session('6.2');
    for (const dev of [DSA0, DSA1]) {
      s.ok({ type: 'driverProbe', dev, managed: false, fail: false });
      s.ok({ type: 'pciAllocIrqVectors', dev, min: 1, max: 1, irqType: 'msix', affinity: false, fail: null });
    }
    expect(inv.check(s.world)).toBeNull();
    const other = domainId(s.world, 'IR-PCI-MSIX-0000:6f:01.0');
    const own = domainId(s.world, 'IR-PCI-MSIX-0000:6a:01.0');
    const dev = s.world.devices[DSA0]!;
    const swapped: World = {
      ...s.world,
      devices: { ...s.world.devices, [DSA0]: { ...dev, msiData: { ...dev.msiData!, domains: [other, null] } } },
    };
    expect(reported(checkState(swapped), 'domain-well-formed')).toBe(
      '0000:6a:01.0: __domains[0] is IR-PCI-MSIX-0000:6f:01.0, which is not its device domain',
    );
    const secondary: World = {
      ...s.world,
      devices: { ...s.world.devices, [DSA0]: { ...dev, msiData: { ...dev.msiData!, domains: [own, own] } } },
    };
    expect(inv.check(secondary)).toBe('0000:6a:01.0: secondary domain IR-PCI-MSIX-0000:6a:01.0 is not an IMS domain');
  });

  it.each(versions)('%s: holds through the clean lifecycle (PCI, platform-MSI, 6.2 device and IMS domains)', (v) => {
    const s = cleanLifecycle(v);
    expect(
      s.worlds.some(
        (w) =>
          w.devices[PLAT]!.msiDomain !== null &&
          (w.devices[PLAT]!.platformDevid ?? w.devices[PLAT]!.msiData?.platformDevid ?? null) !== null,
      ),
    ).toBe(true);
    holdsThroughout(s, inv);
  });
});

describe('correct-ir-unit (I12)', () => {
  const inv = stateInvariant('correct-ir-unit');

  it.each(versions)('%s: devSetMsiDomain to the wrong unit before allocating puts the IRTEs in DRHD0', (v) => {
    const s = session(v);
    s.ok({ type: 'devSetMsiDomain', dev: DSA1, domain: irMsiDomain(s.world, 0) });
    s.ok({ type: 'driverProbe', dev: DSA1, managed: false, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: DSA1, min: 2, max: 2, irqType: 'msix', affinity: false, fail: null });
    const vs = checkState(s.world);
    expect(reported(vs, 'correct-ir-unit')).toBe(
      'irq 1 of 0000:6f:01.0 has its IRTE in DRHD0, but 0000:6f:01.0 is behind DRHD1',
    );
    // the device is consistent with the domain it was given: only the unit is wrong
    expect(vs.map((x) => x.invariant)).not.toContain('domain-well-formed');
  });

  it.each(versions)(
    "%s: a device moved to another unit's scope, or out of every scope, is reported (hand-built)",
    (v) => {
      const s = dsa0WithVectors(v, 1);
      const [u0, u1] = s.world.units as [World['units'][0], World['units'][0]];
      const moved: World = {
        ...s.world,
        units: [
          { ...u0, scope: u0.scope.filter((d) => d !== DSA0) },
          { ...u1, scope: [...u1.scope, DSA0] },
        ],
      };
      expect(reported(checkState(moved), 'correct-ir-unit')).toBe(
        'irq 1 of 0000:6a:01.0 has its IRTE in DRHD0, but 0000:6a:01.0 is behind DRHD1',
      );
      // out of every scope: DRHD1 is the include_all unit, so it must not be one either
      const orphan: World = {
        ...s.world,
        units: [
          { ...u0, scope: u0.scope.filter((d) => d !== DSA0) },
          { ...u1, includeAll: false },
        ],
      };
      expect(inv.check(orphan)).toBe('irq 1 of 0000:6a:01.0 is remapped by DRHD0, but no unit covers the device');
    },
  );

  it.each(versions)('%s: holds through the clean lifecycle (DSA0 and the NIC on DRHD0, DSA1 on DRHD1)', (v) => {
    const s = cleanLifecycle(v);
    expect(s.worlds.some((w) => w.units.every((u) => u.irteBitmap.length > 0))).toBe(true);
    holdsThroughout(s, inv);
  });
});
