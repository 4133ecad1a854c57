/*
 * src/conformance/matrix-protocol.ts - one call of kernel/irq/matrix.c, as the C harness
 * (conformance/matrix/harness.c) reads it and as the model (models/kernel/irq/matrix.ts) runs it
 *
 * Both sides print the same line after every call: return value, mapped CPU, the WARN_ON_ONCE()s
 * and BUG_ON() hit (function names), the global counters, the system map, and per CPU: online and
 * initialized, available, allocated, managed, managed_allocated, irq_matrix_allocated(),
 * irq_matrix_available(cpudown) and the alloc and managed maps. A line is compared as a whole.
 */
import { match } from 'ts-pattern';
import {
  irqAllocMatrix,
  irqMatrixAlloc,
  irqMatrixAllocated,
  irqMatrixAllocManaged,
  irqMatrixAssign,
  irqMatrixAssignSystem,
  irqMatrixAvailableWithout,
  irqMatrixFreeW,
  irqMatrixOffline,
  irqMatrixOnline,
  irqMatrixRemoveManagedW,
  irqMatrixRemoveReserved,
  irqMatrixReserve,
  irqMatrixReserveManaged,
  isMatrixBug,
} from '../../models/kernel/irq/matrix.ts';
import type { VectorMatrix } from '../../models/world/types.ts';

export interface MatrixSetup {
  readonly cpus: number;
  readonly start: number;
  readonly end: number;
  readonly system: readonly number[];
}

/** a call; `mask` is a CPU bitmask (bit n = CPU n) */
export type MatrixCall =
  | { readonly op: 'online' | 'offline'; readonly cpu: number }
  | { readonly op: 'reserve' | 'remove_reserved' }
  | { readonly op: 'reserve_managed' | 'remove_managed' | 'alloc_managed'; readonly mask: number }
  | { readonly op: 'alloc'; readonly mask: number; readonly reserved: boolean }
  | { readonly op: 'free'; readonly cpu: number; readonly bit: number; readonly managed: boolean }
  | { readonly op: 'assign'; readonly cpu: number; readonly bit: number }
  | { readonly op: 'assign_system'; readonly cpu: number; readonly bit: number; readonly replace: boolean };

export interface MatrixSequence {
  readonly setup: MatrixSetup;
  readonly calls: readonly MatrixCall[];
}

/** how a kernel source differs in what the model is told (not in what it computes) */
export interface MatrixSourceTraits {
  /** irq_matrix_allocated() subtracts managed_allocated (a0b0bad10587: v6.7, 6.1.y, 6.6.y) */
  readonly allocatedExcludesManaged: boolean;
  /** model version string for irq_matrix_free(): '5.10' clears without testing the bit */
  readonly freeVersion: string;
}

const b = (x: boolean) => (x ? 1 : 0);

export const setupLine = (s: MatrixSetup): string =>
  `I ${s.cpus} 256 ${s.start} ${s.end} ${s.system.length}${s.system.map((v) => ` ${v}`).join('')}`;

export const callLine = (c: MatrixCall): string =>
  match(c)
    .with({ op: 'online' }, (x) => `N ${x.cpu}`)
    .with({ op: 'offline' }, (x) => `F ${x.cpu}`)
    .with({ op: 'reserve' }, () => 'R')
    .with({ op: 'remove_reserved' }, () => 'r')
    .with({ op: 'reserve_managed' }, (x) => `M ${x.mask}`)
    .with({ op: 'remove_managed' }, (x) => `m ${x.mask}`)
    .with({ op: 'alloc' }, (x) => `A ${x.mask} ${b(x.reserved)}`)
    .with({ op: 'alloc_managed' }, (x) => `a ${x.mask}`)
    .with({ op: 'free' }, (x) => `X ${x.cpu} ${x.bit} ${b(x.managed)}`)
    .with({ op: 'assign' }, (x) => `S ${x.cpu} ${x.bit}`)
    .with({ op: 'assign_system' }, (x) => `Y ${x.cpu} ${x.bit} ${b(x.replace)}`)
    .exhaustive();

/** the C harness's input for sequences, one line per call, setups included */
export const harnessInput = (seqs: readonly MatrixSequence[]): string =>
  `${seqs.map((s) => [setupLine(s.setup), ...s.calls.map(callLine)].join('\n')).join('\n')}\nQ\n`;

const cpusOf = (mask: number, n: number): number[] =>
  Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i));

export interface Step {
  readonly m: VectorMatrix;
  readonly ret: number;
  readonly cpu: number;
  readonly warned: readonly string[];
  readonly bug: string | null;
}

const EINVAL = -22;
const ENOSPC = -28;

