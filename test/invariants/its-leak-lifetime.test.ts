/*
 * test/invariants/its-leak-lifetime.test.ts - the GIC-ITS per-device state (arm-its platform)
 *
 * its-event-accounting (leak): event ids allocated exactly for the live interrupts mapped
 * through them; msi-parent-device-state (lifetime): an its_device exists for every device with
 * an MSI domain on the ITS, sized for it, and not beyond. Each: a world edited by hand that it
 * must report, and a clean arm-its lifecycle it must accept.
 */
import { describe, expect, it } from 'vitest';
import { holdsThroughout, reported, type Session, stateInvariant } from './fixtures.ts';
import { checkState } from '../helpers.ts';
import { itsSession, withIts, NVME, MSIDEV, MBIGEN } from './its-fixtures.ts';

/** a legal lifecycle on arm-its: PCI MSI-X and multi-MSI, an MSI<->MSI-X switch, unbind, wired pins */
function itsLifecycle(): Session {
  const s = itsSession();
  s.ok({ type: 'driverProbe', dev: NVME, managed: true, fail: false });
  s.ok({ type: 'pciAllocIrqVectors', dev: NVME, min: 3, max: 3, irqType: 'msix', affinity: false, fail: null });
  s.ok({ type: 'requestIrq', virq: 1, dev: NVME, devm: false });
  s.ok({ type: 'irqSetAffinity', virq: 1, cpus: [2], fromUser: true });
  s.ok({ type: 'cpuOffline', cpu: 2 });
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
  s.ok({ type: 'pciFreeIrqVectors', dev: MSIDEV });
  s.ok({ type: 'irqCreateFwspecMapping', dev: MBIGEN, pin: 0 });
  s.ok({ type: 'irqCreateFwspecMapping', dev: MBIGEN, pin: 3 });
  s.ok({
    type: 'irqDisposeMapping',
    virq: s.world.irqs[
      Number(
        Object.keys(s.world.irqs).find(
          (v) => s.world.domains[s.world.irqs[Number(v)]!.levels[0]!.domain]!.kind === 'mbigen',
        ),
      )
    ]!.virq,
  });
  s.ok({ type: 'irqCreateFwspecMapping', dev: MBIGEN, pin: 1 });
  s.ok({ type: 'deviceReleaseDriver', dev: NVME });
  s.ok({ type: 'deviceReleaseDriver', dev: MSIDEV });
  s.ok({ type: 'deviceUnregister', dev: MSIDEV });
  return s;
}

describe('the arm-its lifecycle', () => {
  it('runs with every invariant holding', () => {
    const s = itsLifecycle();
    expect(s.violations).toEqual([]);
    // the PCI devices' its_devices went with their domains; the mbigen's stays with its domain
    expect(Object.keys(s.world.platform.its!.devices).map(Number)).toEqual([MBIGEN]);
  });
});

describe('its-event-accounting', () => {
  const inv = stateInvariant('its-event-accounting');

  it('holds through the arm-its lifecycle', () => holdsThroughout(itsLifecycle(), inv));

  it('reports an event allocated for no interrupt (leaked) and an interrupt on a free event', () => {
    const s = itsSession();
    s.ok({ type: 'driverProbe', dev: NVME, managed: false, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: NVME, min: 2, max: 2, irqType: 'msix', affinity: false, fail: null });
    expect(checkState(s.world)).toEqual([]);
    const extra = withIts(s.world, (its) => ({
      ...its,
      devices: { ...its.devices, [NVME]: { ...its.devices[NVME]!, events: [0, 1, 5] } },
    }));
    expect(reported(checkState(extra), 'its-event-accounting')).toMatch(
      /0000:00:01\.0: event 5 is allocated but no live interrupt is mapped to it: leaked/,
    );
    const missing = withIts(s.world, (its) => ({
      ...its,
      devices: { ...its.devices, [NVME]: { ...its.devices[NVME]!, events: [0] } },
    }));
    expect(reported(checkState(missing), 'its-event-accounting')).toMatch(
      /irq 2 is mapped to event 1 of 0000:00:01\.0, which its lpi_map has free/,
    );
  });

  it('reports an event beyond the ITT', () => {
    const s = itsSession();
    s.ok({ type: 'irqCreateFwspecMapping', dev: MBIGEN, pin: 0 });
    const w = withIts(s.world, (its) => ({
      ...its,
      devices: { ...its.devices, [MBIGEN]: { ...its.devices[MBIGEN]!, nrEvents: 0 } },
    }));
    expect(inv.check(w)).toMatch(/mbigen0: event 0 is allocated outside its ITT of 0/);
  });
});

describe('msi-parent-device-state', () => {
  const inv = stateInvariant('msi-parent-device-state');

  it('holds through the arm-its lifecycle', () => holdsThroughout(itsLifecycle(), inv));

  it('reports a device domain on the ITS whose its_device is gone, or too small for it', () => {
    const s = itsSession();
    s.ok({ type: 'driverProbe', dev: NVME, managed: false, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: NVME, min: 2, max: 2, irqType: 'msix', affinity: false, fail: null });
    s.ok({ type: 'pciFreeIrqVectors', dev: NVME });
    expect(checkState(s.world)).toEqual([]);
    const gone = withIts(s.world, (its) => ({
      ...its,
      devices: Object.fromEntries(Object.entries(its.devices).filter(([d]) => Number(d) !== NVME)),
    }));
    expect(reported(checkState(gone), 'msi-parent-device-state')).toMatch(
      /0000:00:01\.0 has the MSI domain ITS-PCI-MSIX-0000:00:01\.0 on ITS, but the parent holds no its_device for it/,
    );
    const small = withIts(s.world, (its) => ({
      ...its,
      devices: { ...its.devices, [NVME]: { ...its.devices[NVME]!, nrEvents: 2 } },
    }));
    expect(inv.check(small)).toMatch(
      /its_device of 0000:00:01\.0 has an ITT of 2 events, but its domain ITS-PCI-MSIX-0000:00:01\.0 has 8 interrupts/,
    );
  });

  it('reports an its_device left behind by a removed domain', () => {
    const s = itsSession();
    s.ok({ type: 'driverProbe', dev: MSIDEV, managed: false, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: MSIDEV, min: 1, max: 1, irqType: 'msi', affinity: false, fail: null });
    s.ok({ type: 'pciFreeIrqVectors', dev: MSIDEV });
    const before = s.world;
    s.ok({ type: 'deviceReleaseDriver', dev: MSIDEV });
    expect(s.world.platform.its!.devices[MSIDEV]).toBeUndefined();
    // the removal as it would be without .msi_teardown(): the state stays
    const left = withIts(s.world, (its) => ({
      ...its,
      devices: { ...its.devices, [MSIDEV]: before.platform.its!.devices[MSIDEV]! },
    }));
    expect(reported(checkState(left), 'msi-parent-device-state')).toMatch(
      /its_device of 0000:00:02\.0 outlives every MSI domain of the device on ITS: leaked/,
    );
  });
});
