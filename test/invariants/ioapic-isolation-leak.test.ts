/*
 * test/invariants/ioapic-isolation-leak.test.ts - I/O APICs behind interrupt-remapping units
 * (models/arch/x86/ioapic.ts, models/drivers/iommu/ir-select.ts) and the invariants that read them:
 * correct-ir-unit, ir-unit-enabled and irte-source-id (isolation), virq-ownership (leak).
 *
 * The platforms: 'ioapic' (two DRHDs, I/O APIC index 0 = id 1 behind DRHD1, index 1 = id 0
 * behind DRHD0), 'amd' (one AMD IOMMU; the second I/O APIC is missing from the IVRS, so
 * remapping is turned off at init), 'hyperv' (hyperv-iommu, one I/O APIC with id 8).
 */
import { describe, expect, it } from 'vitest';
import { worldFor, runCheck } from '../../src/run/check.ts';
import type { IrChipData, World } from '../../models/world/types.ts';
import type { FaultId } from '../../models/faults/catalog.ts';
import { Session, reported, stateInvariant } from './fixtures.ts';
import { describeCall } from '../../src/report/call.ts';

const world = (config: string, faults: FaultId[] = [], kernel: '5.10' | '6.2' = '5.10'): World =>
  worldFor({ design: 'kernel', kernel, quirks: false, config, faults });
const parentName = (w: World, idx: number): string =>
  w.domains[w.domains[w.platform.ioapics![idx]!.domain!]!.parent!]!.name;
const irChip = (w: World, virq: number): IrChipData =>
  w.irqs[virq]!.levels.find((l) => l.chip?.kind === 'ir')!.chip as IrChipData;

describe('I/O APIC domains and their parents (mp_irqdomain_create, select())', () => {
  it.each(['5.10', '6.2'] as const)(
    '%s: each I/O APIC sits on the DRHD whose scope lists its APIC id; pins get IRTEs there with the IOAPIC SID',
    (k) => {
      const s = new Session(world('ioapic', [], k));
      expect(parentName(s.world, 0)).toBe('INTEL-IR-1');
      expect(parentName(s.world, 1)).toBe('INTEL-IR-0');
      const v = s.ok<number>({ type: 'mpMapPinToIrq', ioapic: 0, pin: 2 });
      expect(irChip(s.world, v).unit).toBe(1);
      s.ok({ type: 'requestIrq', virq: v, dev: null, devm: false });
      const c = irChip(s.world, v);
      expect(s.world.units[1]!.irtes[c.irteIndex]).toMatchObject({
        present: true,
        sid: s.world.platform.ioapics![0]!.sid,
        svt: 1,
      });
      expect(s.world.irqs[v]!.levels[0]!.chip).toEqual({
        kind: 'msi',
        msg: { format: 'remappable', unit: 1, index: c.irteIndex, sub: 0 },
      });
      s.ok({ type: 'irqSetAffinity', virq: v, cpus: [3], fromUser: false });
      s.ok({ type: 'freeIrq', virq: v });
      s.ok({ type: 'mpUnmapIrq', virq: v });
      expect(s.world.units[1]!.irteBitmap).toEqual([]);
      expect(s.violations).toEqual([]);
    },
  );

  it('hot remove: -EBUSY while a pin is in use, then the domain and its named fwnode go; hot add builds them again', () => {
    const s = new Session(world('ioapic'));
    const fwnodes = Object.keys(s.world.fwnodes).length;
    const v = s.ok<number>({ type: 'mpMapPinToIrq', ioapic: 1, pin: 0 });
    expect(s.ok<number>({ type: 'mpMapPinToIrq', ioapic: 1, pin: 0 })).toBe(v); // one more user
    s.fails({ type: 'mpUnregisterIoapic', ioapic: 1 });
    s.ok({ type: 'mpUnmapIrq', virq: v });
    s.fails({ type: 'mpUnregisterIoapic', ioapic: 1 });
    s.ok({ type: 'mpUnmapIrq', virq: v });
    s.ok({ type: 'mpUnregisterIoapic', ioapic: 1 });
    expect(Object.keys(s.world.fwnodes).length).toBe(fwnodes - 1);
    s.fails({ type: 'mpMapPinToIrq', ioapic: 1, pin: 0 });
    s.ok({ type: 'acpiIoapicAdd', ioapic: 1 });
    expect(parentName(s.world, 1)).toBe('INTEL-IR-0');
    expect(describeCall(s.world, { type: 'acpiIoapicAdd', ioapic: 1 })).toBe('acpi_ioapic_add(IOAPIC[1] id 0)');
    expect(s.violations).toEqual([]);
  });

  it('a hot-added I/O APIC that no unit claims while remapping is on: -ENOMEM, nothing registered', () => {
    const s = new Session(world('ioapic'));
    s.ok({ type: 'mpUnregisterIoapic', ioapic: 0 });
    s.ok({ type: 'dmarHotRemove', unit: 1 });
    const before = s.world;
    s.fails({ type: 'acpiIoapicAdd', ioapic: 0 });
    expect(s.world).toBe(before);
  });

  it('B27: keyed by index, I/O APIC index 0 (id 1) lands on DRHD0; its pin is caught by correct-ir-unit', () => {
    const s = new Session(world('ioapic', ['B27']));
    expect(parentName(s.world, 0)).toBe('INTEL-IR-0');
    const v = s.ok<number>({ type: 'mpMapPinToIrq', ioapic: 0, pin: 0 });
    expect(reported(s.last.violations, 'correct-ir-unit')).toBe(
      `irq ${v} of IOAPIC[0] (id 1) has its IRTE in DRHD0, but that I/O APIC is behind DRHD1`,
    );
  });

  it('AMD: the init check turns remapping off, the I/O APICs sit on the vector domain', () => {
    const s = new Session(world('amd'));
    expect(s.world.units[0]!.irEnabled).toBe(false);
    expect(parentName(s.world, 0)).toBe('VECTOR');
    const v = s.ok<number>({ type: 'mpMapPinToIrq', ioapic: 0, pin: 1 });
    s.ok({ type: 'requestIrq', virq: v, dev: null, devm: false });
    expect(s.world.irqs[v]!.levels[0]!.chip).toMatchObject({ kind: 'msi', msg: { format: 'direct' } });
    expect(s.violations).toEqual([]);
  });

  it('B29: the disabled AMD unit still claims its I/O APIC; the first pin oopses in alloc_irq_table()', () => {
    const s = new Session(world('amd', ['B29']));
    expect(parentName(s.world, 0)).toBe('AMD-IR-0');
    expect(s.do({ type: 'mpMapPinToIrq', ioapic: 0, pin: 0 }).kind).toBe('bug');
    expect(reported(s.last.violations, 'no-kernel-bug')).toMatch(/^alloc_irq_table: NULL pointer dereference/);
  });

  it('Hyper-V: the emulated I/O APIC (id 8) sits on HYPERV-IR; its pins have no IRTE and a direct RTE', () => {
    const s = new Session(world('hyperv'));
    expect(s.world.bootBug).toBeNull();
    expect(parentName(s.world, 0)).toBe('HYPERV-IR');
    const v = s.ok<number>({ type: 'mpMapPinToIrq', ioapic: 0, pin: 3 });
    s.ok({ type: 'requestIrq', virq: v, dev: null, devm: false });
    expect(s.world.irqs[v]!.levels.map((l) => l.chip?.kind)).toEqual(['msi', 'hv-ir', 'vector']);
    s.ok({ type: 'irqSetAffinity', virq: v, cpus: [1], fromUser: false });
    s.ok({ type: 'deviceFireIrq', virq: v });
    expect(s.world.irqs[v]!.effective).toEqual([1]);
    expect(s.violations).toEqual([]);
  });

  it('B28: Hyper-V claims only param[0] == 0, so setup_IO_APIC() hits BUG() at boot; every call then reports it', () => {
    const s = new Session(world('hyperv', ['B28']));
    expect(s.world.bootBug).toMatch(/^setup_IO_APIC: BUG_ON\(mp_irqdomain_create\(0\)\)/);
    expect(s.do({ type: 'cpuOffline', cpu: 1 }).kind).toBe('bug');
    expect(reported(s.last.violations, 'no-kernel-bug')).toMatch(/no parent irqdomain claims IO-APIC-8/);
  });
});

