/*
 * src/search/fingerprint.ts - a state's identity for exhaustive search: a 2x32-bit structural
 * hash of everything that decides what can happen next and what the invariants see
 *
 * Worlds share every part an operation did not touch, so the hash of each object is memoised
 * by identity: hashing a successor costs about what the operation changed. Left out: the
 * profile and configuration (fixed for a search), the id counters (a fresh id is only a label:
 * two states that differ only there behave the same), the names of removed domains (messages
 * only), the callers' memory of freed handles (random misuse only) and DSA capabilities (fixed).
 */
import type { World } from '../../models/world/types.ts';

type Hash = readonly [number, number];
const memo = new WeakMap<object, Hash>();

/** two independent 32-bit mixes (FNV-1a style with different primes/seeds) */
function mix(h: Hash, x: number): Hash {
  return [Math.imul(h[0] ^ x, 16777619) >>> 0, Math.imul((h[1] ^ x) + 0x9e3779b9, 2246822519) >>> 0];
}

function hashString(h: Hash, s: string): Hash {
  let out = mix(h, s.length);
  for (let i = 0; i < s.length; i++) out = mix(out, s.charCodeAt(i));
  return out;
}

const SKIP = new Set(['caps']);

function hashValue(v: unknown): Hash {
  switch (typeof v) {
    case 'number':
      return mix(mix([0x811c9dc5, 0x12345678], 1), Number.isInteger(v) ? v | 0 : Math.round(v * 1e6));
    case 'boolean':
      return mix([0x811c9dc5, 0x12345678], v ? 3 : 2);
    case 'string':
      return hashString([0x811c9dc5, 0x9abcdef0], v);
    case 'bigint':
      return hashString([0x811c9dc5, 0x0badf00d], v.toString());
    case 'undefined':
      return [5, 5];
    default:
      if (v === null) return [7, 7];
  }
  const o = v as object;
  const hit = memo.get(o);
  if (hit) return hit;
  let h: Hash = Array.isArray(o) ? [0x01000193, 0xcafebabe] : [0x811c9dc5, 0xdeadbeef];
  if (Array.isArray(o)) {
    h = mix(h, o.length);
    for (const x of o) {
      const c = hashValue(x);
      h = mix(mix(h, c[0]), c[1]);
    }
  } else {
    for (const k of Object.keys(o)) {
      if (SKIP.has(k)) continue;
      const val = (o as Record<string, unknown>)[k];
      if (val === undefined) continue;
      h = hashString(h, k);
      const c = hashValue(val);
      h = mix(mix(h, c[0]), c[1]);
    }
  }
  memo.set(o, h);
  return h;
}

/** the state's fingerprint: 16 hex digits */
export function fingerprint(w: World): string {
  const parts = [w.cpuOnline, w.matrix, w.domains, w.irqs, w.coreAllocs, w.descs, w.devices, w.units, w.dsa, w.mdevs, w.platformDevids, w.designDomains, w.defaultPciMsiDomain, w.freedWithAction];
  let h: Hash = [0x811c9dc5, 0x31415926];
  for (const p of parts) {
    const c = hashValue(p);
    h = mix(mix(h, c[0]), c[1]);
  }
  return h[0].toString(16).padStart(8, '0') + h[1].toString(16).padStart(8, '0');
}
