/*
 * Fidelity: the GIC-ITS MSI parent with per-device state, ITS-pMSI and the mbigen on a
 * platform-MSI device domain (arm-its platform, kernel 6.2), and the pre-fix behaviours of
 * B06, B07 and B39 when those faults are on.
 */
import { describe, expect, it } from 'vitest';
import { must } from './util.ts';
import { bootWorld } from '../../models/machine/boot.ts';
import { kernelProfile } from '../../models/world/profile.ts';
import { armItsConfig } from '../../models/world/platform.ts';
import type { FaultId } from '../../models/faults/catalog.ts';
import type { ItsChipData, World } from '../../models/world/types.ts';
import type { Op } from '../../models/ops.ts';
import { step } from '../../models/step.ts';
import { checkState } from '../helpers.ts';

const NVME = 0; // MSI-X 8
const MSIDEV = 1; // MSI 4
const MBIGEN = 2; // 4 pins

const itsWorld = (faults: readonly FaultId[] = []): World => {
  const p = kernelProfile('6.2', { quirks: false });
  return bootWorld(faults.length ? { ...p, faults } : p, armItsConfig);
};

const probe = (dev: number): Op => ({ type: 'driverProbe', dev, managed: false, fail: false });
const msix = (n: number): Op => ({
  type: 'pciAllocIrqVectors',
  dev: NVME,
  min: n,
  max: n,
  irqType: 'msix',
  affinity: false,
  fail: null,
});
const map = (pin: number): Op => ({ type: 'irqCreateFwspecMapping', dev: MBIGEN, pin });
const itsChip = (w: World, virq: number): ItsChipData => w.irqs[virq]!.levels.at(-1)!.chip as ItsChipData;

describe('arm-its boot', () => {
  it('has no x86 vector domain: ITS (MSI parent), ITS-pMSI on it, the mbigen device domain on ITS-pMSI [irq-gic-v3-its.c its_init_domain, irq-mbigen.c mbigen_of_create_domain]', () => {
    const w = itsWorld();
    expect(w.domains[w.vectorDomain]).toBeUndefined();
    expect(Object.values(w.domains).map((d) => [d.name, d.parent === null ? null : w.domains[d.parent]!.name])).toEqual(
      [
        ['ITS', null],
        ['ITS-pMSI', 'ITS'],
        ['mbigen-mbigen0', 'ITS-pMSI'],
      ],
    );
    expect(w.devices[NVME]!.msiDomain).toBe(w.platform.its!.domain);
    // platform_msi_create_device_domain() prepared the mbigen once: at least 32 events (its_pmsi_prepare)
    expect(w.platform.its!.devices[MBIGEN]).toMatchObject({ nrEvents: 32, events: [], shared: false });
    expect(w.matrix.totalAllocated).toBe(0);
    expect(checkState(w)).toEqual([]);
  });
});

describe('ITS per-device state for PCI [kernel/irq/msi.c msi_create_device_irq_domain, msi_remove_device_irq_domain]', () => {
  it('the per-device domain is prepared once at creation for its hwsize, events follow the interrupts, teardown at removal', () => {
    let w = must(itsWorld(), probe(NVME), msix(3));
    const dom = w.domains[w.devices[NVME]!.msiData!.domains[0]!]!;
    expect(dom.name).toBe('ITS-PCI-MSIX-0000:00:01.0');
    expect(dom.msiInfo!.allocDyn).toBe(false);
    expect(w.platform.its!.devices[NVME]).toMatchObject({ nrEvents: 8, events: [0, 1, 2] });
    // early activation maps the events and composes an ITS message (GITS_TRANSLATER + event id)
    expect(w.irqs[2]!.levels[0]!.chip).toEqual({ kind: 'msi', msg: { format: 'its', dev: NVME, event: 1 } });
    w = must(w, { type: 'pciFreeIrqVectors', dev: NVME });
    // the device still has its domain: the its_device stays, with no event
    expect(w.platform.its!.devices[NVME]).toMatchObject({ nrEvents: 8, events: [] });
    w = must(w, { type: 'deviceReleaseDriver', dev: NVME });
    expect(w.platform.its!.devices[NVME]).toBeUndefined();
    expect(checkState(w)).toEqual([]);
  });

  it('multi-MSI takes an aligned power-of-two region of events; a domain sized for the maximum vectors (9cc82d99b13c)', () => {
    const w = must(itsWorld(), probe(MSIDEV), {
      type: 'pciAllocIrqVectors',
      dev: MSIDEV,
      min: 3,
      max: 3,
      irqType: 'msi',
      affinity: false,
      fail: null,
    });
    expect(w.platform.its!.devices[MSIDEV]!.nrEvents).toBe(4);
    expect([1, 2, 3].map((v) => itsChip(w, v).event)).toEqual([0, 1, 2]);
  });

  it('affinity moves the event to another collection at once (its_set_affinity) and CPU offline migrates it', () => {
    let w = must(
      itsWorld(),
      probe(NVME),
      msix(1),
      { type: 'requestIrq', virq: 1, dev: NVME, devm: false },
      { type: 'irqSetAffinity', virq: 1, cpus: [3], fromUser: true },
    );
    expect(itsChip(w, 1).cpu).toBe(3);
    expect(w.irqs[1]!.effective).toEqual([3]);
    w = must(w, { type: 'cpuOffline', cpu: 3 });
    expect(w.irqs[1]!.effective).not.toContain(3);
    expect(checkState(w)).toEqual([]);
  });
});

