/*
 * The hierarchy diagram: what the graph holds, what is drawn in red (found in the world and the
 * violation, whatever the design), and the healthy hierarchy each design builds.
 */
import { describe, expect, it } from 'vitest';
import { worldFor } from '../../src/run/check.ts';
import { builtinDesigns } from '../../models/designs/index.ts';
import type { Op } from '../../models/ops.ts';
import type { World } from '../../models/world/types.ts';
import { buildHierarchyGraph, nodeId } from '../../src/report/html/hierarchy-graph.ts';
import { findBroken, mentions } from '../../src/report/html/broken.ts';
import { toDot } from '../../src/report/html/dot.ts';
import { diagramHtml } from '../../src/report/html/diagram.ts';
import { healthyRun } from '../../src/report/html/healthy.ts';
import { checkStep } from '../../properties/index.ts';
import { step } from '../../models/step.ts';
import { DSA1 } from '../helpers.ts';

const designWorld = (name: string) => {
  const d = builtinDesigns().find((x) => x.name === name)!;
  return worldFor({ design: d.name, kernel: d.kernel, quirks: true, config: 'small' });
};

/** run @ops, collecting the first violation */
function run(w0: World, ops: readonly Op[]) {
  let w = w0;
  let violation: { invariant: string; message: string } | null = null;
  for (const op of ops) {
    const o = step(w, op);
    violation ??= checkStep(w, op, o)[0] ?? null;
    w = o.world;
  }
  return { world: w, violation };
}

const openMdevOnDsa1: Op[] = [
  { type: 'idxdProbe', pf: DSA1, fail: null },
  { type: 'idxdWqConfig', pf: DSA1, wq: 2, wqType: 'mdev', mode: 'dedicated', size: 16, group: 2 },
  { type: 'idxdEngineConfig', pf: DSA1, engine: 3, group: 2 },
  { type: 'idxdDeviceEnable', pf: DSA1 },
  { type: 'idxdWqEnable', pf: DSA1, wq: 2 },
  { type: 'mdevCreate', pf: DSA1, wq: 2 },
  { type: 'mdevOpen', mdev: 0, fail: null },
];

const redLines = (dot: string) => dot.split('\n').filter((l) => l.includes('#d00000'));

describe('healthy hierarchies', () => {
  it.each(builtinDesigns().map((d) => d.name))(
    '%s: every call of the healthy path succeeds and nothing is red',
    (name) => {
      const h = healthyRun(designWorld(name));
      expect(h.steps.map((s) => s.outcome)).toEqual(Array(7).fill('ok'));
      expect(h.steps.at(-1)!.call).toContain('idxd_vdcm_open(mdev0)');
      const g = buildHierarchyGraph(h.world);
      const hl = findBroken(h.world, g, null);
      expect(hl.reasons).toEqual([]);
      expect(redLines(toDot(g, hl, name))).toEqual([]);
      // the open mdev, its IMS slot, and the slot's IRTE are in the graph
      const mdev = Object.values(h.world.mdevs)[0]!;
      expect(g.nodes.find((n) => n.id === nodeId.device(mdev.dev))!.label).toContain(`PASID ${mdev.pasid}, open`);
      expect(g.edges.some((e) => e.from === nodeId.device(mdev.dev) && e.kind === 'ims')).toBe(true);
    },
  );

  it('the designs build visibly different hierarchies (domain names differ)', () => {
    const domains = (name: string) => {
      const g = buildHierarchyGraph(healthyRun(designWorld(name)).world);
      return g.nodes
        .filter((n) => n.kind === 'domain')
        .map((n) => n.label[0])
        .sort()
        .join(',');
    };
    const all = builtinDesigns().map((d) => domains(d.name));
    expect(new Set(all).size).toBe(all.length);
  });
});

