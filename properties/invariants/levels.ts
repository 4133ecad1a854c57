/*
 * properties/invariants/levels.ts - reading an irq's chain the way several invariants need it
 */
import type { IrChipData, IrqDesc, VectorChipData } from '../../models/world/types.ts';

/** the chip data of the root (x86 vector) level, or null before its alloc ran (or on a root that is not the vector domain: a GIC-ITS, a demultiplexing VMD) */
export const vectorChip = (d: IrqDesc): VectorChipData | null => {
  const c = d.levels[d.levels.length - 1]?.chip;
  return c?.kind === 'vector' ? c : null;
};

/** the interrupt-remapping levels of @d (at most one in the x86 stacks) with their chip data */
export const irLevels = (d: IrqDesc): { programmed: boolean; domain: number; chip: IrChipData }[] =>
  d.levels.flatMap((l) =>
    l.chip?.kind === 'ir' ? [{ programmed: l.programmed, domain: l.domain, chip: l.chip }] : [],
  );
