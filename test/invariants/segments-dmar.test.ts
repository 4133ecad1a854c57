/*
 * test/invariants/segments-dmar.test.ts - the PCI segments and DMAR fault-interrupt platforms
 *
 * msi-hwirq-distinct (I9, hwirq part): two PCI functions that share the global PCI-MSI domain
 * must get distinct hwirqs (a world edited by hand: both functions on one segment with the same
 * bus/devfn); a clean lifecycle on three segments passes. The DMAR fault interrupt: allocated
 * and requested by dmar_set_interrupt(), owned by its unit (virq-ownership), freed on hot remove,
 * allocated again on hot add; a unit that forgets it is a leak.
 */
import { describe, expect, it } from 'vitest';
import { bootWorld } from '../../models/machine/boot.ts';
import { kernelProfile, type KernelVersion } from '../../models/world/profile.ts';
import { dmarFaultConfig, segmentsConfig } from '../../models/world/platform.ts';
import type { World } from '../../models/world/types.ts';
import { checkState } from '../helpers.ts';
import { reported, Session, stateInvariant, versions } from './fixtures.ts';
import { pciMsiHwirq } from '../../models/drivers/pci/segment.ts';

const SEG0 = 0; // 0000:17:00.0
const SEG19 = 1; // 0019:00:00.0
const SEG39 = 2; // 0039:00:00.0

const segments = (faults: readonly 'B32'[] = []) =>
  new Session(bootWorld({ ...kernelProfile('5.10', { quirks: false }), faults }, segmentsConfig));
const dmarFault = (v: KernelVersion, faults: readonly 'B31'[] = []) =>
  new Session(bootWorld({ ...kernelProfile(v, { quirks: false }), faults }, dmarFaultConfig));

describe('msi-hwirq-distinct (I9, shared PCI/MSI domain)', () => {
  const inv = stateInvariant('msi-hwirq-distinct');

  it('the segment is part of the hwirq, above the requester id', () => {
    const w = segments().world;
    expect(pciMsiHwirq(w, w.devices[SEG19]!, 0)).toBe(0x19 * 2 ** 27);
    expect(pciMsiHwirq(w, w.devices[SEG39]!, 3)).toBe(0x39 * 2 ** 27 + 3);
    expect(pciMsiHwirq(w, w.devices[SEG0]!, 1)).toBe(0x1700 * 2 ** 11 + 1);
  });

  it('5.10: two bound functions of one segment with the same bus/devfn collide (hand-built)', () => {
    const s = segments();
    s.ok({ type: 'driverProbe', dev: SEG19, managed: false, fail: false });
    s.ok({ type: 'driverProbe', dev: SEG39, managed: false, fail: false });
    expect(inv.check(s.world)).toBeNull();
    const w: World = {
      ...s.world,
      devices: { ...s.world.devices, [SEG39]: { ...s.world.devices[SEG39]!, segment: 0x19 } },
    };
    expect(reported(checkState(w), 'msi-hwirq-distinct')).toBe(
      'PCI-MSI gives 0019:00:00.0 and 0039:00:00.0 the same hwirqs (0xc8000000...)',
    );
  });

  it('5.10: every function of three segments enables MSI-X through PCI-MSI and tears it down: nothing reported', () => {
    const s = segments();
    for (const dev of [SEG0, SEG19, SEG39]) {
      s.ok({ type: 'driverProbe', dev, managed: false, fail: false });
      expect(
        s.ok({ type: 'pciAllocIrqVectors', dev, min: 1, max: 4, irqType: 'msix', affinity: false, fail: null }),
      ).toBe(4);
    }
    const top = Object.values(s.world.irqs).map((d) => d.levels[0]!);
    expect(new Set(top.map((l) => l.domain))).toEqual(new Set([s.world.defaultPciMsiDomain]));
    expect(new Set(top.map((l) => l.hwirq)).size).toBe(12);
    for (const dev of [SEG0, SEG19, SEG39]) s.ok({ type: 'pciFreeIrqVectors', dev });
    expect(s.violations).toEqual([]);
  });

  it('5.10 with B32 (db744ddd59be): the second segment is refused its MSI-X and the invariant names the pair', () => {
    const s = segments(['B32']);
    s.ok({ type: 'driverProbe', dev: SEG19, managed: false, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: SEG19, min: 1, max: 1, irqType: 'msix', affinity: false, fail: null });
    s.ok({ type: 'driverProbe', dev: SEG39, managed: false, fail: false });
    expect(reported(s.last.violations, 'msi-hwirq-distinct')).toContain('0019:00:00.0 and 0039:00:00.0');
    const o = s.fails({
      type: 'pciAllocIrqVectors',
      dev: SEG39,
      min: 1,
      max: 1,
      irqType: 'msix',
      affinity: false,
      fail: null,
    });
    expect(o.kind === 'err' && o.why).toContain('already mapped in PCI-MSI');
  });
});

