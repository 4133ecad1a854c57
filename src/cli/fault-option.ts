/*
 * src/cli/fault-option.ts - parsing fault ids given on the command line (--fault, --faults)
 */
import { faultIds, isFaultId, type FaultId } from '../../models/faults/catalog.ts';

/** comma-separated fault ids, accumulated over repeated options; 'all' is every fault */
export function parseFaultIds(v: string, prev: readonly FaultId[] = [], fail: (m: string) => Error): FaultId[] {
  const out = [...prev];
  const words = v
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  if (!words.length) throw fail(`no fault id in '${v}' (see 'irqcheck faults')`);
  for (const word of words) {
    if (word === 'ALL') out.push(...faultIds);
    else if (isFaultId(word)) out.push(word);
    else throw fail(`unknown fault '${word}' (see 'irqcheck faults'; encoded: ${faultIds.join(', ')})`);
  }
  return [...new Set(out)];
}
