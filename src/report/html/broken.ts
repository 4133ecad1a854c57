/*
 * src/report/html/broken.ts - what to draw in red: derived from the world and the violation,
 * never from which design ran
 *
 * Two sources: what is wrong in the world itself (a parent or msi_domain pointer to a removed
 * domain, a virq mapped through one, an IRTE in another unit than its device's, a vector or an
 * IRTE nobody owns, IRTEs left on a hot-removed unit) and the entities the violation's message
 * names ("irq 10 of mdev0 has its IRTE in DRHD0 ...").
 */
import type { World } from '../../../models/world/types.ts';
import { domainName, unitForDevice } from '../../../models/world/world.ts';
import {
  clusterId,
  irLevel,
  nodeId,
  pciAncestor,
  vectorLevel,
  virqDevice,
  type HierarchyGraph,
} from './hierarchy-graph.ts';

export interface Highlight {
  readonly nodes: ReadonlySet<string>;
  /** "from->to" */
  readonly edges: ReadonlySet<string>;
  readonly clusters: ReadonlySet<string>;
  /** one line per finding, for the legend under the diagram */
  readonly reasons: readonly string[];
}

export const edgeKey = (from: string, to: string): string => `${from}->${to}`;

/** does @message name @phrase as a whole word (irq 1 is not irq 10, INTEL-IR-1 not INTEL-IR-10)? */
export function mentions(message: string, phrase: string): boolean {
  if (!phrase) return false;
  for (let i = message.indexOf(phrase); i >= 0; i = message.indexOf(phrase, i + 1)) {
    const before = message[i - 1] ?? ' ';
    const after = message[i + phrase.length] ?? ' ';
    if (
      !/[A-Za-z0-9_:.-]/.test(before) &&
      !/[A-Za-z0-9_-]/.test(after) &&
      !/\.[0-9]/.test(message.slice(i + phrase.length, i + phrase.length + 2))
    )
      return true;
  }
  return false;
}

/** findBroken() - the nodes, edges and clusters of @g to draw in red, and why */
export function findBroken(
  w: World,
  g: HierarchyGraph,
  violation: { readonly invariant: string; readonly message: string } | null,
): Highlight {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  const clusters = new Set<string>();
  const reasons: string[] = [];
  const has = new Set(g.nodes.map((n) => n.id));
  const mark = (reason: string, ...ids: string[]) => {
    for (const id of ids) if (has.has(id)) nodes.add(id);
    reasons.push(reason);
  };

  // pointers to removed domains: parents, msi_domain, design pointers, virq chains
  for (const e of g.edges) {
    if (!g.nodes.some((n) => n.id === e.to && n.kind === 'removed-domain')) continue;
    edges.add(edgeKey(e.from, e.to));
    nodes.add(e.to);
    nodes.add(e.from);
  }
  for (const d of Object.values(w.domains))
    if (d.parent !== null && !w.domains[d.parent])
      reasons.push(`${d.name}: parent ${domainName(w, d.parent)} is gone (dangling parent pointer)`);
  for (const dev of Object.values(w.devices))
    if (!dev.released && dev.msiDomain !== null && !w.domains[dev.msiDomain])
      reasons.push(`${dev.name}: msi_domain points at ${domainName(w, dev.msiDomain)}`);
  for (const [name, id] of Object.entries(w.designDomains))
    if (!w.domains[id]) reasons.push(`${name} points at ${domainName(w, id)}`);
  for (const d of Object.values(w.irqs)) {
    const gone = d.levels.find((l) => !w.domains[l.domain]);
    if (gone) reasons.push(`irq ${d.virq} maps through ${domainName(w, gone.domain)}`);
  }

  // an IRTE in another unit than the one covering the device (an mdev: its PF)
  const owned = new Map<string, number>();
  for (const d of Object.values(w.irqs)) {
    const ir = irLevel(w, d.virq);
    if (ir) owned.set(`${ir.unit}:${ir.irteIndex + ir.subHandle}`, d.virq);
    const dev = virqDevice(w, d.virq);
    const pci = dev === null ? null : pciAncestor(w, dev);
    const want = pci === null ? null : unitForDevice(w, pci);
    if (ir && want !== null && ir.unit !== want) {
      const irte = nodeId.irte(ir.unit, ir.irteIndex + ir.subHandle);
      edges.add(edgeKey(nodeId.virq(d.virq), irte));
      mark(
        `irq ${d.virq}: IRTE ${ir.irteIndex + ir.subHandle} in ${w.units[ir.unit]!.name}, but ${w.devices[pci!]!.name} is behind ${w.units[want]!.name}`,
        irte,
        nodeId.virq(d.virq),
      );
    }
  }
  for (const pf of Object.values(w.dsa)) {
    const want = unitForDevice(w, pf.dev);
    pf.ims.forEach((e, s) => {
      if (e.msg?.format !== 'remappable' || want === null || e.msg.unit === want) return;
      edges.add(edgeKey(nodeId.imsSlot(pf.dev, s), nodeId.irte(e.msg.unit, e.msg.index)));
      mark(
        `IMS slot ${s} of ${w.devices[pf.dev]!.name} points at IRTE ${e.msg.index} of ${w.units[e.msg.unit]!.name}, not ${w.units[want]!.name}`,
        nodeId.imsSlot(pf.dev, s),
        nodeId.irte(e.msg.unit, e.msg.index),
      );
    });
  }

  // IRTEs nobody owns, and IRTEs left on a hot-removed unit
  for (const u of w.units) {
    for (const i of u.irteBitmap)
      if (!owned.has(`${u.id}:${i}`))
        mark(`IRTE ${i} of ${u.name} is allocated but no irq owns it (leaked)`, nodeId.irte(u.id, i));
    if (!u.present && u.irteBitmap.length) {
      clusters.add(clusterId.unit(u.id));
      reasons.push(`${u.name} is hot-removed with ${u.irteBitmap.length} IRTEs allocated`);
    }
  }

  // vectors nobody owns (leaked), and vector_irq entries for irqs that do not hold the vector
  const holds = new Set<string>();
  for (const d of Object.values(w.irqs)) {
    const c = vectorLevel(w, d.virq);
    if (c?.vector) holds.add(`${c.cpu}:${c.vector}`);
    if (c?.prevVector) holds.add(`${c.prevCpu}:${c.prevVector}`);
  }
  w.matrix.maps.forEach((m, cpu) => {
    for (const v of m.allocMap)
      if (!holds.has(`${cpu}:${v}`))
        mark(
          `vector 0x${v.toString(16)} on CPU${cpu} is allocated but no irq holds it (leaked)`,
          nodeId.vector(cpu, v),
        );
  });

  // what the violation names
  if (violation) {
    for (const n of g.nodes) if (n.mentions.some((p) => mentions(violation.message, p))) nodes.add(n.id);
    // a unit or CPU only when it is the message's subject ("CPU1: allocated=3 but ...")
    for (const c of g.clusters) if (c.mentions.some((p) => violation.message.startsWith(`${p}:`))) clusters.add(c.id);
  }
  return { nodes, edges, clusters, reasons: [...new Set(reasons)] };
}
