/*
 * Fidelity: racy kernel paths as tasks in flight (models/kernel/irq/concurrency.ts): the msi_irqs/
 * sysfs reader (B20), domain registration (B30)
 */
import { describe, expect, it } from 'vitest';
import { bootWorld } from '../../models/machine/boot.ts';
import { kernelProfile, type KernelVersion } from '../../models/world/profile.ts';
import { racesConfig, smallConfig } from '../../models/world/platform.ts';
import type { World } from '../../models/world/types.ts';
import type { FaultId } from '../../models/faults/catalog.ts';
import { tasksOf } from '../../models/kernel/irq/concurrency.ts';
import { opSpecs } from '../../src/generate/op-specs.ts';
import { apply, NIC, PLAT } from '../helpers.ts';
import { freeVectors, msix, must, probe, run, unbind, value } from './util.ts';

function races(v: KernelVersion, faults: FaultId[] = []): World {
  const p = kernelProfile(v, { quirks: false });
  return bootWorld(faults.length ? { ...p, faults } : p, racesConfig);
}

describe('sysfs readers of msi_irqs/ (5.10)', () => {
  const enabled = (faults: FaultId[] = [], managed = false) =>
    must(races('5.10', faults), probe(NIC, managed), msix(NIC, 2));

  it('a reader enters show() as one step and returns as another; a read of a live entry is fine [drivers/pci/msi.c msi_mode_show()]', () => {
    const w = enabled();
    const virq = w.descs[w.devices[NIC]!.msiList[0]!]!.irq;
    const o = run(w, { type: 'msiIrqsShow', dev: NIC, virq });
    const task = value<number>(o);
    expect(tasksOf(o.world)).toHaveLength(1);
    const r = run(o.world, { type: 'taskResume', task });
    expect(r.kind).toBe('ok');
    expect(tasksOf(r.world)).toEqual([]);
  });

  it('only existing files can be opened: none before MSI-X is enabled, none on 6.2 (not modelled) [populate_msi_sysfs()]', () => {
    const w = must(races('5.10'), probe(NIC));
    expect(run(w, { type: 'msiIrqsShow', dev: NIC, virq: 1 }).kind).toBe('err');
    expect(opSpecs.msiIrqsShow.candidates(w, 'legal')).toEqual([]);
    const w62 = must(races('6.2'), probe(NIC), msix(NIC, 2));
    expect(opSpecs.msiIrqsShow.candidates(w62, 'legal')).toEqual([]);
  });

  it('the reader is not offered on a platform without concurrent tasks (small stays as it was)', () => {
    const w = must(bootWorld(kernelProfile('5.10', { quirks: false }), smallConfig), probe(NIC), msix(NIC, 2));
    expect(opSpecs.msiIrqsShow.candidates(w, 'legal')).toEqual([]);
    expect(opSpecs.taskResume.candidates(w, 'legal')).toEqual([]);
  });

  it('freeing the vectors drains the reader first: it reads a live entry [kernfs_drain() in msi_destroy_sysfs(), 373545903711]', () => {
    const w = enabled();
    const virq = w.descs[w.devices[NIC]!.msiList[1]!]!.irq;
    const a = apply(w, [{ type: 'msiIrqsShow', dev: NIC, virq }, freeVectors(NIC)]);
    expect(a.outcomes.map((o) => o.kind)).toEqual(['ok', 'ok']);
    expect(a.violations).toEqual([]);
    expect(tasksOf(a.world)).toEqual([]);
    expect(a.world.devices[NIC]!.msiList).toEqual([]);
  });

  it('B20: with the entries freed before the files, the drained reader touches a freed entry (also on unbind of a managed device)', () => {
    for (const managed of [false, true]) {
      const w = enabled(['B20'], managed);
      const virq = w.descs[w.devices[NIC]!.msiList[0]!]!.irq;
      const a = apply(w, [{ type: 'msiIrqsShow', dev: NIC, virq }, managed ? unbind(NIC) : freeVectors(NIC)]);
      expect(a.outcomes[1]!.kind).toBe('use-after-free');
      expect(a.violations.map((v) => v.invariant)).toContain('no-use-after-free');
    }
  });
});

