/*
 * Fidelity: the IRTE block allocator against lines the real alloc_irte()/clear_entries() printed
 *
 * The trace was run through conformance/irte/harness.c with the functions copied from Debian's
 * linux-source-6.12 (6.12.118) drivers/iommu/intel/irq_remapping.c and include/linux/bitmap.h
 * (6.1.192 with lib/bitmap.c prints the same): a 64-entry table, ecap max handle mask 3. Each
 * line: return, block index and mask, the set bits of the table's bitmap.
 */
import { describe, expect, it } from 'vitest';
import { irteModelLines } from '../../src/conformance/irte.ts';

describe('IRTE blocks (drivers/iommu/intel/irq_remapping.c alloc_irte, clear_entries)', () => {
  it('naturally aligned powers of two, refused above the max handle mask, released only through sub-handle 0', () => {
    const lines = irteModelLines({
      mhmv: 3,
      calls: [
        { op: 'alloc', count: 3 },
        { op: 'alloc', count: 1 },
        { op: 'alloc', count: 16 },
        { op: 'alloc', count: 8 },
        { op: 'clear', index: 0, mask: 2, subHandle: 1 },
        { op: 'clear', index: 0, mask: 2, subHandle: 0 },
        { op: 'alloc', count: 64 },
        { op: 'alloc', count: 0 },
      ],
    });
    expect(lines.map((l) => l.trimEnd())).toEqual([
      '0 -1 -1 |',
      '0 0 2 | 0 1 2 3',
      '4 4 0 | 0 1 2 3 4',
      '-1 -1 -1 | 0 1 2 3 4',
      '8 8 3 | 0 1 2 3 4 8 9 10 11 12 13 14 15',
      '0 -1 -1 | 0 1 2 3 4 8 9 10 11 12 13 14 15',
      '0 -1 -1 | 4 8 9 10 11 12 13 14 15',
      '-1 -1 -1 | 4 8 9 10 11 12 13 14 15',
      '-1 -1 -1 | 4 8 9 10 11 12 13 14 15',
    ]);
  });
});
