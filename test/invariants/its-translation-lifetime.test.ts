/*
 * test/invariants/its-translation-lifetime.test.ts - the GIC-ITS translations as hardware state (arm-its)
 *
 * its-event-translation (lifetime): the ITS translates an event exactly while an activated
 * interrupt is mapped through it (MAPTI at activation, DISCARD at deactivation);
 * its-command-valid (lifetime): no ITS command names an event the ITS does not translate.
 * Each: a world edited by hand that it must report, and a clean arm-its run it must accept.
 */
import { describe, expect, it } from 'vitest';
import type { World } from '../../models/world/types.ts';
import { holdsThroughout, reported, type Session, stateInvariant } from './fixtures.ts';
import { checkState } from '../helpers.ts';
import { itsSession, withIts, NVME, MSIDEV, MBIGEN } from './its-fixtures.ts';

const mbigenVirq = (w: World): number =>
  Number(Object.keys(w.irqs).find((v) => w.domains[w.irqs[Number(v)]!.levels[0]!.domain]!.kind === 'mbigen'));

/** early activation, request/free, affinity while activated and not, CPU hotplug, wired pins, unbind */
function translationRun(): Session {
  const s = itsSession();
  s.ok({ type: 'driverProbe', dev: NVME, managed: true, fail: false });
  s.ok({ type: 'pciAllocIrqVectors', dev: NVME, min: 3, max: 3, irqType: 'msix', affinity: false, fail: null });
  s.ok({ type: 'requestIrq', virq: 1, dev: NVME, devm: false });
  s.ok({ type: 'irqSetAffinity', virq: 1, cpus: [2], fromUser: true });
  s.ok({ type: 'cpuOffline', cpu: 2 });
  s.ok({ type: 'freeIrq', virq: 1 });
  s.ok({ type: 'irqSetAffinity', virq: 1, cpus: [3], fromUser: true });
  s.ok({ type: 'requestIrq', virq: 1, dev: NVME, devm: false });
  s.ok({ type: 'freeIrq', virq: 1 });
  s.ok({ type: 'pciFreeIrqVectors', dev: NVME });
  s.ok({ type: 'pciAllocIrqVectors', dev: NVME, min: 1, max: 8, irqType: 'msix', affinity: true, fail: null });
  s.ok({ type: 'cpuOnline', cpu: 2 });
  s.ok({ type: 'driverProbe', dev: MSIDEV, managed: false, fail: false });
  s.fails({
    type: 'pciAllocIrqVectors',
    dev: MSIDEV,
    min: 4,
    max: 4,
    irqType: 'msi',
    affinity: false,
    fail: { site: 'irq-desc', index: 0 },
  });
  s.ok({ type: 'pciAllocIrqVectors', dev: MSIDEV, min: 3, max: 4, irqType: 'msi', affinity: false, fail: null });
  s.ok({ type: 'irqCreateFwspecMapping', dev: MBIGEN, pin: 0 });
  const pin = mbigenVirq(s.world);
  s.ok({ type: 'requestIrq', virq: pin, dev: MBIGEN, devm: false });
  s.ok({ type: 'freeIrq', virq: pin });
  s.ok({ type: 'irqDisposeMapping', virq: pin });
  s.ok({ type: 'deviceReleaseDriver', dev: NVME });
  s.ok({ type: 'pciFreeIrqVectors', dev: MSIDEV });
  s.ok({ type: 'deviceReleaseDriver', dev: MSIDEV });
  return s;
}

describe('its-event-translation', () => {
  const inv = stateInvariant('its-event-translation');

  it('holds through a clean arm-its run, which maps and discards events', () => {
    const s = translationRun();
    expect(s.violations).toEqual([]);
    holdsThroughout(s, inv);
  });

  it('tracks MAPTI at early activation and DISCARD at teardown', () => {
    const s = itsSession();
    s.ok({ type: 'driverProbe', dev: NVME, managed: false, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: NVME, min: 2, max: 2, irqType: 'msix', affinity: false, fail: null });
    expect(s.world.platform.its!.devices[NVME]!.mapped).toEqual([0, 1]);
    s.ok({ type: 'pciFreeIrqVectors', dev: NVME });
    expect(s.world.platform.its!.devices[NVME]!.mapped).toEqual([]);
    expect(s.violations).toEqual([]);
  });

  it('reports a translation left for a freed event, and an activated interrupt with none', () => {
    const s = itsSession();
    s.ok({ type: 'driverProbe', dev: NVME, managed: false, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: NVME, min: 2, max: 2, irqType: 'msix', affinity: false, fail: null });
    s.ok({ type: 'pciFreeIrqVectors', dev: NVME });
    const stale = withIts(s.world, (its) => ({
      ...its,
      devices: { ...its.devices, [NVME]: { ...its.devices[NVME]!, mapped: [1] } },
    }));
    expect(reported(checkState(stale), 'its-event-translation')).toMatch(
      /the ITS still translates event 1 of 0000:00:01\.0 \(LPI \d+\), but no activated interrupt is mapped through it: a stale translation/,
    );
    const t = itsSession();
    t.ok({ type: 'driverProbe', dev: NVME, managed: false, fail: false });
    t.ok({ type: 'pciAllocIrqVectors', dev: NVME, min: 2, max: 2, irqType: 'msix', affinity: false, fail: null });
    const lost = withIts(t.world, (its) => ({
      ...its,
      devices: { ...its.devices, [NVME]: { ...its.devices[NVME]!, mapped: [0] } },
    }));
    expect(inv.check(lost)).toMatch(
      /irq 2 is activated through event 1 of 0000:00:01\.0, which the ITS does not translate/,
    );
  });
});

describe('its-command-valid', () => {
  const inv = stateInvariant('its-command-valid');

  it('holds through a clean arm-its run (affinity set while deactivated is kept for activation)', () =>
    holdsThroughout(translationRun(), inv));

  it('reports an ITS command error', () => {
    const s = itsSession();
    s.ok({ type: 'driverProbe', dev: NVME, managed: false, fail: false });
    expect(checkState(s.world)).toEqual([]);
    const bad = withIts(s.world, (its) => ({ ...its, cmdError: 'MOVI of unmapped event 0 of 0000:00:01.0 (irq 1)' }));
    expect(reported(checkState(bad), 'its-command-valid')).toMatch(/ITS command error: MOVI of unmapped event 0/);
  });
});
