/*
 * src/report/html/hierarchies-page.ts - the healthy hierarchy of every design, one under the
 * other, so designs can be compared by eye (healthy.ts says which calls build it)
 */
import type { CheckRun } from '../../run/check.ts';
import { findDesign } from '../../../models/designs/index.ts';
import { healthyRun } from './healthy.ts';
import { escapeHtml } from './escape.ts';
import { page, table, td } from './layout.ts';
import { diagramHtml } from './diagram.ts';

/** the anchor of a design's section (design names are kebab-case; escaped anyway) */
export const designAnchor = (design: string): string => `design-${design}`;

export async function hierarchiesPage(runs: readonly CheckRun[]): Promise<string> {
  const body = [
    `<nav><a href="../index.html">index</a></nav>`,
    '<h1>Healthy hierarchies</h1>',
    '<p>What each design builds when all goes well, from the same calls: probe the first DSA PF, configure a dedicated mdev WQ and an engine in group 0, enable the device and the WQ, create an mdev and open it. ' +
      "Boxes are irq domains (arrows to their parents), ellipses devices (dashed arrows: <code>msi_domain</code>), notes the design's static domain pointers; virqs point at their IRTE (per DMAR unit) and vector (per CPU). Anything in red is already wrong here.</p>",
    `<ul>${runs.map((r) => `<li><a href="#${escapeHtml(designAnchor(r.spec.design))}">${escapeHtml(r.spec.design)}</a></li>`).join('')}</ul>`,
  ];
  for (const r of runs) {
    const d = findDesign(r.spec.design);
    const h = healthyRun(r.world0);
    body.push(
      `<h2 id="${escapeHtml(designAnchor(r.spec.design))}">${escapeHtml(r.spec.design)}</h2>`,
      d ? `<p>${escapeHtml(d.summary)}</p>` : '',
      h.steps.length
        ? table(
            ['step', 'call', 'outcome'],
            h.steps.map((s, i) => [td(i + 1, 'num'), `<td class="call">${escapeHtml(s.call)}</td>`, td(s.outcome)]),
          )
        : '<p>This configuration has no DSA PF.</p>',
      await diagramHtml(h.world, `${r.spec.design}: healthy`, null),
    );
  }
  return page('irqcheck: healthy hierarchies', body.join('\n'));
}
