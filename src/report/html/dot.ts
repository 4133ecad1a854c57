/*
 * src/report/html/dot.ts - a hierarchy graph as Graphviz DOT text (pure; svg.ts renders it)
 *
 * Domains are boxes, devices ellipses, virqs small circles, IRTEs and vectors records inside
 * their DMAR unit's and CPU's cluster. Edges point the way the kernel's pointers do: child
 * domain -> parent, device -> msi_domain, virq -> IRTE -> ... Red is what broken.ts found.
 * Every label goes through escapeDot(); ids are numeric (hierarchy-graph.ts).
 */
import { escapeDot } from './escape.ts';
import { edgeKey, type Highlight } from './broken.ts';
import type { EdgeKind, GraphNode, HierarchyGraph, NodeKind } from './hierarchy-graph.ts';

const RED = '#d00000';

const nodeStyle: Record<NodeKind, string> = {
  domain: 'shape=box, style="rounded,filled", fillcolor="#e8f0fe"',
  'removed-domain': 'shape=box, style="rounded,dashed", fontcolor="#555555"',
  pointer: 'shape=note, style=filled, fillcolor="#fff4d6"',
  device: 'shape=ellipse, style=filled, fillcolor="#e6f4ea"',
  virq: 'shape=box, style="filled", fillcolor="#f3e8fd", fontsize=10',
  'ims-slot': 'shape=box, style=filled, fillcolor="#fde8e0", fontsize=10',
  irte: 'shape=box, style=filled, fillcolor="#ffffff", fontsize=10',
  vector: 'shape=box, style=filled, fillcolor="#ffffff", fontsize=10',
};

const edgeStyle: Record<EdgeKind, string> = {
  parent: 'label="parent", fontsize=9',
  msi_domain: 'label="msi_domain", fontsize=9, style=dashed, color="#1a73e8"',
  pointer: 'style=dashed, color="#b06000"',
  owns: 'color="#777777", arrowhead=none',
  'top-domain': 'style=dotted, color="#999999"',
  irte: 'color="#5f6368"',
  vector: 'color="#5f6368"',
  ims: 'color="#c5221f", style=dashed, label="IMS", fontsize=9',
  pf: 'style=dotted, label="parent dev", fontsize=9',
};

const label = (lines: readonly string[]) =>
  `"${lines
    .filter((l) => l !== '')
    .map(escapeDot)
    .join('\\n')}"`;

function nodeLine(n: GraphNode, red: boolean): string {
  return `    ${n.id} [label=${label(n.label)}, ${nodeStyle[n.kind]}${red ? `, color="${RED}", fontcolor="${RED}", penwidth=2.5` : ''}];`;
}

/** toDot() - the DOT text of @g, @hl in red; the same graph gives the same text */
export function toDot(g: HierarchyGraph, hl: Highlight, title: string): string {
  const out = [
    'digraph hierarchy {',
    `  graph [rankdir=LR, fontname="Helvetica", fontsize=12, label=${label([title])}, labelloc=t, nodesep=0.15, ranksep=0.5];`,
    '  node [fontname="Helvetica", fontsize=11, margin="0.08,0.03"];',
    '  edge [fontname="Helvetica", arrowsize=0.6];',
  ];
  for (const c of g.clusters) {
    const red = hl.clusters.has(c.id);
    out.push(
      `  subgraph ${c.id} {`,
      `    label=${label([c.label])}; style="rounded"; color="${red ? RED : '#9aa0a6'}";${red ? ` fontcolor="${RED}"; penwidth=2.5;` : ''}`,
    );
    for (const n of g.nodes) if (n.cluster === c.id) out.push(nodeLine(n, hl.nodes.has(n.id)));
    out.push('  }');
  }
  const clustered = new Set(g.clusters.map((c) => c.id));
  for (const n of g.nodes)
    if (n.cluster === null || !clustered.has(n.cluster)) out.push(nodeLine(n, hl.nodes.has(n.id)).slice(2));
  for (const e of g.edges) {
    const red = hl.edges.has(edgeKey(e.from, e.to));
    out.push(`  ${e.from} -> ${e.to} [${edgeStyle[e.kind]}${red ? `, color="${RED}", penwidth=2.5` : ''}];`);
  }
  out.push('}');
  return `${out.join('\n')}\n`;
}
