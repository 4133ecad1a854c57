/*
 * src/report/explore.ts - what an exhaustive search found, as text: the numbers behind it and
 * each invariant's shortest trace, or the statement that nothing breaks up to the depth
 */
import type { World } from '../../models/world/types.ts';
import type { ExploreResult } from '../search/explore.ts';
import { runOps } from '../run/run.ts';
import { formatTrace } from './trace.ts';

export function renderExplore(w0: World, design: string, depth: number, r: ExploreResult): string {
  const out: string[] = [
    `${design} on ${w0.profile.version}, config ${w0.config.name}: exhaustive search to depth ${depth}`,
    `  ${r.states} distinct states, ${r.transitions} transitions, depth ${r.depthReached} ${r.complete ? 'fully explored' : 'reached (search stopped early: state budget)'}`,
    `  new states per depth: ${r.layers.join(', ')}`,
    `  transitions per operation: ${Object.entries(r.opCoverage)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
  ];
  if (r.violations.length === 0) {
    out.push(
      '',
      r.complete
        ? `no violation of any checked invariant up to depth ${depth}`
        : `no violation in the ${r.states} states explored (incomplete)`,
    );
    return out.join('\n');
  }
  for (const v of r.violations) {
    const run = runOps(w0, v.ops, { only: new Set([v.invariant]) });
    out.push('', `✗ ${v.invariant} [${v.category}]  (shortest: ${v.ops.length} steps)`);
    for (const l of formatTrace(w0, run.trace)) out.push(`    ${l}`);
    out.push(`    !! ${v.invariant}: ${v.message}`);
  }
  return out.join('\n');
}
