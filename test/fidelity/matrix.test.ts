/*
 * Fidelity: the vector matrix against lines the real kernel/irq/matrix.c printed
 *
 * Each trace below was run through conformance/matrix/harness.c built around Debian's
 * linux-source-6.12 (6.12.118) kernel/irq/matrix.c; 6.1.192 prints the same lines. The model
 * must print them too (src/conformance/matrix-protocol.ts: return, mapped CPU, WARN, BUG |
 * global_available reserved total online_maps systembits_inalloc | system_map | per CPU:
 * online+initialized available allocated managed managed_allocated irq_matrix_allocated()
 * irq_matrix_available(cpudown) alloc_map managed_map). `npm run conformance` does the same over
 * 10,000 generated sequences per kernel when the sources are installed.
 */
import { describe, expect, it } from 'vitest';
import { modelLines, parseSequence } from '../../src/conformance/matrix-protocol.ts';
import { irqAllocMatrix, irqMatrixFreeW, matrixFindBestCpuManaged } from '../../models/kernel/irq/matrix.ts';
import type { World } from '../../models/world/types.ts';
import { boot } from '../helpers.ts';
import { coreAlloc, coreFree, must, run, vecChip } from './util.ts';

const traits6x = { allocatedExcludesManaged: true, freeVersion: '6.2' };
// the harness ends a line with a space when the last map is empty: compare without it
const model = (calls: string) => modelLines(parseSequence(calls), traits6x).map((l) => l.trimEnd());
const kernel = (lines: string) =>
  lines
    .trim()
    .split('\n')
    .map((l) => l.trim());

describe('vector matrix: counters are unsigned int (kernel/irq/matrix.c, 6.1.192 and 6.12.118)', () => {
  it('available wraps to UINT_MAX and matrix_find_best_cpu() then picks that CPU and fails with -ENOSPC', () => {
    // a managed reservation dropped while CPU1 is offline leaves available one short (quirk
    // matrix-offline-managed-available); two more reservations take it below zero
    const calls = 'I 2 256 32 34 0\nM 2\nF 1\nm 2\nN 1\nM 2\nM 2\nA 3 0';
    expect(model(calls).slice(-2)).toEqual(
      kernel(`
        0 -1 - - | 1 0 0 2 0 | | 11 2 0 0 0 0 4294967295   | 11 4294967295 0 2 0 0 2  32.33
        -28 -1 - - | 1 0 0 2 0 | | 11 2 0 0 0 0 4294967295   | 11 4294967295 0 2 0 0 2  32.33`),
    );
  });

  it('managed_allocated wraps and matrix_find_best_cpu_managed() passes over the wrapped CPU', () => {
    const calls = 'I 2 256 32 36 0\nA 1 0\nA 1 0\nM 1\nM 2\nM 3\nX 0 32 1\na 3';
    expect(model(calls).at(-1)).toBe(
      '32 1 - - | 2 0 2 2 0 | | 11 0 1 2 4294967295 2 2 33 34.35 | 11 2 1 2 1 0 0 32 32.33',
    );
    // the search itself: a signed -1 would have been the minimum
    const m = irqAllocMatrix(2, 32, 36, []);
    const wrapped = { ...m, maps: [{ ...m.maps[0]!, managedAllocated: 0xffffffff }, m.maps[1]!] };
    expect(matrixFindBestCpuManaged(wrapped, [0, 1])).toBe(1);
  });
});

describe('vector matrix: irq_matrix_reserve_managed() rolls back through irq_matrix_remove_managed()', () => {
  it('a failed reservation gives back the first unallocated managed bit, not the one it took (same counts)', () => {
    const calls = 'I 2 256 32 35 0\nM 1\nA 1 0\nA 2 0\nA 2 0\nA 2 0\nM 3';
    // CPU0 had managed bit 32; the failed call took 34 there and removed 32 on rollback
    expect(model(calls).at(-1)).toBe('-28 -1 - - | 1 0 4 2 0 | | 11 1 1 1 0 1 0 33 34 | 11 0 3 0 0 3 1 32.33.34');
  });
});