describe('what is drawn in red', () => {
  it('a domain whose parent was removed: the domain, the removed parent and the parent edge', () => {
    // rfc-v2-dev-msi: its DEV-MSI domain of DRHD1 stays when DRHD1 is hot-removed
    const w0 = designWorld('rfc-v2-dev-msi');
    const { world, violation } = run(w0, [{ type: 'dmarHotRemove', unit: 1 }]);
    expect(violation).not.toBeNull();
    const g = buildHierarchyGraph(world);
    const hl = findBroken(world, g, violation);
    const removed = g.nodes.find((n) => n.kind === 'removed-domain' && n.label[0] === 'INTEL-IR-1 (removed)')!;
    expect(removed).toBeDefined();
    const child = g.edges.find((e) => e.to === removed.id && e.kind === 'parent')!;
    expect(hl.nodes.has(removed.id)).toBe(true);
    expect(hl.nodes.has(child.from)).toBe(true);
    expect(hl.edges.has(`${child.from}->${removed.id}`)).toBe(true);
    expect(hl.reasons.join('\n')).toContain('dangling parent');
    expect(redLines(toDot(g, hl, 't')).some((l) => l.includes(`${child.from} -> ${removed.id}`))).toBe(true);
  });

  it('an IRTE in another unit than its device: the IRTE and the virq, found from the world alone', () => {
    const { world, violation } = run(designWorld('rfc-v2-dev-msi'), openMdevOnDsa1);
    expect(violation).not.toBeNull();
    const g = buildHierarchyGraph(world);
    const hl = findBroken(world, g, null);
    const mdev = Object.values(world.mdevs)[0]!;
    const virq = mdev.irqs[0]!;
    const ir = world.irqs[virq]!.levels.find((l) => l.chip?.kind === 'ir')!.chip as {
      unit: number;
      irteIndex: number;
      subHandle: number;
    };
    expect(ir.unit).toBe(0);
    expect(hl.nodes.has(nodeId.irte(0, ir.irteIndex + ir.subHandle))).toBe(true);
    expect(hl.nodes.has(nodeId.virq(virq))).toBe(true);
    // the same open on per-device-msi puts the IRTE behind DRHD1: nothing red
    const ok = run(designWorld('per-device-msi'), openMdevOnDsa1);
    expect(ok.violation).toBeNull();
    expect(findBroken(ok.world, buildHierarchyGraph(ok.world), null).reasons).toEqual([]);
  });

  it('a vector nobody holds is red (leaked)', () => {
    const w = healthyRun(designWorld('per-device-msi')).world;
    const m = w.matrix.maps[0]!;
    const free = [...Array(256).keys()].find(
      (v) => v >= w.matrix.allocStart && v < w.matrix.allocEnd && !m.allocMap.includes(v),
    )!;
    const leaked: World = {
      ...w,
      matrix: {
        ...w.matrix,
        maps: [{ ...m, allocMap: [...m.allocMap, free].sort((a, b) => a - b) }, ...w.matrix.maps.slice(1)],
      },
    };
    const g = buildHierarchyGraph(leaked);
    const hl = findBroken(leaked, g, null);
    expect([...hl.nodes]).toEqual([nodeId.vector(0, free)]);
    expect(hl.reasons[0]).toContain('leaked');
  });

  it('the entities the message names are red, matched as whole words', async () => {
    const { world, violation } = run(designWorld('rfc-v2-dev-msi'), openMdevOnDsa1);
    const g = buildHierarchyGraph(world);
    const hl = findBroken(world, g, {
      invariant: 'x',
      message: `irq ${Object.values(world.mdevs)[0]!.irqs[0]} of mdev0 is wrong`,
    });
    expect(hl.nodes.has(nodeId.device(Object.values(world.mdevs)[0]!.dev))).toBe(true);
    expect(mentions('irq 10 of mdev0', 'irq 1')).toBe(false);
    expect(mentions('irq 10 of mdev0', 'irq 10')).toBe(true);
    expect(mentions("INTEL-IR-DEV-MSI-1's parent", 'INTEL-IR-DEV-MSI-1')).toBe(true);
    expect(mentions('INTEL-IR-DEV-MSI-10 is gone', 'INTEL-IR-DEV-MSI-1')).toBe(false);
    // the diagram is an inline SVG and comes out the same twice
    const a = await diagramHtml(world, 'at', violation);
    expect(a).toContain('<svg');
    expect(a).toContain('#d00000');
    expect(await diagramHtml(world, 'at', violation)).toBe(a);
  });
});
