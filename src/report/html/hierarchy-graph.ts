/*
 * src/report/html/hierarchy-graph.ts - the interrupt hierarchy of a world as a plain graph:
 * irq domains with their parents, devices with their msi_domain pointers, the design's static
 * domain pointers, virqs, PF IMS slots, IRTEs per DMAR unit and vectors per CPU
 *
 * Pure data (no layout, no DOT): broken.ts marks what is wrong in it, dot.ts writes it out.
 * A removed domain something still points at gets a node of its own, so a dangling pointer is
 * an edge to something visibly gone rather than an edge to nowhere.
 */
import type {
  DevId,
  DomainId,
  IrChipData,
  MsiMsg,
  UnitId,
  VectorChipData,
  Virq,
  World,
} from '../../../models/world/types.ts';
import { domainName } from '../../../models/world/world.ts';

export type NodeKind = 'domain' | 'removed-domain' | 'pointer' | 'device' | 'virq' | 'ims-slot' | 'irte' | 'vector';

export interface GraphNode {
  readonly id: string;
  readonly kind: NodeKind;
  /** label lines */
  readonly label: readonly string[];
  readonly cluster: string | null;
  /** phrases a violation message uses for this entity ("irq 10", "IRTE 9 of DRHD0") */
  readonly mentions: readonly string[];
}

export type EdgeKind = 'parent' | 'msi_domain' | 'pointer' | 'owns' | 'top-domain' | 'irte' | 'vector' | 'ims' | 'pf';

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
}

export interface GraphCluster {
  readonly id: string;
  readonly label: string;
  readonly mentions: readonly string[];
}

export interface HierarchyGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly clusters: readonly GraphCluster[];
}

/** node ids: stable, made of numbers only (never of names from a design or a trace) */
export const nodeId = {
  domain: (id: DomainId) => `dom${id}`,
  device: (id: DevId) => `dev${id}`,
  virq: (v: Virq) => `irq${v}`,
  irte: (unit: UnitId, index: number) => `irte${unit}_${index}`,
  vector: (cpu: number, vector: number) => `vec${cpu}_${vector}`,
  imsSlot: (pf: DevId, slot: number) => `ims${pf}_${slot}`,
  pointer: (i: number) => `ptr${i}`,
};
export const clusterId = {
  unit: (u: UnitId) => `cluster_drhd${u}`,
  cpu: (c: number) => `cluster_cpu${c}`,
  ims: (pf: DevId) => `cluster_ims${pf}`,
};

const hex = (v: number) => `0x${v.toString(16)}`;
const num = (r: object) => Object.keys(r).map(Number);

/** the PCI device whose requester id and DMAR scope an interrupt of @dev uses (an mdev: its PF) */
export function pciAncestor(w: World, dev: DevId): DevId | null {
  for (let d: DevId | null = dev; d !== null; d = w.devices[d]?.parent ?? null)
    if (w.devices[d]?.bus === 'pci') return d;
  return null;
}

/** the device an interrupt belongs to: its msi_desc's device (null for direct allocations) */
export function virqDevice(w: World, virq: Virq): DevId | null {
  const o = w.irqs[virq]?.owner;
  return o?.kind === 'msi' ? (w.descs[o.desc]?.dev ?? null) : null;
}

export const irLevel = (w: World, virq: Virq): IrChipData | null =>
  (w.irqs[virq]?.levels.find((l) => l.chip?.kind === 'ir')?.chip as IrChipData | undefined) ?? null;

export const vectorLevel = (w: World, virq: Virq): VectorChipData | null => {
  const c = w.irqs[virq]?.levels.at(-1)?.chip;
  return c?.kind === 'vector' ? c : null;
};