describe('domain registration (irq_domain_create_hierarchy)', () => {
  const create = (w: World) => run(w, { type: 'platformMsiCreateIrqDomain', parent: w.vectorDomain });

  it('the fixed kernel publishes a complete domain: no task, parent set at once [8932c32c3053]', () => {
    const w = races('6.2');
    const o = create(w);
    const id = value<number>(o);
    expect(o.world.domains[id]!.parent).toBe(w.vectorDomain);
    expect(tasksOf(o.world)).toEqual([]);
  });

  it('B30: the domain is on the list with no parent until the creating task resumes', () => {
    const w = races('6.2', ['B30']);
    const o = create(w);
    const id = value<number>(o);
    expect(o.world.domains[id]!.parent).toBeNull();
    const [t] = tasksOf(o.world);
    expect(t?.kind).toBe('domain-create');
    // nobody but its creator removes it meanwhile
    expect(opSpecs.irqDomainRemove.candidates(o.world, 'legal')).not.toContain(id);
    const r = run(o.world, { type: 'taskResume', task: t!.id });
    expect(r.world.domains[id]!.parent).toBe(w.vectorDomain);
    expect(tasksOf(r.world)).toEqual([]);
  });

  it('B30: an allocation through the half-built domain gets irq data for the outer level only: parent-chain', () => {
    const w = races('6.2', ['B30']);
    const id = value<number>(create(w));
    const a = apply(create(w).world, [
      { type: 'devSetMsiDomain', dev: PLAT, domain: id },
      probe(PLAT),
      { type: 'platformMsiDomainAllocIrqs', dev: PLAT, nvec: 1, fail: null },
    ]);
    expect(a.violations.map((v) => v.invariant)).toContain('parent-chain');
  });

  it('without the fault the same calls allocate through the whole chain', () => {
    const w = races('6.2');
    const c = create(w);
    const id = value<number>(c);
    const a = apply(c.world, [
      { type: 'devSetMsiDomain', dev: PLAT, domain: id },
      probe(PLAT),
      { type: 'platformMsiDomainAllocIrqs', dev: PLAT, nvec: 1, fail: null },
    ]);
    expect(a.violations).toEqual([]);
  });
});

describe('hwirq mappings of a wired controller (irq_create_fwspec_mapping)', () => {
  const map = (dev: number) => ({ type: 'irqCreateLineMapping' as const, dev });
  const shared = (faults: FaultId[] = []) => must(races('6.2', faults), probe(NIC), probe(PLAT));

  it('the races platform has the wired domain on VECTOR; small has none and offers no mapping', () => {
    const w = races('6.2');
    const io = Object.values(w.domains).find((d) => d.kind === 'wired')!;
    expect(io.name).toBe('IO-APIC-0');
    expect(io.parent).toBe(w.vectorDomain);
    const s = must(bootWorld(kernelProfile('6.2', { quirks: false }), smallConfig), probe(NIC));
    expect(opSpecs.irqCreateLineMapping.candidates(s, 'legal')).toEqual([]);
  });

  it('two devices sharing a line get the same virq; the last user disposes of it [irq_find_mapping() first, 601363cc08da]', () => {
    const w = shared();
    const a = run(w, map(NIC));
    const va = value<number>(a);
    const b = run(a.world, map(PLAT));
    expect(value<number>(b)).toBe(va);
    expect(tasksOf(b.world)).toEqual([]);
    expect(b.world.irqs[va]!.levels.map((l) => l.hwirq)[0]).toBe(16);
    // no reference count: while both hold it, neither may dispose of it
    expect(opSpecs.irqDisposeLineMapping.candidates(b.world, 'legal')).toEqual([]);
    const c = apply(a.world, [{ type: 'irqDisposeLineMapping', dev: NIC }]);
    expect(c.violations).toEqual([]);
    expect(c.world.irqs[va]).toBeUndefined();
  });

  it('a mapped line can be requested, moved and freed like any irq', () => {
    const w = shared();
    const a = run(w, map(NIC));
    const v = value<number>(a);
    const r = apply(a.world, [
      { type: 'requestIrq', virq: v, dev: null, devm: false },
      { type: 'irqSetAffinity', virq: v, cpus: [1], fromUser: false },
      { type: 'deviceFireIrq', virq: v },
      { type: 'freeIrq', virq: v },
      { type: 'irqDisposeLineMapping', dev: NIC },
    ]);
    expect(r.outcomes.map((o) => o.kind)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(r.violations).toEqual([]);
  });

  it('B33: both drivers find no mapping before either creates one: two virqs for pin 16 (parent-chain)', () => {
    const w = shared(['B33']);
    const a = apply(w, [map(NIC), map(PLAT)]);
    const [t0, t1] = tasksOf(a.world);
    expect([t0?.kind, t1?.kind]).toEqual(['fwspec-mapping', 'fwspec-mapping']);
    const r = apply(a.world, [
      { type: 'taskResume', task: t1!.id },
      { type: 'taskResume', task: t0!.id },
    ]);
    expect(r.violations.map((v) => v.invariant)).toContain('parent-chain');
    expect(Object.values(r.world.lineIrqs ?? {}).sort()).toEqual([1, 2]);
  });

  it('B33: a task that resumes before the other looks up leaves no duplicate', () => {
    const w = shared(['B33']);
    const a = apply(w, [map(NIC)]);
    const r = apply(a.world, [{ type: 'taskResume', task: tasksOf(a.world)[0]!.id }, map(PLAT)]);
    expect(r.violations).toEqual([]);
    expect(r.world.lineIrqs).toEqual({ [NIC]: 1, [PLAT]: 1 });
  });
});
