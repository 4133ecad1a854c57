/*
 * test/invariants/hyperv-pci.test.ts - host interrupt descriptors of the Hyper-V PCI bus
 *
 * host-int-desc-accounting (leak): every tran_int_desc the host returned is held by the chip_data
 * of its live irq. A clean VF lifecycle (MSI-X, affinity change, the host ejecting the VF while
 * it has interrupts, teardown) passes; a descriptor dropped from its irq by hand is a leak; with
 * B14 the eject-then-free order leaks every descriptor of the VF.
 */
import { describe, expect, it } from 'vitest';
import { bootWorld } from '../../models/machine/boot.ts';
import { kernelProfile } from '../../models/world/profile.ts';
import { hypervPciConfig } from '../../models/world/platform.ts';
import type { MsiChipData, World } from '../../models/world/types.ts';
import { checkState } from '../helpers.ts';
import { reported, Session, stateInvariant } from './fixtures.ts';

const VF0 = 0; // 7870:00:02.0
const VF1 = 1; // 7870:00:03.0

const hv = (faults: readonly 'B14'[] = []) =>
  new Session(bootWorld({ ...kernelProfile('5.10', { quirks: false }), faults }, hypervPciConfig));
const msix = (dev: number, n: number) => ({
  type: 'pciAllocIrqVectors' as const,
  dev,
  min: 1,
  max: n,
  irqType: 'msix' as const,
  affinity: false,
  fail: null,
});

describe('host-int-desc-accounting (Hyper-V PCI)', () => {
  const inv = stateInvariant('host-int-desc-accounting');

  it('5.10: the VFs take their MSIs from HV-PCI-MSI on the vector domain; each interrupt holds one descriptor', () => {
    const s = hv();
    const dom = s.world.devices[VF0]!.msiDomain!;
    expect(s.world.domains[dom]!.name).toBe('HV-PCI-MSI');
    expect(s.world.domains[dom]!.parent).toBe(s.world.vectorDomain);
    s.ok({ type: 'driverProbe', dev: VF0, managed: false, fail: false });
    s.ok(msix(VF0, 3));
    expect(Object.keys(s.world.platform.hvIntDescs!)).toHaveLength(3);
    expect(inv.check(s.world)).toBeNull();
  });

  it('5.10: a clean lifecycle - MSI-X, affinity change, eject with interrupts live, driver teardown - passes', () => {
    const s = hv();
    for (const dev of [VF0, VF1]) {
      s.ok({ type: 'driverProbe', dev, managed: true, fail: false });
      s.ok(msix(dev, 4));
    }
    const virq = Object.values(s.world.irqs)[0]!.virq;
    s.ok({ type: 'requestIrq', virq, dev: VF0, devm: false });
    s.ok({ type: 'irqSetAffinity', virq, cpus: [0], fromUser: false });
    s.ok({ type: 'freeIrq', virq });
    s.ok({ type: 'hvEjectDevice', dev: VF1 });
    s.ok({ type: 'deviceReleaseDriver', dev: VF1 });
    s.ok({ type: 'deviceUnregister', dev: VF1 });
    s.ok({ type: 'pciFreeIrqVectors', dev: VF0 });
    expect(s.world.platform.hvIntDescs).toEqual({});
    expect(s.violations).toEqual([]);
  });

  it('5.10: a descriptor no irq holds any more is reported (hand-built)', () => {
    const s = hv();
    s.ok({ type: 'driverProbe', dev: VF0, managed: false, fail: false });
    s.ok(msix(VF0, 1));
    const d = Object.values(s.world.irqs)[0]!;
    const chip = d.levels[0]!.chip as MsiChipData;
    const w: World = {
      ...s.world,
      irqs: {
        ...s.world.irqs,
        [d.virq]: {
          ...d,
          levels: d.levels.map((l, i) => (i === 0 ? { ...l, chip: { kind: 'msi', msg: chip.msg } } : l)),
        },
      },
    };
    expect(reported(checkState(w), 'host-int-desc-accounting')).toBe(
      `host interrupt descriptor #${chip.intDesc} (made for irq ${d.virq}) is held by no live irq: it leaked`,
    );
  });

  it('5.10 with B14 (0c6e617f656e): freeing the vectors of an ejected VF leaks their descriptors', () => {
    const s = hv(['B14']);
    s.ok({ type: 'driverProbe', dev: VF0, managed: false, fail: false });
    s.ok(msix(VF0, 2));
    s.ok({ type: 'hvEjectDevice', dev: VF0 });
    s.ok({ type: 'pciFreeIrqVectors', dev: VF0 });
    expect(Object.keys(s.world.platform.hvIntDescs!)).toHaveLength(2);
    expect(reported(s.last.violations, 'host-int-desc-accounting')).toMatch(/is held by no live irq: it leaked/);
  });
});