describe('DMAR fault interrupt (dmar-fault platform)', () => {
  it.each(versions)(
    '%s: dmar_set_interrupt allocates and requests one DMAR-MSI irq per unit; hot remove frees it, hot add brings it back',
    (v) => {
      const s = dmarFault(v);
      s.ok({ type: 'dmarSetInterrupt', unit: 0 });
      s.ok({ type: 'dmarSetInterrupt', unit: 1 });
      s.ok({ type: 'dmarSetInterrupt', unit: 1 }); // iommu->irq set: nothing to do
      const dom = s.world.platform.dmarMsiDomain!;
      expect(s.world.domains[dom]!.name).toBe('DMAR-MSI');
      expect(s.world.domains[dom]!.parent).toBe(s.world.vectorDomain);
      const irq1 = s.world.units[1]!.faultIrq!;
      expect(s.world.irqs[irq1]!.owner).toEqual({ kind: 'dmar', unit: 1 });
      expect(s.world.irqs[irq1]!.levels.map((l) => l.hwirq)[0]).toBe(1);
      expect(s.world.irqs[irq1]!.action).not.toBeNull();
      // DRHD1's only scope device goes first (a legal hot remove leaves no device pointing at it)
      s.ok({ type: 'deviceUnregister', dev: 1 });
      s.ok({ type: 'dmarHotRemove', unit: 1 });
      expect(s.world.irqs[irq1]).toBeUndefined();
      expect(s.world.units[1]!.faultIrq).toBe(0);
      s.ok({ type: 'dmarHotAdd', unit: 1 });
      expect(s.world.irqs[s.world.units[1]!.faultIrq!]!.owner).toEqual({ kind: 'dmar', unit: 1 });
      expect(s.violations).toEqual([]);
    },
  );

  it('5.10: a unit that loses track of its fault interrupt leaks it (hand-built)', () => {
    const s = dmarFault('5.10');
    s.ok({ type: 'dmarSetInterrupt', unit: 0 });
    const irq = s.world.units[0]!.faultIrq!;
    const w: World = { ...s.world, units: s.world.units.map((u) => (u.id === 0 ? { ...u, faultIrq: 0 } : u)) };
    expect(reported(checkState(w), 'virq-ownership')).toBe(
      `irq ${irq} is the fault interrupt of DRHD0, which no longer holds it: the virq leaked`,
    );
  });

  it('5.10 with B31 (d27e623ace6a): the first fault-interrupt allocation calls the NULL get_hwirq', () => {
    const s = dmarFault('5.10', ['B31']);
    const o = s.do({ type: 'dmarSetInterrupt', unit: 0 });
    expect(o.kind).toBe('bug');
    expect(reported(s.last.violations, 'no-kernel-bug')).toContain('ops->get_hwirq is NULL');
  });

  it('the small platform has no fault interrupts and offers no dmar_set_interrupt', async () => {
    const { opSpecs } = await import('../../src/generate/op-specs.ts');
    const { boot } = await import('../helpers.ts');
    const w = boot('6.2', { quirks: false });
    expect(opSpecs.dmarSetInterrupt.candidates(w, 'legal')).toEqual([]);
    expect(opSpecs.dmarSetInterrupt.candidates(w, 'any')).toEqual([]);
    expect(w.platform.dmarMsiDomain).toBeNull();
  });
});
