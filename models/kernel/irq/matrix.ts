/*
 * models/kernel/irq/matrix.ts - the per-CPU vector allocation matrix (kernel/irq/matrix.c)
 *
 * Modelled: alloc/managed bitmaps per CPU, the per-CPU and global counters exactly as the kernel
 * keeps them, as unsigned int (an underflow wraps, and the best-CPU searches then compare the
 * wrapped value as the kernel does), reservations, online/offline, the WARN_ON_ONCE()s (a call
 * that hits one returns its function's name in `warned`) and the BUG_ON()s (returned as `bug`).
 * Left out: the scratch map (a temporary), tracing and irq_matrix_debug_show().
 * Every function is pure: (matrix, args) -> matrix. `npm run conformance` compares these
 * functions with the real matrix.c of Debian's linux-source packages, call by call.
 */
import type { CpuId, CpuMap, VectorMatrix } from '../../world/types.ts';
import { arrSet, setAdd, setDel } from '../../world/util.ts';

/** the counters are unsigned int: 0 - 1 is UINT_MAX */
const u32 = (x: number): number => x >>> 0;
const UINT_MAX = 0xffffffff;
/** matrix_bits of the x86 vector matrix: NR_VECTORS (arch/x86/kernel/apic/vector.c arch_early_irq_init()) */
export const NR_VECTORS = 256;

/** a call and the WARN_ON_ONCE()s it hit, by function name, in order */
export interface MatrixWarned<T = VectorMatrix> {
  readonly m: T;
  readonly warned: readonly string[];
}
/** a BUG_ON() hit: the kernel is dead, the matrix is no longer looked at */
export interface MatrixBug {
  readonly bug: string;
}
export const isMatrixBug = (r: VectorMatrix | MatrixBug): r is MatrixBug => 'bug' in r;

const putMap = (m: VectorMatrix, cpu: CpuId, cm: CpuMap): VectorMatrix => ({ ...m, maps: arrSet(m.maps, cpu, cm) });

/** matrix_alloc_area(): first free bit of the window not in system/managed/alloc maps */
function findFreeBit(m: VectorMatrix, cm: CpuMap): number {
  const taken = new Set<number>(m.systemMap);
  for (const b of cm.managedMap) taken.add(b);
  for (const b of cm.allocMap) taken.add(b);
  for (let bit = m.allocStart; bit < m.allocEnd; bit++) if (!taken.has(bit)) return bit;
  return -1;
}

/** find_first_bit(managed_map & ~alloc_map): the first reserved managed bit not allocated */
const firstFreeManaged = (cm: CpuMap): number | undefined => cm.managedMap.find((b) => !cm.allocMap.includes(b));

/** irq_matrix_online(): account this CPU's available vectors globally again; BUG_ON(cm->online) */
export function irqMatrixOnline(m: VectorMatrix, cpu: CpuId, wipe = false): VectorMatrix | MatrixBug {
  let cm = m.maps[cpu]!;
  if (cm.online) return { bug: 'irq_matrix_online' };
  // B02: before 651ca2c00405 every online zeroed alloc_map and allocated and recomputed available
  if (wipe)
    cm = {
      ...cm,
      allocMap: [],
      allocated: 0,
      available: u32(m.allocSize - (cm.managed + m.systembitsInalloc)),
      initialized: true,
    };
  if (!cm.initialized) {
    cm = { ...cm, available: u32(m.allocSize - (cm.managed + m.systembitsInalloc)), initialized: true };
  }
  cm = { ...cm, online: true };
  return {
    ...putMap(m, cpu, cm),
    globalAvailable: u32(m.globalAvailable + cm.available),
    onlineMaps: u32(m.onlineMaps + 1),
  };
}

/** irq_matrix_offline(): the CPU's bits stay (dormant allocations survive, fix 651ca2c00405) */
export function irqMatrixOffline(m: VectorMatrix, cpu: CpuId): VectorMatrix {
  const cm = m.maps[cpu]!;
  return {
    ...putMap(m, cpu, { ...cm, online: false }),
    globalAvailable: u32(m.globalAvailable - cm.available),
    onlineMaps: u32(m.onlineMaps - 1),
  };
}

/** irq_matrix_reserve(): a global reservation only - never fails, may overcommit (pr_warn only) */
export function irqMatrixReserve(m: VectorMatrix): VectorMatrix {
  return { ...m, globalReserved: u32(m.globalReserved + 1) };
}

/** irq_matrix_remove_reserved(): no check, an unbalanced call wraps global_reserved */
export function irqMatrixRemoveReserved(m: VectorMatrix): VectorMatrix {
  return { ...m, globalReserved: u32(m.globalReserved - 1) };
}

/**
 * irqMatrixReserveManaged() - reserve one managed bit on every CPU of @cpus, online or not
 * If one CPU has no free bit, the CPUs done so far are undone with irq_matrix_remove_managed(),
 * which drops the first managed bit that is not allocated, not necessarily the one just taken:
 * same counts, the bit numbers may move (the returned `m` is that matrix; I8 counts managed
 * reservations, it does not compare their bits). `drift`: the kernel adjusts available only
 * while the CPU is online (quirk matrix-offline-managed-available).
 * Kernel: kernel/irq/matrix.c irq_matrix_reserve_managed() (rollback via remove_managed since 2017)
 */
