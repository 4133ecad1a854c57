/*
 * test/invariants/line-irqs.test.ts - virq-ownership (I1) for hwirq mappings of a wired domain:
 * a mapping's virq is held by the drivers that mapped the line, and nothing else
 */
import { describe, expect, it } from 'vitest';
import { bootWorld } from '../../models/machine/boot.ts';
import { kernelProfile } from '../../models/world/profile.ts';
import { racesConfig } from '../../models/world/platform.ts';
import { apply, checkState, NIC, PLAT } from '../helpers.ts';
import { applyOk } from '../helpers.ts';

const world = () => bootWorld(kernelProfile('6.2', { quirks: false }), racesConfig);
const mapped = () =>
  applyOk(world(), [
    { type: 'driverProbe', dev: NIC, managed: false, fail: false },
    { type: 'driverProbe', dev: PLAT, managed: false, fail: false },
    { type: 'irqCreateLineMapping', dev: NIC },
    { type: 'irqCreateLineMapping', dev: PLAT },
  ]).world;

describe('virq-ownership (I1): hwirq mappings', () => {
  it('a mapped virq no driver holds any more has leaked', () => {
    const w = mapped();
    const m = checkState({ ...w, lineIrqs: {} }).find((v) => v.invariant === 'virq-ownership');
    expect(m?.message).toMatch(/irq 1 maps hwirq 16 and no driver holds it any more/);
  });

  it('a driver holding a virq disposed of behind its back is reported (any caller: the first user disposes)', () => {
    const a = apply(mapped(), [{ type: 'irqDisposeLineMapping', dev: NIC }]);
    expect(a.violations.map((v) => v.message).join('\n')).toMatch(
      /the driver of plat0 holds irq 1 of its interrupt line, which was freed behind its back/,
    );
  });

  it('a shared mapping mapped, requested, moved and freed holds every invariant; a sole user disposes of its own', () => {
    expect(checkState(mapped())).toEqual([]);
    const a = apply(mapped(), [
      { type: 'requestIrq', virq: 1, dev: null, devm: false },
      { type: 'cpuOffline', cpu: 0 },
      { type: 'freeIrq', virq: 1 },
    ]);
    expect(a.violations).toEqual([]);
    const sole = applyOk(world(), [
      { type: 'driverProbe', dev: NIC, managed: false, fail: false },
      { type: 'irqCreateLineMapping', dev: NIC },
    ]).world;
    const b = apply(sole, [{ type: 'irqDisposeLineMapping', dev: NIC }]);
    expect(b.violations).toEqual([]);
    expect(b.world.irqs[1]).toBeUndefined();
  });
});
