/*
 * properties/invariants/levels.ts - reading an irq's chain the way several invariants need it
 */
import type { IrChipData, IrqDesc, VectorChipData } from '../../models/kernel/types.ts';

/** the chip data of the root (x86 vector) level, or null before its alloc ran */
export const vectorChip = (d: IrqDesc): VectorChipData | null => {
  // a chain cut short (no vector level: parent-chain reports it) has no vector
  const c = d.levels[d.levels.length - 1]?.chip;
  return c?.kind === 'vector' ? c : null;
};

/** the interrupt-remapping levels of @d (at most one in the x86 stacks) with their chip data */
export const irLevels = (d: IrqDesc): { programmed: boolean; domain: number; chip: IrChipData }[] =>
  d.levels.flatMap((l) => (l.chip?.kind === 'ir' ? [{ programmed: l.programmed, domain: l.domain, chip: l.chip }] : []));