describe('the invariants on I/O APIC interrupts', () => {
  const mapped = (config: string): { s: Session; v: number } => {
    const s = new Session(world(config));
    const v = s.ok<number>({ type: 'mpMapPinToIrq', ioapic: 0, pin: 0 });
    s.ok({ type: 'requestIrq', virq: v, dev: null, devm: false });
    return { s, v };
  };

  it('ir-unit-enabled: an IR level in a unit whose remapping is off is reported (hand-built)', () => {
    const inv = stateInvariant('ir-unit-enabled');
    const { s, v } = mapped('ioapic');
    expect(inv.check(s.world)).toBeNull();
    const off: World = { ...s.world, units: s.world.units.map((u) => (u.id === 1 ? { ...u, irEnabled: false } : u)) };
    expect(inv.check(off)).toBe(
      `irq ${v} is remapped through INTEL-IR-1 of DRHD1, whose interrupt remapping is disabled`,
    );
  });

  it('irte-source-id: an I/O APIC IRTE with another SID is reported (hand-built)', () => {
    const inv = stateInvariant('irte-source-id');
    const { s, v } = mapped('ioapic');
    expect(inv.check(s.world)).toBeNull();
    const c = irChip(s.world, v);
    const bad: World = {
      ...s.world,
      units: s.world.units.map((u) =>
        u.id === 1 ? { ...u, irtes: { ...u.irtes, [c.irteIndex]: { ...u.irtes[c.irteIndex]!, sid: 0x1234 } } } : u,
      ),
    };
    expect(inv.check(bad)).toBe(`IRTE ${c.irteIndex} of DRHD1 (irq ${v}) has SID 0x1234, but IOAPIC[0] (id 1) is 0xf1`);
  });

  it('virq-ownership: an I/O APIC irq its pin no longer maps is a leak (hand-built)', () => {
    const inv = stateInvariant('virq-ownership');
    const { s, v } = mapped('ioapic');
    expect(inv.check(s.world)).toBeNull();
    const lost: World = {
      ...s.world,
      platform: {
        ...s.world.platform,
        ioapics: s.world.platform.ioapics.map((a) => (a.index === 0 ? { ...a, pinIrq: {} } : a)),
      },
    };
    expect(inv.check(lost)).toBe(`irq ${v} belongs to pin 0 of IOAPIC[0], which no longer maps it: the virq leaked`);
  });

  it.each(['ioapic', 'amd', 'hyperv'])(
    'a legal caller on %s breaks none of them (50 runs, both kernels)',
    (config) => {
      for (const kernel of ['5.10', '6.2'] as const) {
        const r = runCheck({
          design: 'kernel',
          kernel,
          quirks: false,
          config,
          mode: 'legal',
          seed: 7,
          runs: 50,
          minSteps: 25,
          maxSteps: 50,
          only: [
            'correct-ir-unit',
            'ir-unit-enabled',
            'irte-source-id',
            'virq-ownership',
            'fwnode-ownership',
            'parent-chain',
          ],
        });
        expect(r.counterexamples.map((c) => c.invariant)).toEqual([]);
      }
    },
    60_000,
  );
});
