/*
 * test/invariants/its-affinity.test.ts - managed-affinity on a chain with no x86 vector (arm-its)
 *
 * On the GIC-ITS an activated managed irq targets the CPU its_select_cpu() chose from the online
 * CPUs of its mask; a managed irq whose mask has no online CPU is left in managed shutdown by
 * the early activation (msi_init_virq(), d802057c7c55). The rule: an activated managed irq never
 * targets a CPU outside its mask. A world edited by hand that it must report, a clean run it
 * must accept, and the B37 sequence checked end to end against its-command-valid.
 */
import { describe, expect, it } from 'vitest';
import { holdsThroughout, reported, type Session, stateInvariant } from './fixtures.ts';
import { checkState } from '../helpers.ts';
import { itsSession, NVME, MSIDEV, MBIGEN } from './its-fixtures.ts';

/** managed vectors allocated with a CPU offline, that CPU back, requested, moved off by hotplug */
function managedRun(): Session {
  const s = itsSession();
  s.ok({ type: 'cpuOffline', cpu: 2 });
  s.ok({ type: 'driverProbe', dev: NVME, managed: true, fail: false });
  s.ok({ type: 'pciAllocIrqVectors', dev: NVME, min: 4, max: 4, irqType: 'msix', affinity: true, fail: null });
  s.ok({ type: 'cpuOnline', cpu: 2 });
  s.ok({ type: 'requestIrq', virq: 1, dev: NVME, devm: false });
  s.ok({ type: 'requestIrq', virq: 3, dev: NVME, devm: false });
  s.ok({ type: 'cpuOffline', cpu: 3 });
  s.ok({ type: 'cpuOnline', cpu: 3 });
  s.ok({ type: 'driverProbe', dev: MSIDEV, managed: false, fail: false });
  s.ok({ type: 'pciAllocIrqVectors', dev: MSIDEV, min: 2, max: 2, irqType: 'msi', affinity: true, fail: null });
  s.ok({ type: 'pciFreeIrqVectors', dev: MSIDEV });
  return s;
}

describe('managed-affinity on the GIC-ITS', () => {
  const inv = stateInvariant('managed-affinity');

  it('holds through managed vectors, CPU hotplug and requests on arm-its', () => {
    const s = managedRun();
    expect(s.violations).toEqual([]);
    holdsThroughout(s, inv);
  });

  it('leaves a managed irq with no online CPU in its mask in managed shutdown', () => {
    const s = itsSession();
    s.ok({ type: 'cpuOffline', cpu: 2 });
    s.ok({ type: 'driverProbe', dev: MSIDEV, managed: false, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: MSIDEV, min: 3, max: 3, irqType: 'msi', affinity: true, fail: null });
    const onTwo = Object.values(s.world.irqs).find((d) => d.managed && d.affinity.length === 1 && d.affinity[0] === 2)!;
    expect(onTwo.managedShutdown).toBe(true);
    expect(onTwo.activated).toBe(false);
    expect(s.violations).toEqual([]);
  });

  it('reports an activated managed ITS irq that targets a CPU outside its mask', () => {
    const s = itsSession();
    s.ok({ type: 'driverProbe', dev: NVME, managed: false, fail: false });
    s.ok({ type: 'pciAllocIrqVectors', dev: NVME, min: 4, max: 4, irqType: 'msix', affinity: true, fail: null });
    expect(checkState(s.world)).toEqual([]);
    const d = s.world.irqs[2]!;
    const other = [0, 1, 2, 3].find((c) => !d.affinity.includes(c))!;
    const bad = { ...s.world, irqs: { ...s.world.irqs, 2: { ...d, effective: [other] } } };
    expect(reported(checkState(bad), 'managed-affinity')).toMatch(
      new RegExp(`managed irq 2 targets CPU${other}, outside its mask`),
    );
  });
});

describe('its-command-valid end to end', () => {
  it('sees MOVI of an unmapped event when affinity reaches the ITS of a deactivated irq (pre-baedb87d1b53)', () => {
    const clean = itsSession();
    clean.ok({ type: 'irqCreateFwspecMapping', dev: MBIGEN, pin: 0 });
    clean.ok({ type: 'irqSetAffinity', virq: 1, cpus: [1, 3], fromUser: true });
    expect(clean.violations).toEqual([]);
    const pre = itsSession(['B37']);
    pre.ok({ type: 'irqCreateFwspecMapping', dev: MBIGEN, pin: 0 });
    pre.ok({ type: 'irqSetAffinity', virq: 1, cpus: [1, 3], fromUser: true });
    expect(pre.violations.map((v) => v.invariant)).toContain('its-command-valid');
  });
});
