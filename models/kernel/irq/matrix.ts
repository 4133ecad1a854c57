/*
 * models/kernel/irq/matrix.ts - the per-CPU vector allocation matrix (kernel/irq/matrix.c)
 *
 * Modelled: alloc/managed bitmaps per CPU, the per-CPU and global counters exactly as the kernel
 * keeps them (the invariants compare counters against bitmaps), reservations, online/offline.
 * Left out: the scratch map and tracing. Every function is pure: (matrix, args) -> matrix.
 */
import type { CpuId, CpuMap, VectorMatrix } from '../../world/types.ts';
import { arrSet, setAdd, setDel } from '../../world/util.ts';

const putMap = (m: VectorMatrix, cpu: CpuId, cm: CpuMap): VectorMatrix => ({ ...m, maps: arrSet(m.maps, cpu, cm) });

/** matrix_alloc_area(): first free bit of the window not in system/managed/alloc maps */
function findFreeBit(m: VectorMatrix, cm: CpuMap): number {
  const taken = new Set<number>(m.systemMap);
  for (const b of cm.managedMap) taken.add(b);
  for (const b of cm.allocMap) taken.add(b);
  for (let bit = m.allocStart; bit < m.allocEnd; bit++) if (!taken.has(bit)) return bit;
  return -1;
}

/** irq_matrix_online(): account this CPU's available vectors globally again */
export function irqMatrixOnline(m: VectorMatrix, cpu: CpuId, wipe = false): VectorMatrix {
  let cm = m.maps[cpu]!;
  // B02: before 651ca2c00405 every online zeroed alloc_map and allocated and recomputed available
  if (wipe)
    cm = {
      ...cm,
      allocMap: [],
      allocated: 0,
      available: m.allocSize - cm.managed - m.systembitsInalloc,
      initialized: true,
    };
  if (!cm.initialized) {
    cm = { ...cm, available: m.allocSize - cm.managed - m.systembitsInalloc, initialized: true };
  }
  cm = { ...cm, online: true };
  return { ...putMap(m, cpu, cm), globalAvailable: m.globalAvailable + cm.available, onlineMaps: m.onlineMaps + 1 };
}

/** irq_matrix_offline(): the CPU's bits stay (dormant allocations survive, fix 651ca2c00405) */
export function irqMatrixOffline(m: VectorMatrix, cpu: CpuId): VectorMatrix {
  const cm = m.maps[cpu]!;
  return {
    ...putMap(m, cpu, { ...cm, online: false }),
    globalAvailable: m.globalAvailable - cm.available,
    onlineMaps: m.onlineMaps - 1,
  };
}

/** irq_matrix_reserve(): a global reservation only - never fails, may overcommit */
export function irqMatrixReserve(m: VectorMatrix): VectorMatrix {
  return { ...m, globalReserved: m.globalReserved + 1 };
}

/** irq_matrix_remove_reserved() */
export function irqMatrixRemoveReserved(m: VectorMatrix): VectorMatrix {
  return { ...m, globalReserved: m.globalReserved - 1 };
}

/**
 * irqMatrixReserveManaged() - reserve one managed bit on every CPU of @cpus, online or not
 * Rolls back the CPUs done so far and fails with -ENOSPC if one CPU has no free bit.
 * Kernel: kernel/irq/matrix.c irq_matrix_reserve_managed()
 */
export function irqMatrixReserveManaged(m: VectorMatrix, cpus: readonly CpuId[], drift: boolean): VectorMatrix | null {
  let out = m;
  for (const cpu of cpus) {
    const cm = out.maps[cpu]!;
    const bit = findFreeBit(out, cm);
    if (bit < 0) return null; // rollback = discard `out`
    const next: CpuMap = {
      ...cm,
      managedMap: setAdd(cm.managedMap, bit),
      managed: cm.managed + 1,
      // the kernel adjusts available only while online (quirk matrix-offline-managed-available)
      available: cm.online || !drift ? cm.available - 1 : cm.available,
    };
    out = { ...putMap(out, cpu, next), globalAvailable: cm.online ? out.globalAvailable - 1 : out.globalAvailable };
  }
  return out;
}

/** irq_matrix_remove_managed(): give back one managed bit that is not allocated, per CPU */
export function irqMatrixRemoveManaged(m: VectorMatrix, cpus: readonly CpuId[], drift: boolean): VectorMatrix {
  let out = m;
  for (const cpu of cpus) {
    const cm = out.maps[cpu]!;
    if (cm.managed === 0) continue; // WARN_ON_ONCE(!cm->managed)
    const bit = cm.managedMap.find((b) => !cm.allocMap.includes(b));
    if (bit === undefined) continue; // WARN_ON_ONCE(bit >= end)
    const next: CpuMap = {
      ...cm,
      managedMap: setDel(cm.managedMap, bit),
      managed: cm.managed - 1,
      available: cm.online || !drift ? cm.available + 1 : cm.available,
    };
    out = { ...putMap(out, cpu, next), globalAvailable: cm.online ? out.globalAvailable + 1 : out.globalAvailable };
  }
  return out;
}

/** matrix_find_best_cpu(): the online CPU of @cpus with the most available vectors (> 0) */
export function matrixFindBestCpu(m: VectorMatrix, cpus: readonly CpuId[]): CpuId | null {
  let best: CpuId | null = null;
  let maxAvl = 0;
  for (const cpu of cpus) {
    const cm = m.maps[cpu]!;
    if (!cm.online || cm.available <= maxAvl) continue;
    best = cpu;
    maxAvl = cm.available;
  }
  return best;
}