export function irqMatrixReserveManaged(
  m: VectorMatrix,
  cpus: readonly CpuId[],
  drift: boolean,
): { readonly m: VectorMatrix; readonly failed: boolean } {
  let out = m;
  const sorted = [...cpus].sort((a, b) => a - b); // for_each_cpu() walks the mask upwards
  for (const cpu of sorted) {
    const cm = out.maps[cpu]!;
    const bit = findFreeBit(out, cm);
    if (bit < 0) {
      const done = sorted.slice(0, sorted.indexOf(cpu));
      for (const c of done) out = irqMatrixRemoveManagedW(out, [c], drift).m;
      return { m: out, failed: true };
    }
    const next: CpuMap = {
      ...cm,
      managedMap: setAdd(cm.managedMap, bit),
      managed: u32(cm.managed + 1),
      available: cm.online || !drift ? u32(cm.available - 1) : cm.available,
    };
    out = {
      ...putMap(out, cpu, next),
      globalAvailable: cm.online ? u32(out.globalAvailable - 1) : out.globalAvailable,
    };
  }
  return { m: out, failed: false };
}

/** irq_matrix_remove_managed(): give back one managed bit that is not allocated, per CPU */
export function irqMatrixRemoveManagedW(m: VectorMatrix, cpus: readonly CpuId[], drift: boolean): MatrixWarned {
  let out = m;
  const warned: string[] = [];
  for (const cpu of [...cpus].sort((a, b) => a - b)) {
    const cm = out.maps[cpu]!;
    if (cm.managed === 0) {
      warned.push('irq_matrix_remove_managed'); // WARN_ON_ONCE(!cm->managed)
      continue;
    }
    const bit = firstFreeManaged(cm);
    if (bit === undefined) {
      warned.push('irq_matrix_remove_managed'); // WARN_ON_ONCE(bit >= end)
      continue;
    }
    const next: CpuMap = {
      ...cm,
      managedMap: setDel(cm.managedMap, bit),
      managed: u32(cm.managed - 1),
      available: cm.online || !drift ? u32(cm.available + 1) : cm.available,
    };
    out = {
      ...putMap(out, cpu, next),
      globalAvailable: cm.online ? u32(out.globalAvailable + 1) : out.globalAvailable,
    };
  }
  return { m: out, warned };
}

export const irqMatrixRemoveManaged = (m: VectorMatrix, cpus: readonly CpuId[], drift: boolean): VectorMatrix =>
  irqMatrixRemoveManagedW(m, cpus, drift).m;