describe('mbigen wired pins [irq-mbigen.c, drivers/base/platform-msi.c platform_msi_device_domain_alloc/free]', () => {
  it('a mapped pin is one virq mbigen -> ITS-pMSI -> ITS with an msi_desc of the mbigen at index virq; unmapping frees both', () => {
    let w = must(itsWorld(), map(2));
    const d = w.irqs[1]!;
    expect(d.levels.map((l) => w.domains[l.domain]!.name)).toEqual(['mbigen-mbigen0', 'ITS-pMSI', 'ITS']);
    expect(d.levels[0]!.hwirq).toBe(2);
    const store = w.devices[MBIGEN]!.msiData!.stores[0];
    expect(Object.keys(store)).toEqual(['1']);
    expect(w.descs[store[1]!]!.irq).toBe(1);
    // a second lookup of the same pin returns the same virq
    const again = step(w, map(2));
    expect(again.kind === 'ok' && again.value).toBe(1);
    w = must(w, { type: 'irqDisposeMapping', virq: 1 });
    expect(w.irqs[1]).toBeUndefined();
    expect(w.devices[MBIGEN]!.msiData!.stores[0]).toEqual({});
    expect(Object.keys(w.descs)).toEqual([]);
    expect(w.platform.its!.devices[MBIGEN]!.events).toEqual([]);
    expect(checkState(must(w, map(2)))).toEqual([]);
  });

  it('a pin beyond the mbigen is -EINVAL (mbigen_domain_translate)', () => {
    const o = step(itsWorld(), map(4));
    expect(o.kind === 'err' && o.errno).toBe('EINVAL');
  });
});

describe('faults', () => {
  it('B06 (edfc23f6f9fd): mbigen frees with irq_domain_free_irqs_common, the msi_desc stays naming the freed irq', () => {
    const w = must(itsWorld(['B06']), map(0), { type: 'irqDisposeMapping', virq: 1 });
    expect(Object.values(w.descs).map((d) => d.irq)).toEqual([1]);
    expect(checkState(w).map((v) => v.invariant)).toContain('virq-ownership');
  });

  it('B07 (81b1e6e6a859): the platform-MSI device domain free leaves the descs; they pile up', () => {
    let w = itsWorld(['B07']);
    for (const pin of [0, 1]) w = must(w, map(pin));
    w = must(w, { type: 'irqDisposeMapping', virq: 1 }, { type: 'irqDisposeMapping', virq: 2 });
    expect(Object.values(w.descs)).toHaveLength(2);
    expect(checkState(w).map((v) => v.invariant)).toContain('virq-ownership');
  });

  it('B39 (1396e89e09f0 / 03c298760ed9): prepare per allocation (ITT still hwsize), the last free drops the its_device while the domain lives', () => {
    let w = must(itsWorld(['B39']), probe(NVME), msix(3));
    expect(w.platform.its!.devices[NVME]!.nrEvents).toBe(8);
    expect(checkState(w)).toEqual([]);
    w = must(w, { type: 'pciFreeIrqVectors', dev: NVME });
    expect(w.platform.its!.devices[NVME]).toBeUndefined();
    expect(w.devices[NVME]!.msiData!.domains[0]).not.toBeNull();
    expect(checkState(w).map((v) => v.invariant)).toEqual(['msi-parent-device-state']);
    // the mbigen prepared once at creation: after its last event goes, the next mapping uses a freed its_device
    const m = must(itsWorld(['B39']), map(0), { type: 'irqDisposeMapping', virq: 1 });
    expect(step(m, map(0)).kind).toBe('use-after-free');
  });
});

describe('report', () => {
  it('the hierarchy diagram draws an arm-its world (ITS messages, no vectors)', async () => {
    const { buildHierarchyGraph } = await import('../../src/report/html/hierarchy-graph.ts');
    const { toDot } = await import('../../src/report/html/dot.ts');
    const { findBroken } = await import('../../src/report/html/broken.ts');
    const w = must(itsWorld(), probe(NVME), msix(2), map(1), { type: 'requestIrq', virq: 1, dev: NVME, devm: false });
    const g = buildHierarchyGraph(w);
    const dot = toDot(
      g,
      findBroken(w, g, {
        invariant: 'msi-parent-device-state',
        message: 'the its_device of 0000:00:01.0 outlives every MSI domain of the device on ITS: leaked',
      }),
      'arm-its',
    );
    expect(dot).toContain('ITS-PCI-MSIX-0000:00:01.0');
    expect(dot).toContain('mbigen-mbigen0');
  });
});