/** buildHierarchyGraph() - every entity of the interrupt hierarchy in @w and how they point at each other */
export function buildHierarchyGraph(w: World): HierarchyGraph {
  const nodes = new Map<string, GraphNode>();
  const edges: GraphEdge[] = [];
  const clusters = new Map<string, GraphCluster>();
  const add = (n: GraphNode) => void (nodes.has(n.id) || nodes.set(n.id, n));
  const edge = (from: string, to: string, kind: EdgeKind) => edges.push({ from, to, kind });

  // a domain reference: the live domain, or a node standing for the removed one
  const domainRef = (id: DomainId): string => {
    const n = nodeId.domain(id);
    if (!w.domains[id])
      add({
        id: n,
        kind: 'removed-domain',
        label: [domainName(w, id)],
        cluster: null,
        mentions: [w.domainNames[id] ?? `#${id}`],
      });
    return n;
  };

  for (const u of w.units) {
    const flags = [
      u.present ? null : 'hot-removed',
      u.includeAll ? 'INCLUDE_ALL' : null,
      u.irEnabled ? null : 'IR off',
    ].filter(Boolean);
    clusters.set(clusterId.unit(u.id), {
      id: clusterId.unit(u.id),
      label: `${u.name}${flags.length ? ` (${flags.join(', ')})` : ''}`,
      mentions: [u.name],
    });
  }
  w.cpuOnline.forEach((on, c) =>
    clusters.set(clusterId.cpu(c), {
      id: clusterId.cpu(c),
      label: `CPU${c}${on ? '' : ' (offline)'}`,
      mentions: [`CPU${c}`],
    }),
  );

  for (const d of Object.values(w.domains)) {
    const flags = [d.busToken, d.msiParent ? 'MSI parent' : null, d.msiDevice ? 'per-device' : null]
      .filter(Boolean)
      .join(', ');
    add({
      id: nodeId.domain(d.id),
      kind: 'domain',
      label: [d.name, flags],
      cluster: d.unit === null ? null : clusterId.unit(d.unit),
      mentions: [d.name],
    });
  }
  for (const d of Object.values(w.domains))
    if (d.parent !== null) edge(nodeId.domain(d.id), domainRef(d.parent), 'parent');

  Object.entries(w.designDomains)
    .sort(([a], [b]) => a.localeCompare(b))
    .forEach(([name, id], i) => {
      add({ id: nodeId.pointer(i), kind: 'pointer', label: [name], cluster: null, mentions: [name] });
      edge(nodeId.pointer(i), domainRef(id), 'pointer');
    });

  const mdevByDev = new Map(Object.values(w.mdevs).map((m) => [m.dev, m]));
  for (const dev of Object.values(w.devices)) {
    if (dev.released) continue;
    const m = mdevByDev.get(dev.id);
    const state = m
      ? `PASID ${m.pasid}, ${m.open ? 'open' : 'closed'}`
      : dev.present
        ? (dev.driver ?? 'no driver')
        : 'not present';
    add({ id: nodeId.device(dev.id), kind: 'device', label: [dev.name, state], cluster: null, mentions: [dev.name] });
    if (dev.msiDomain !== null) edge(nodeId.device(dev.id), domainRef(dev.msiDomain), 'msi_domain');
    for (const id of dev.msiData?.domains ?? [])
      if (id !== null && id !== dev.msiDomain) edge(nodeId.device(dev.id), domainRef(id), 'msi_domain');
    if (dev.bus === 'mdev' && dev.parent !== null && w.devices[dev.parent])
      edge(nodeId.device(dev.id), nodeId.device(dev.parent), 'pf');
  }

  const irteRef = (unit: UnitId, index: number): string => {
    const id = nodeId.irte(unit, index);
    const u = w.units[unit];
    if (!u) return id;
    const e = u.irtes[index];
    const line2 = e?.present ? `vec ${hex(e.vector)} CPU${e.destCpu}` : 'not present';
    const line3 = e?.present ? `SID ${hex(e.sid)} SVT=${e.svt}` : u.irteBitmap.includes(index) ? 'allocated' : 'free';
    add({
      id,
      kind: 'irte',
      label: [`IRTE ${index}`, line2, line3],
      cluster: clusterId.unit(unit),
      mentions: [`IRTE ${index} of ${u.name}`, `${u.name}: IRTE ${index}`, `IRTE block at ${index}`],
    });
    return id;
  };
  const vectorRef = (cpu: number, vector: number): string => {
    const id = nodeId.vector(cpu, vector);
    add({
      id,
      kind: 'vector',
      label: [hex(vector)],
      cluster: clusterId.cpu(cpu),
      mentions: [`vector ${hex(vector)} on CPU${cpu}`, `vector_irq[${hex(vector)}] on CPU${cpu}`],
    });
    return id;
  };
  const msgTarget = (m: MsiMsg | null): string | null =>
    m === null || m.format === 'vmd' || m.format === 'its'
      ? null
      : m.format === 'remappable'
        ? irteRef(m.unit, m.index)
        : vectorRef(m.cpu, m.vector);

  for (const u of w.units) {
    for (const i of u.irteBitmap) irteRef(u.id, i);
    for (const i of num(u.irtes)) if (u.irtes[i]!.present) irteRef(u.id, i);
  }
  w.matrix.maps.forEach((m, cpu) => m.allocMap.forEach((v) => vectorRef(cpu, v)));
  w.matrix.vectorIrq.forEach((r, cpu) => num(r).forEach((v) => vectorRef(cpu, v)));

  for (const d of Object.values(w.irqs)) {
    const v = d.virq;
    const top = d.levels[0];
    add({
      id: nodeId.virq(v),
      kind: 'virq',
      label: [
        `irq ${v}`,
        [d.activated ? 'active' : 'inactive', d.action ? 'handler' : null].filter(Boolean).join(', '),
      ],
      cluster: null,
      mentions: [`irq ${v}`],
    });
    const owner = virqDevice(w, v);
    if (owner !== null && w.devices[owner] && !w.devices[owner]!.released)
      edge(nodeId.device(owner), nodeId.virq(v), 'owns');
    if (top)
      edge(nodeId.virq(v), w.domains[top.domain] ? nodeId.domain(top.domain) : domainRef(top.domain), 'top-domain');
    const ir = irLevel(w, v);
    if (ir) edge(nodeId.virq(v), irteRef(ir.unit, ir.irteIndex + ir.subHandle), 'irte');
    const vc = vectorLevel(w, v);
    if (vc && vc.vector !== 0) edge(nodeId.virq(v), vectorRef(vc.cpu, vc.vector), 'vector');
  }

  for (const pf of Object.values(w.dsa)) {
    const pfDev = w.devices[pf.dev];
    if (!pfDev) continue;
    const users = new Map<number, number[]>();
    for (const m of Object.values(w.mdevs))
      if (m.pf === pf.dev) for (const s of m.imsIndex) users.set(s, [...(users.get(s) ?? []), m.dev]);
    const slots = pf.ims.flatMap((e, s) =>
      e.msg !== null || e.pasidEn || pf.driver.imsBitmap.includes(s) || users.has(s) ? [s] : [],
    );
    if (slots.length === 0) continue;
    clusters.set(clusterId.ims(pf.dev), {
      id: clusterId.ims(pf.dev),
      label: `IMS table of ${pfDev.name}`,
      mentions: [],
    });
    for (const s of slots) {
      const e = pf.ims[s];
      const id = nodeId.imsSlot(pf.dev, s);
      const label = [
        `slot ${s}`,
        e?.msg
          ? e.msg.format === 'remappable'
            ? `-> IRTE ${e.msg.index} of ${w.units[e.msg.unit]?.name}`
            : e.msg.format === 'its'
              ? `-> ITS event ${e.msg.event}`
              : e.msg.format === 'vmd'
                ? `-> VMD index ${e.msg.index}`
                : `-> ${hex(e.msg.vector)} CPU${e.msg.cpu}`
          : 'zero message',
        e?.pasidEn ? `PASID ${e.pasid}` : 'PASID off',
      ];
      add({
        id,
        kind: 'ims-slot',
        label,
        cluster: clusterId.ims(pf.dev),
        mentions: [
          `IMS slot ${s} of ${pfDev.name}`,
          `${pfDev.name}: IMS slot ${s}`,
          `${pfDev.name}: free IMS slot ${s}`,
        ],
      });
      for (const dev of users.get(s) ?? []) if (w.devices[dev]) edge(nodeId.device(dev), id, 'ims');
      const t = msgTarget(e?.msg ?? null);
      if (t) edge(id, t, 'irte');
    }
  }

  // edges only between nodes that exist (a released owner has no node)
  const live = edges.filter((e) => nodes.has(e.from) && nodes.has(e.to));
  return { nodes: [...nodes.values()], edges: live, clusters: [...clusters.values()] };
}