/** matrix_find_best_cpu(): the online CPU of @cpus with the most available vectors (> 0, unsigned) */
export function matrixFindBestCpu(m: VectorMatrix, cpus: readonly CpuId[]): CpuId | null {
  let best: CpuId | null = null;
  let maxAvl = 0;
  for (const cpu of [...cpus].sort((a, b) => a - b)) {
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
  let min = UINT_MAX;
  for (const cpu of [...cpus].sort((a, b) => a - b)) {
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
 * null: -EINVAL for an empty mask, else -ENOSPC.
 * Kernel: kernel/irq/matrix.c irq_matrix_alloc()
 */
export function irqMatrixAlloc(
  m: VectorMatrix,
  cpus: readonly CpuId[],
  reserved: boolean,
): { m: VectorMatrix; cpu: CpuId; vector: number } | null {
  const cpu = matrixFindBestCpu(m, cpus);
  if (cpu === null) return null;
  const bit = findFreeBit(m, m.maps[cpu]!);
  if (bit < 0) return null;
  const out = takeBit(m, cpu, bit);
  return { m: reserved ? { ...out, globalReserved: u32(out.globalReserved - 1) } : out, cpu, vector: bit };
}

/** the accounting of a non-managed bit set in @cpu's alloc_map (irq_matrix_alloc(), irq_matrix_assign()) */
function takeBit(m: VectorMatrix, cpu: CpuId, bit: number): VectorMatrix {
  const cm = m.maps[cpu]!;
  const next: CpuMap = {
    ...cm,
    allocMap: setAdd(cm.allocMap, bit),
    allocated: u32(cm.allocated + 1),
    available: u32(cm.available - 1),
  };
  return {
    ...putMap(m, cpu, next),
    totalAllocated: u32(m.totalAllocated + 1),
    globalAvailable: u32(m.globalAvailable - 1),
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
  const bit = firstFreeManaged(cm);
  if (bit === undefined) return null;
  const next: CpuMap = {
    ...cm,
    allocMap: setAdd(cm.allocMap, bit),
    allocated: u32(cm.allocated + 1),
    managedAllocated: u32(cm.managedAllocated + 1),
  };
  return { m: { ...putMap(m, cpu, next), totalAllocated: u32(m.totalAllocated + 1) }, cpu, vector: bit };
}

/**
 * irqMatrixAssign() - mark a preallocated vector @bit allocated on this CPU (@cpu)
 * Kernel: kernel/irq/matrix.c irq_matrix_assign() (x86: lapic_assign_legacy_vector() callers)
 */
export function irqMatrixAssign(m: VectorMatrix, cpu: CpuId, bit: number): MatrixWarned {
  if (bit < m.allocStart || bit >= m.allocEnd) return { m, warned: ['irq_matrix_assign'] };
  if (m.maps[cpu]!.allocMap.includes(bit)) return { m, warned: ['irq_matrix_assign'] }; // test_and_set_bit()
  return { m: takeBit(m, cpu, bit), warned: [] };
}

/**
 * irqMatrixAssignSystem() - make @bit a system vector on every CPU; @replace takes it from this
 * CPU's (@cpu) allocation. Boot only: BUG_ON once more than one CPU is online, or with one online
 * and no @replace; BUG_ON if @replace finds the bit not allocated (after system_map was set).
 * Kernel: kernel/irq/matrix.c irq_matrix_assign_system()
 */
export function irqMatrixAssignSystem(
  m: VectorMatrix,
  cpu: CpuId,
  bit: number,
  replace: boolean,
): VectorMatrix | MatrixBug {
  if (bit > NR_VECTORS || m.onlineMaps > 1 || (m.onlineMaps !== 0 && !replace))
    return { bug: 'irq_matrix_assign_system' };
  let out: VectorMatrix = { ...m, systemMap: setAdd(m.systemMap, bit) };
  if (replace) {
    const cm = out.maps[cpu]!;
    if (!cm.allocMap.includes(bit)) return { bug: 'irq_matrix_assign_system' };
    out = {
      ...putMap(out, cpu, { ...cm, allocMap: setDel(cm.allocMap, bit), allocated: u32(cm.allocated - 1) }),
      totalAllocated: u32(out.totalAllocated - 1),
    };
  }
  if (bit >= m.allocStart && bit < m.allocEnd) out = { ...out, systembitsInalloc: u32(out.systembitsInalloc + 1) };
  return out;
}

/**
 * irqMatrixFreeW() - free @vector on @cpu
 * A free on an offline CPU does not decrement total_allocated (kernel quirk, counted in the
 * ghost counter offlineFrees so that the accounting invariant stays exact).
 * 6.x: WARN_ON_ONCE(!test_and_clear_bit()) and return (c93a5e20c3c2, 5.15); 5.10: clear_bit()
 * and the counters are decremented anyway (an unsigned wrap on a double free).
 * Kernel: kernel/irq/matrix.c irq_matrix_free()
 */
export function irqMatrixFreeW(
  m: VectorMatrix,
  cpu: CpuId,
  vector: number,
  managed: boolean,
  version: string,
): MatrixWarned {
  if (vector < m.allocStart || vector >= m.allocEnd) return { m, warned: ['irq_matrix_free'] };
  const cm = m.maps[cpu]!;
  if (version !== '5.10' && !cm.allocMap.includes(vector)) return { m, warned: ['irq_matrix_free'] };
  const next: CpuMap = {
    ...cm,
    allocMap: setDel(cm.allocMap, vector),
    allocated: u32(cm.allocated - 1),
    managedAllocated: managed ? u32(cm.managedAllocated - 1) : cm.managedAllocated,
    available: managed ? cm.available : u32(cm.available + 1),
  };
  const out: VectorMatrix = {
    ...putMap(m, cpu, next),
    totalAllocated: cm.online ? u32(m.totalAllocated - 1) : m.totalAllocated,
    offlineFrees: cm.online ? m.offlineFrees : m.offlineFrees + 1,
    globalAvailable: !managed && cm.online ? u32(m.globalAvailable + 1) : m.globalAvailable,
  };
  return { m: out, warned: [] };
}

export const irqMatrixFree = (m: VectorMatrix, cpu: CpuId, vector: number, managed: boolean, version: string) =>
  irqMatrixFreeW(m, cpu, vector, managed, version).m;

/**
 * irq_matrix_allocated(): vectors allocated on @cpu. Before a0b0bad10587 (v6.7; in 6.1.y and
 * 6.6.y stable) managed ones counted too; since, `allocated - managed_allocated` (unsigned).
 */
export const irqMatrixAllocated = (m: VectorMatrix, cpu: CpuId, excludeManaged: boolean): number =>
  excludeManaged ? u32(m.maps[cpu]!.allocated - m.maps[cpu]!.managedAllocated) : m.maps[cpu]!.allocated;

/** irq_matrix_available(m, cpudown): global available without @cpu's own (unsigned) */
export const irqMatrixAvailableWithout = (m: VectorMatrix, cpu: CpuId): number =>
  u32(m.globalAvailable - m.maps[cpu]!.available);

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
  for (let c = 0; c < cpus; c++) m = irqMatrixOnline(m, c) as VectorMatrix; // every CPU starts offline: no BUG
  return m;
}
