/*
 * test/invariants/vmd.test.ts - the Intel VMD model (models/drivers/pci/controller/vmd.ts): probe, the
 * demultiplexed child irqs in both shapes (5.10 PCI-MSI domain, 6.2 MSI parent), delivery through
 * the VMD's own interrupt, remove. Its two invariants are tested in leak.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { versions } from './fixtures.ts';
import type { MsiChipData } from '../../models/world/types.ts';
import {
  VMD_CTRL as VMD,
  VMD_NVME as NVME,
  VMD_OTHER as OTHER,
  devIrqs as childIrqs,
  nvmeRunning,
  vmdSession,
} from './vmd-fixtures.ts';

describe('the VMD model', () => {
  it.each(versions)(
    '%s: probe takes 3 MSI-X vectors with handlers, names its domain, finds two children on it',
    (v) => {
      const s = vmdSession(v);
      s.ok({ type: 'vmdProbe', dev: VMD, fail: null });
      const st = s.world.platform.vmd![VMD]!;
      expect(st.lists).toHaveLength(3);
      for (const l of st.lists) expect(s.world.irqs[l.virq]!.action?.devm).toBe(true);
      const dom = s.world.domains[st.domain!]!;
      expect(dom).toMatchObject({
        name: 'VMD-MSI',
        kind: 'vmd',
        parent: null,
        busToken: 'VMD_MSI',
        msiParent: v === '6.2',
      });
      expect(dom.fwnode).toBeDefined();
      expect(st.children).toEqual([NVME, OTHER]);
      for (const c of st.children)
        expect(s.world.devices[c]).toMatchObject({ present: true, parent: VMD, msiDomain: dom.id });
      expect(s.violations).toEqual([]);
    },
  );

  it.each(versions)(
    '%s: a child irq is demultiplexed: no vector, the message names a VMD vector, firing runs the VMD interrupt',
    (v) => {
      const s = nvmeRunning(v);
      const [a, b] = childIrqs(s.world, NVME);
      const st = s.world.platform.vmd![VMD]!;
      const names = a!.levels.map((l) => s.world.domains[l.domain]!.name);
      expect(names).toEqual(v === '5.10' ? ['VMD-MSI'] : ['VMD-PCI-MSIX-10000:01:00.0', 'VMD-MSI']);
      // NVMe gets the fast vectors 1 and 2, balanced (vmd_next_irq)
      const objs = Object.values(s.world.platform.vmdIrqs!);
      expect(objs.map((o) => o.list).sort()).toEqual([1, 2]);
      expect(st.lists.map((l) => l.count)).toEqual([0, 1, 1]);
      s.ok({ type: 'requestIrq', virq: a!.virq, dev: NVME, devm: false });
      const top = s.world.irqs[a!.virq]!.levels[0]!.chip as MsiChipData;
      expect(top.msg).toMatchObject({ format: 'vmd', vmd: VMD });
      expect(s.fails({ type: 'irqSetAffinity', virq: b!.virq, cpus: [1], fromUser: true }).kind).toBe('err');
      s.ok({ type: 'deviceFireIrq', virq: a!.virq });
      s.ok({ type: 'freeIrq', virq: a!.virq });
      s.ok({ type: 'pciFreeIrqVectors', dev: NVME });
      expect(s.world.platform.vmdIrqs).toEqual({});
      expect(s.violations).toEqual([]);
    },
  );

  it.each(versions)(
    '%s: unbinding VMD deletes the children, frees their irqs, removes the domain and its fwnode',
    (v) => {
      const s = nvmeRunning(v);
      s.ok({ type: 'driverProbe', dev: OTHER, managed: true, fail: false });
      s.ok({ type: 'pciAllocIrqVectors', dev: OTHER, min: 1, max: 1, irqType: 'msi', affinity: false, fail: null });
      const fw = Object.keys(s.world.fwnodes).length;
      const dom = s.world.platform.vmd![VMD]!.domain!;
      s.ok({ type: 'deviceReleaseDriver', dev: VMD });
      expect(s.world.devices[NVME]!.released).toBe(true);
      expect(s.world.devices[OTHER]!.released).toBe(true);
      expect(s.world.domains[dom]).toBeUndefined();
      expect(s.world.platform.vmd).toEqual({});
      expect(s.world.platform.vmdIrqs).toEqual({});
      expect(Object.keys(s.world.irqs)).toEqual([]);
      expect(Object.keys(s.world.fwnodes).length).toBeLessThan(fw);
      expect(s.violations).toEqual([]);
      // and it binds again, with new children
      s.ok({ type: 'vmdProbe', dev: VMD, fail: null });
      expect(s.world.platform.vmd![VMD]!.children).toEqual([4, 5]);
      expect(s.violations).toEqual([]);
    },
  );

  it('a failed vector allocation fails the probe and leaves nothing behind', () => {
    const s = vmdSession('6.2');
    const before = s.world;
    expect(s.do({ type: 'vmdProbe', dev: VMD, fail: { site: 'vector', index: 0 } }).kind).toBe('err');
    expect(s.world.devices[VMD]!.driver).toBeNull();
    expect(s.world.platform.vmd).toEqual({});
    expect(Object.keys(s.world.irqs)).toEqual(Object.keys(before.irqs));
    expect(s.violations).toEqual([]);
  });
});
