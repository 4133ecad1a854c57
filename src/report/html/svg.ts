/*
 * src/report/html/svg.ts - DOT to inline SVG with Graphviz compiled to WebAssembly
 * (@viz-js/viz: no native binary, no network; the same DOT gives the same SVG)
 */
import { instance, type Viz } from '@viz-js/viz';

let viz: Promise<Viz> | null = null;

/** renderSvg() - @dot as an <svg> element ready to inline in a page (no XML prolog) */
export async function renderSvg(dot: string): Promise<string> {
  viz ??= instance();
  const r = (await viz).render(dot, { format: 'svg' });
  if (r.status !== 'success') throw new Error(`graphviz: ${r.errors.map((e) => e.message).join('; ')}`);
  return r.output.slice(r.output.indexOf('<svg'));
}