describe('vector matrix: WARN_ON_ONCE and BUG_ON are outcomes (kernel/irq/matrix.c, 6.x)', () => {
  const calls =
    'I 2 256 32 35 0\nM 1\nA 1 0\nA 2 0\nA 2 0\nA 2 0\nM 3\nX 0 33 0\nX 0 33 0\nm 2\nN 0\nS 1 34\nS 1 34\nY 0 40 0';
  const lines = model(calls);

  it('a double free WARNs in irq_matrix_free() and changes nothing (c93a5e20c3c2)', () => {
    expect(lines[8]).toBe('0 -1 irq_matrix_free - | 2 0 3 2 0 | | 11 2 0 1 0 0 0  34 | 11 0 3 0 0 3 2 32.33.34');
    const m = irqAllocMatrix(1, 32, 40, []);
    expect(irqMatrixFreeW(m, 0, 33, false, '6.2')).toEqual({ m, warned: ['irq_matrix_free'] });
  });

  it('removing a managed reservation a CPU does not have WARNs in irq_matrix_remove_managed()', () => {
    expect(lines[9]).toBe(
      '0 -1 irq_matrix_remove_managed - | 2 0 3 2 0 | | 11 2 0 1 0 0 0  34 | 11 0 3 0 0 3 2 32.33.34',
    );
  });

  it('onlining an online CPU is BUG_ON(cm->online); assign_system at run time is a BUG too', () => {
    expect(lines[10]).toBe('0 -1 - irq_matrix_online | 2 0 3 2 0 | | 11 2 0 1 0 0 0  34 | 11 0 3 0 0 3 2 32.33.34');
    // the model stops at the BUG: the kernel is dead
    expect(lines).toHaveLength(11);
    const later = model('I 2 256 32 35 0\nS 1 34\nS 1 34\nY 0 40 0');
    expect(later.slice(1).map((l) => l.split(' | ')[0])).toEqual([
      '0 -1 - -',
      '0 -1 irq_matrix_assign -',
      '0 -1 - irq_matrix_assign_system',
    ]);
  });
});

describe('vector matrix: irq_matrix_allocated() excludes managed vectors since a0b0bad10587 (v6.7, 6.1.y)', () => {
  it('a CPU holding only a managed vector has nothing to migrate on the 6.x sources', () => {
    const lines = model('I 1 256 32 37 1 36\nM 1\na 1');
    expect(lines.at(-1)).toBe('32 0 - - | 3 0 1 1 1 |36 | 11 3 1 1 1 0 0 32 32');
    const before = modelLines(parseSequence('I 1 256 32 37 1 36\nM 1\na 1'), {
      ...traits6x,
      allocatedExcludesManaged: false,
    });
    expect(before.at(-1)?.split(' | ')[2]?.split(' ')[5]).toBe('1');
  });
});

describe('a matrix WARN reached by an operation is its outcome (item: WARNs are outcomes)', () => {
  it('freeing a vector the matrix no longer has WARNs in irq_matrix_free() and the step says so [matrix.c 6.x]', () => {
    const w0 = boot('6.2');
    const w1 = must(w0, coreAlloc(w0.vectorDomain, 1, [0]));
    const c = vecChip(w1, 1);
    // a stale vector: the chip still holds it, the matrix has it free (what a double free leaves)
    const cm = w1.matrix.maps[c.cpu]!;
    const stale: World = {
      ...w1,
      matrix: {
        ...w1.matrix,
        maps: w1.matrix.maps.map((m, i) =>
          i === c.cpu ? { ...cm, allocMap: [], allocated: 0, available: cm.available + 1 } : m,
        ),
      },
    };
    const o = run(stale, coreFree(1, 1));
    expect(o.kind).toBe('warned');
    expect(o).toMatchObject({ why: 'WARN_ON_ONCE in irq_matrix_free' });
    expect(o.world.kernelWarn).toEqual([]); // the ghost never outlives the step
    // a clean free is ok
    expect(run(w1, coreFree(1, 1)).kind).toBe('ok');
  });
});
