/*
 * src/conformance/matrix-sequences.ts - seeded call sequences for the vector matrix
 *
 * Three kinds, as the callers of kernel/irq/matrix.c could make them:
 *   well-formed: arch/x86/kernel/apic/vector.c's discipline - free only what was allocated, with
 *                its own managed flag; consume a reservation at most once; remove a managed
 *                reservation only when it is not allocated; online only an offline CPU.
 *   hotplug:     well-formed, with CPUs going down and up between most calls (dormant vectors
 *                freed on an offline CPU, managed reservations made while it is down).
 *   misuse:      any call with any arguments: double and stale frees, wrong managed flag,
 *                unbalanced removes, online twice (BUG_ON), assign_system at run time.
 * A well-formed caller frees what it was given: the model answers the allocations while the
 * sequence is made (where the kernel answers otherwise, that step is the divergence).
 * The window is small (2-10 vectors) so that exhaustion and the -ENOSPC paths come quickly.
 */
import {
  applyCall,
  bootMatrix,
  type MatrixCall,
  type MatrixSequence,
  type MatrixSetup,
  type MatrixSourceTraits,
} from './matrix-protocol.ts';
import { prng } from './prng.ts';

export type SequenceKind = 'well-formed' | 'hotplug' | 'misuse';
export const sequenceKinds: readonly SequenceKind[] = ['well-formed', 'hotplug', 'misuse'];

interface Held {
  readonly cpu: number;
  readonly bit: number;
  readonly managed: boolean;
}

export function matrixSequence(kind: SequenceKind, seed: number, traits: MatrixSourceTraits): MatrixSequence {
  const rnd = prng(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const cpus = 1 + int(4);
  const start = 32;
  const end = start + 2 + int(9);
  const system = [...new Set(Array.from({ length: int(3) }, () => start - 2 + int(end - start + 4)))];
  const setup: MatrixSetup = { cpus, start, end, system };
  const allMask = (1 << cpus) - 1;
  const anyMask = () => int(allMask + 1); // may be empty
  const someMask = () => 1 + int(allMask); // never empty
  const online = Array.from({ length: cpus }, () => true);
  const held: Held[] = [];
  const managedIrqs: { mask: number; alloc: Held | null }[] = []; // managed reservations
  let m = bootMatrix(setup);
  let reservations = 0;
  const calls: MatrixCall[] = [];
  const length = 5 + int(kind === 'misuse' ? 30 : 45);
  const hotplugWeight = kind === 'hotplug' ? 0.35 : kind === 'well-formed' ? 0.06 : 0;

  const hotplug = (): MatrixCall | null => {
    const up = online.flatMap((o, c) => (o ? [c] : []));
    const down = online.flatMap((o, c) => (o ? [] : [c]));
    if (down.length && (rnd() < 0.5 || up.length <= 1)) {
      const cpu = pick(down);
      online[cpu] = true;
      return { op: 'online', cpu };
    }
    if (up.length <= 1) return null;
    const cpu = pick(up);
    online[cpu] = false;
    return { op: 'offline', cpu };
  };

  const wellFormed = (): MatrixCall | null => {
    const r = int(9);
    if (r === 0) return (reservations++, { op: 'reserve' });
    if (r === 1 && reservations > 0) return (reservations--, { op: 'remove_reserved' });
    if (r === 2 || r === 3) {
      const reserved = reservations > 0 && rnd() < 0.6;
      if (reserved) reservations--;
      return { op: 'alloc', mask: someMask(), reserved };
    }
    if (r === 4) {
      const mask = someMask();
      managedIrqs.push({ mask, alloc: null });
      return { op: 'reserve_managed', mask };
    }
    const idle = managedIrqs.filter((x) => !x.alloc);
    if (r === 5 && idle.length) return { op: 'alloc_managed', mask: pick(idle).mask };
    if (r === 6 && idle.length) {
      const x = pick(idle);
      managedIrqs.splice(managedIrqs.indexOf(x), 1);
      return { op: 'remove_managed', mask: x.mask };
    }
    if ((r === 7 || r === 8) && held.length) {
      const i = int(held.length);
      const h = held[i]!;
      held.splice(i, 1);
      const owner = managedIrqs.find((x) => x.alloc === h);
      if (owner) owner.alloc = null;
      return { op: 'free', cpu: h.cpu, bit: h.bit, managed: h.managed };
    }
    return null;
  };

  const misuse = (): MatrixCall => {
    const cpu = int(cpus);
    const bit = start - 2 + int(end - start + 4);
    return pick<() => MatrixCall>([
      () => ({ op: 'online', cpu }),
      () => ({ op: 'offline', cpu }),
      () => ({ op: 'reserve' }),
      () => ({ op: 'remove_reserved' }),
      () => ({ op: 'reserve_managed', mask: anyMask() }),
      () => ({ op: 'remove_managed', mask: anyMask() }),
      () => ({ op: 'alloc', mask: anyMask(), reserved: rnd() < 0.5 }),
      () => ({ op: 'alloc', mask: anyMask(), reserved: rnd() < 0.5 }),
      () => ({ op: 'alloc_managed', mask: anyMask() }),
      () => ({ op: 'free', cpu, bit, managed: rnd() < 0.5 }),
      () => (held.length ? { op: 'free', ...pick(held) } : { op: 'free', cpu, bit, managed: false }),
      () => ({ op: 'assign', cpu, bit }),
      () => ({ op: 'assign_system', cpu, bit, replace: rnd() < 0.5 }),
    ])();
  };

  while (calls.length < length) {
    const c = kind === 'misuse' ? misuse() : rnd() < hotplugWeight ? hotplug() : wellFormed();
    if (!c) continue;
    calls.push(c);
    const step = applyCall(m, c, cpus, traits);
    if (step.bug) break;
    m = step.m;
    if (step.ret < 0) {
      if (c.op === 'reserve_managed') managedIrqs.pop(); // -ENOSPC: nothing reserved
      if (c.op === 'alloc' && c.reserved) reservations++; // not consumed
    }
    if (step.ret < 0 || step.cpu < 0) continue;
    const h: Held = { cpu: step.cpu, bit: step.ret, managed: c.op === 'alloc_managed' };
    held.push(h);
    if (c.op === 'alloc_managed') {
      // the managed irq of that mask that was idle now owns the vector
      const owner = managedIrqs.find((x) => !x.alloc && x.mask === c.mask);
      if (owner) owner.alloc = h;
    }
  }
  return { setup, calls };
}