/** matrix_find_best_cpu_managed(): the online CPU of @cpus with the fewest managed allocations */
export function matrixFindBestCpuManaged(m: VectorMatrix, cpus: readonly CpuId[]): CpuId | null {
  let best: CpuId | null = null;
  let min = Infinity;
  for (const cpu of cpus) {
    const cm = m.maps[cpu]!;
    if (!cm.online || cm.managedAllocated > min) continue; // ties: the last CPU wins
    best = cpu;
    min = cm.managedAllocated;
  }
  return best;
}

/**
 * irqMatrixAlloc() - allocate a non-managed vector on the best online CPU of @cpus
 * @reserved: the interrupt had a global reservation, which this allocation consumes
 * Kernel: kernel/irq/matrix.c irq_matrix_alloc()
 */
export function irqMatrixAlloc(
  m: VectorMatrix,
  cpus: readonly CpuId[],
  reserved: boolean,
): { m: VectorMatrix; cpu: CpuId; vector: number } | null {
  const cpu = matrixFindBestCpu(m, cpus);
  if (cpu === null) return null;
  const cm = m.maps[cpu]!;
  const bit = findFreeBit(m, cm);
  if (bit < 0) return null;
  const next: CpuMap = {
    ...cm,
    allocMap: setAdd(cm.allocMap, bit),
    allocated: cm.allocated + 1,
    available: cm.available - 1,
  };
  return {
    m: {
      ...putMap(m, cpu, next),
      totalAllocated: m.totalAllocated + 1,
      globalAvailable: m.globalAvailable - 1,
      globalReserved: reserved ? m.globalReserved - 1 : m.globalReserved,
    },
    cpu,
    vector: bit,
  };
}

/** irq_matrix_alloc_managed(): take a reserved managed bit on the best online CPU of @cpus */
export function irqMatrixAllocManaged(
  m: VectorMatrix,
  cpus: readonly CpuId[],
): { m: VectorMatrix; cpu: CpuId; vector: number } | null {
  if (cpus.length === 0) return null; // -EINVAL in the kernel
  const cpu = matrixFindBestCpuManaged(m, cpus);
  if (cpu === null) return null;
  const cm = m.maps[cpu]!;
  const bit = cm.managedMap.find((b) => !cm.allocMap.includes(b));
  if (bit === undefined) return null;
  const next: CpuMap = {
    ...cm,
    allocMap: setAdd(cm.allocMap, bit),
    allocated: cm.allocated + 1,
    managedAllocated: cm.managedAllocated + 1,
  };
  return { m: { ...putMap(m, cpu, next), totalAllocated: m.totalAllocated + 1 }, cpu, vector: bit };
}

/**
 * irqMatrixFree() - free @vector on @cpu
 * A free on an offline CPU does not decrement total_allocated (kernel quirk, counted in the
 * ghost counter offlineFrees so that the accounting invariant stays exact).
 * Kernel: kernel/irq/matrix.c irq_matrix_free()
 */
export function irqMatrixFree(
  m: VectorMatrix,
  cpu: CpuId,
  vector: number,
  managed: boolean,
  version: '5.10' | '6.2',
): VectorMatrix {
  if (vector < m.allocStart || vector >= m.allocEnd) return m; // WARN_ON_ONCE
  const cm = m.maps[cpu]!;
  // 6.x: WARN_ON_ONCE(!test_and_clear_bit()) and return (c93a5e20c3c2); 5.10: clear_bit() and
  // the counters are decremented anyway
  if (version !== '5.10' && !cm.allocMap.includes(vector)) return m;
  const next: CpuMap = {
    ...cm,
    allocMap: setDel(cm.allocMap, vector),
    allocated: cm.allocated - 1,
    managedAllocated: managed ? cm.managedAllocated - 1 : cm.managedAllocated,
    available: managed ? cm.available : cm.available + 1,
  };
  return {
    ...putMap(m, cpu, next),
    totalAllocated: cm.online ? m.totalAllocated - 1 : m.totalAllocated,
    offlineFrees: cm.online ? m.offlineFrees : m.offlineFrees + 1,
    globalAvailable: !managed && cm.online ? m.globalAvailable + 1 : m.globalAvailable,
  };
}

/** irq_matrix_allocated(): vectors allocated on @cpu, managed included before a0b0bad10587 (6.7) */
export const irqMatrixAllocated = (m: VectorMatrix, cpu: CpuId): number => m.maps[cpu]!.allocated;

/** irq_matrix_available(m, cpudown): global available without @cpu's own */
export const irqMatrixAvailableWithout = (m: VectorMatrix, cpu: CpuId): number =>
  m.globalAvailable - m.maps[cpu]!.available;

/** irq_alloc_matrix() + irq_matrix_assign_system() + irq_matrix_online() for the boot CPUs */
export function irqAllocMatrix(
  cpus: number,
  start: number,
  end: number,
  systemVectors: readonly number[],
): VectorMatrix {
  const inWindow = systemVectors.filter((v) => v >= start && v < end).length;
  const blank: CpuMap = {
    online: false,
    initialized: false,
    available: 0,
    allocated: 0,
    managed: 0,
    managedAllocated: 0,
    allocMap: [],
    managedMap: [],
  };
  let m: VectorMatrix = {
    allocStart: start,
    allocEnd: end,
    allocSize: end - start,
    systemMap: [...systemVectors].sort((a, b) => a - b),
    systembitsInalloc: inWindow,
    globalAvailable: 0,
    globalReserved: 0,
    totalAllocated: 0,
    onlineMaps: 0,
    maps: Array.from({ length: cpus }, () => blank),
    vectorIrq: Array.from({ length: cpus }, () => ({})),
    offlineFrees: 0,
  };
  for (let c = 0; c < cpus; c++) m = irqMatrixOnline(m, c);
  return m;
}