export function applyCall(m: VectorMatrix, c: MatrixCall, n: number, t: MatrixSourceTraits): Step {
  const plain = (next: VectorMatrix, ret = 0): Step => ({ m: next, ret, cpu: -1, warned: [], bug: null });
  const alloc = (r: { m: VectorMatrix; cpu: number; vector: number } | null, mask: number): Step =>
    r ? { m: r.m, ret: r.vector, cpu: r.cpu, warned: [], bug: null } : plain(m, mask === 0 ? EINVAL : ENOSPC);
  return match(c)
    .with({ op: 'online' }, (x) => {
      const r = irqMatrixOnline(m, x.cpu);
      return isMatrixBug(r) ? { ...plain(m), bug: r.bug } : plain(r);
    })
    .with({ op: 'offline' }, (x) => plain(irqMatrixOffline(m, x.cpu)))
    .with({ op: 'reserve' }, () => plain(irqMatrixReserve(m)))
    .with({ op: 'remove_reserved' }, () => plain(irqMatrixRemoveReserved(m)))
    .with({ op: 'reserve_managed' }, (x) => {
      const r = irqMatrixReserveManaged(m, cpusOf(x.mask, n), true);
      return plain(r.m, r.failed ? ENOSPC : 0);
    })
    .with({ op: 'remove_managed' }, (x) => {
      const r = irqMatrixRemoveManagedW(m, cpusOf(x.mask, n), true);
      return { ...plain(r.m), warned: r.warned };
    })
    .with({ op: 'alloc' }, (x) => alloc(irqMatrixAlloc(m, cpusOf(x.mask, n), x.reserved), x.mask))
    .with({ op: 'alloc_managed' }, (x) => alloc(irqMatrixAllocManaged(m, cpusOf(x.mask, n)), x.mask))
    .with({ op: 'free' }, (x) => {
      const r = irqMatrixFreeW(m, x.cpu, x.bit, x.managed, t.freeVersion);
      return { ...plain(r.m), warned: r.warned };
    })
    .with({ op: 'assign' }, (x) => {
      const r = irqMatrixAssign(m, x.cpu, x.bit);
      return { ...plain(r.m), warned: r.warned };
    })
    .with({ op: 'assign_system' }, (x) => {
      const r = irqMatrixAssignSystem(m, x.cpu, x.bit, x.replace);
      return isMatrixBug(r) ? { ...plain(m), bug: r.bug } : plain(r);
    })
    .exhaustive();
}

const bits = (xs: readonly number[]): string => xs.join('.');

/** the harness's print_state() line for the model's matrix */
function stateLine(s: Step, t: MatrixSourceTraits): string {
  const { m } = s;
  const head = `${s.ret} ${s.cpu} ${s.warned.length ? s.warned.join(',') : '-'} ${s.bug ?? '-'}`;
  const globals = `${m.globalAvailable} ${m.globalReserved} ${m.totalAllocated} ${m.onlineMaps} ${m.systembitsInalloc}`;
  const cpus = m.maps.map(
    (cm, c) =>
      ` | ${b(cm.online)}${b(cm.initialized)} ${cm.available} ${cm.allocated} ${cm.managed} ${cm.managedAllocated} ` +
      `${irqMatrixAllocated(m, c, t.allocatedExcludesManaged)} ${irqMatrixAvailableWithout(m, c)} ` +
      `${bits(cm.allocMap)} ${bits(cm.managedMap)}`,
  );
  return `${head} | ${globals} |${bits(m.systemMap)}${cpus.join('')}`;
}

/** the model's lines for one sequence; a BUG ends it (the C harness's state is then not compared) */
export const bootMatrix = (s: MatrixSetup): VectorMatrix => irqAllocMatrix(s.cpus, s.start, s.end, s.system);

export function modelLines(seq: MatrixSequence, t: MatrixSourceTraits): string[] {
  const { cpus } = seq.setup;
  let m = bootMatrix(seq.setup);
  const lines = [stateLine({ m, ret: 0, cpu: -1, warned: [], bug: null }, t)];
  for (const c of seq.calls) {
    const s = applyCall(m, c, cpus, t);
    lines.push(stateLine(s, t));
    if (s.bug) break;
    m = s.m;
  }
  return lines;
}

/** the part of a line compared after a BUG: return, CPU, WARNs and the BUG itself */
export const headOf = (line: string): string => line.split(' | ')[0]!;

/** the inverse of setupLine/callLine: a sequence written in the harness's own input lines */
export function parseSequence(text: string): MatrixSequence {
  const [first, ...rest] = text.trim().split('\n');
  const n = (first ?? '').trim().split(/\s+/).slice(1).map(Number);
  const [cpus = 1, , start = 0, end = 0, nsys = 0] = n;
  const setup: MatrixSetup = { cpus, start, end, system: n.slice(5, 5 + nsys) };
  const calls = rest.map((l): MatrixCall => {
    const [op = '', a = 0, b2 = 0, c = 0] = l
      .trim()
      .split(/\s+/)
      .map((x, i) => (i === 0 ? x : Number(x))) as [string, number?, number?, number?];
    const byLetter: Record<string, MatrixCall> = {
      N: { op: 'online', cpu: a },
      F: { op: 'offline', cpu: a },
      R: { op: 'reserve' },
      r: { op: 'remove_reserved' },
      M: { op: 'reserve_managed', mask: a },
      m: { op: 'remove_managed', mask: a },
      A: { op: 'alloc', mask: a, reserved: b2 !== 0 },
      a: { op: 'alloc_managed', mask: a },
      X: { op: 'free', cpu: a, bit: b2, managed: c !== 0 },
      S: { op: 'assign', cpu: a, bit: b2 },
      Y: { op: 'assign_system', cpu: a, bit: b2, replace: c !== 0 },
    };
    const call = byLetter[op];
    if (!call) throw new Error(`unknown matrix call '${l}'`);
    return call;
  });
  return { setup, calls };
}
