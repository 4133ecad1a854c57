/*
 * src/report/html/diagram.ts - a world as an inline SVG hierarchy diagram with its red findings
 */
import type { World } from '../../../models/world/types.ts';
import { buildHierarchyGraph } from './hierarchy-graph.ts';
import { findBroken } from './broken.ts';
import { toDot } from './dot.ts';
import { renderSvg } from './svg.ts';
import { escapeHtml } from './escape.ts';

/** diagramHtml() - the SVG of @w's hierarchy and, under it, the list of what is drawn in red */
export async function diagramHtml(
  w: World,
  title: string,
  violation: { readonly invariant: string; readonly message: string } | null,
): Promise<string> {
  const g = buildHierarchyGraph(w);
  const hl = findBroken(w, g, violation);
  const svg = await renderSvg(toDot(g, hl, title));
  const reasons = hl.reasons.length
    ? `<ul class="reasons">${hl.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`
    : '';
  return `<div class="diagram">${svg}</div>\n${reasons}`;
}
