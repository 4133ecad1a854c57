/*
 * src/search/fingerprint.ts - a state's identity for exhaustive search: a 2x32-bit structural
 * hash of the whole World, less the fields declared below not to decide the future
 *
 * Sound by construction: every field of World has a decision (the mapped type makes a new
 * field without one a compile error, test/engine/fingerprint.test.ts a test failure), and a key
 * found at run time without a decision is hashed. Below the top level everything is hashed.
 * Worlds share every part an operation did not touch, so the hash of each object is memoised
 * by identity: hashing a successor costs about what the operation changed.
 */
import type { World } from '../../models/world/types.ts';

export type FingerprintDecision = 'hash' | { readonly exclude: string };

const LABEL =
  'id counter: the next fresh id is only a label; states differing only here have the same futures up to renaming the ids allocated later';
const FIXED = 'fixed for a search: every state of one search shares the booted value';

/** what the fingerprint does with each World field; leaving a field out needs a reason */
export const fingerprintDecisions: { readonly [K in keyof Required<World>]: FingerprintDecision } = {
  profile: { exclude: FIXED },
  design: { exclude: FIXED },
  designDomains: 'hash',
  config: { exclude: FIXED },
  cpuOnline: 'hash',
  matrix: 'hash',
  domains: 'hash',
  nextDomainId: { exclude: LABEL },
  domainNames: { exclude: 'names of removed domains: read only to word messages, never to decide a step or a verdict' },
  vectorDomain: 'hash',
  defaultPciMsiDomain: 'hash',
  irqs: 'hash',
  coreAllocs: 'hash',
  nextCoreAlloc: { exclude: LABEL },
  descs: 'hash',
  nextDescId: { exclude: LABEL },
  devices: 'hash',
  nextDevId: { exclude: LABEL },
  units: 'hash',
  dsa: 'hash',
  mdevs: 'hash',
  nextMdevId: { exclude: LABEL },
  platformDevids: 'hash',
  recentFrees: {
    exclude:
      "stale handles: only a misusing caller ('any' mode op-specs) reads them; the explore alphabet builds every call in 'legal' mode and step() only appends",
  },
  freedWithAction: 'hash',
  fwnodes: 'hash',
  nextFwnode: { exclude: LABEL },
  ioapics: 'hash',
  bootBug: 'hash',
  dmarMsiDomain: 'hash',
  hvChildren: 'hash',
  hvIntDescs: 'hash',
  nextHvIntDesc: { exclude: LABEL },
  its: 'hash',
  vmd: 'hash',
  vmdIrqs: 'hash',
  nextVmdIrq: { exclude: LABEL },
  crash: 'hash',
  kernelWarn: { exclude: 'ghost: cleared by step() before the world is kept' },
  inflight: 'hash',
  nextTask: { exclude: LABEL },
  lineIrqs: 'hash',
};

const excluded = new Set(Object.entries(fingerprintDecisions).flatMap(([k, d]) => (d === 'hash' ? [] : [k])));
/** the hashed fields in a fixed order, so the order a world's keys were spread in does not matter */
const hashed = Object.keys(fingerprintDecisions).filter((k) => !excluded.has(k));
const decided = new Set(Object.keys(fingerprintDecisions));

type Hash = readonly [number, number];
const memo = new WeakMap<object, Hash>();
const worldMemo = new WeakMap<World, string>();

/** two independent 32-bit mixes (FNV-1a style with different primes/seeds) */
function mix(h: Hash, x: number): Hash {
  return [Math.imul(h[0] ^ x, 16777619) >>> 0, Math.imul((h[1] ^ x) + 0x9e3779b9, 2246822519) >>> 0];
}

function hashString(h: Hash, s: string): Hash {
  let out = mix(h, s.length);
  for (let i = 0; i < s.length; i++) out = mix(out, s.charCodeAt(i));
  return out;
}

const mixIn = (h: Hash, c: Hash): Hash => mix(mix(h, c[0]), c[1]);

function hashValue(v: unknown): Hash {
  switch (typeof v) {
    case 'number':
      // int32 directly; anything else by its exact text (no rounding, no truncation)
      return v === (v | 0) && !Object.is(v, -0)
        ? mix([0x811c9dc5, 0x12345678], v)
        : hashString([0x811c9dc5, 0x5eed0001], String(v));
    case 'boolean':
      return mix([0x811c9dc5, 0x12345678 ^ 0xb001], v ? 3 : 2);
    case 'string':
      return hashString([0x811c9dc5, 0x9abcdef0], v);
    case 'bigint':
      return hashString([0x811c9dc5, 0x0badf00d], v.toString());
    case 'undefined':
      return [5, 5];
    case 'object':
      break;
    default:
      // a function or symbol in a world would be hashed by nothing: refuse rather than merge
      throw new Error(`fingerprint: cannot hash a ${typeof v}`);
  }
  if (v === null) return [7, 7];
  const o = v as object;
  const hit = memo.get(o);
  if (hit) return hit;
  let h: Hash;
  if (Array.isArray(o)) {
    h = mix([0x01000193, 0xcafebabe], o.length);
    // index by index: a hole hashes as undefined
    for (let i = 0; i < o.length; i++) h = mixIn(h, hashValue(o[i]));
  } else {
    const proto = Object.getPrototypeOf(o);
    // a Map, Set or class instance keeps its state out of Object.keys(): refuse rather than merge
    if (proto !== Object.prototype && proto !== null)
      throw new Error(`fingerprint: cannot hash a ${proto?.constructor?.name ?? 'non-plain object'}`);
    h = [0x811c9dc5, 0xdeadbeef];
    // every own key, one holding undefined included (it is told apart from an absent one)
    for (const k of Object.keys(o)) h = mixIn(hashString(h, k), hashValue((o as Record<string, unknown>)[k]));
  }
  memo.set(o, h);
  return h;
}

/** the state's fingerprint: 16 hex digits */
export function fingerprint(w: World): string {
  const hit = worldMemo.get(w);
  if (hit !== undefined) return hit;
  const r = w as unknown as Record<string, unknown>;
  let h: Hash = [0x811c9dc5, 0x31415926];
  // top level: an absent optional field and one holding undefined are the same state
  for (const k of hashed) h = mixIn(hashString(h, k), hashValue(r[k]));
  // a field the decisions do not know (added without a decision): hashed, never dropped
  for (const k of Object.keys(r)) if (!decided.has(k)) h = mixIn(hashString(h, k), hashValue(r[k]));
  const out = h[0].toString(16).padStart(8, '0') + h[1].toString(16).padStart(8, '0');
  worldMemo.set(w, out);
  return out;
}

/** the World keys that have no fingerprint decision (a test keeps this empty) */
export function undecidedKeys(w: World): string[] {
  return Object.keys(w).filter((k) => !decided.has(k));
}
