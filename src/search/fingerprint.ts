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
  platform: 'hash',
  nextHvIntDesc: { exclude: LABEL },
  nextVmdIrq: { exclude: LABEL },
  bootBug: 'hash',
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

/*
 * Two independent 32-bit mixes (FNV-1a style with different primes/seeds). The running pair is
 * kept in two number registers (ra, rb) rather than a fresh tuple per mixed word: a search
 * hashes every new object, and the tuples were most of its garbage. A string (a key or a
 * value) is hashed once on its own and its pair mixed in, so the keys a new object repeats
 * cost one lookup each instead of a pass over their characters.
 */
let ra = 0;
let rb = 0;

function mix(x: number): void {
  ra = Math.imul(ra ^ x, 16777619) >>> 0;
  rb = Math.imul((rb ^ x) + 0x9e3779b9, 2246822519) >>> 0;
}

function mixString(s: string): void {
  mix(s.length);
  for (let i = 0; i < s.length; i++) mix(s.charCodeAt(i));
}

/** the registers start at (a, b) and take in @s */
function startString(a: number, b: number, s: string): void {
  ra = a;
  rb = b;
  mixString(s);
}

/** the registers hold a child's hash: they become (a, b) with that hash mixed in */
function mixChild(a: number, b: number): void {
  const c0 = ra;
  const c1 = rb;
  ra = a;
  rb = b;
  mix(c0);
  mix(c1);
}

/** the strings of a world are few (keys, names): each one's hash is kept */
const stringMemo = new Map<string, Hash>();
const STRING_MEMO_MAX = 1 << 16;

function stringHash(s: string): Hash {
  let h = stringMemo.get(s);
  if (h === undefined) {
    startString(0x811c9dc5, 0x9abcdef0, s);
    h = [ra, rb];
    if (stringMemo.size >= STRING_MEMO_MAX) stringMemo.clear();
    stringMemo.set(s, h);
  }
  return h;
}

/** (a, b) with key @k and the hash of its value @v mixed in, into the registers */
function mixEntry(a: number, b: number, k: string, v: unknown): void {
  hashValue(v);
  const v0 = ra;
  const v1 = rb;
  const kh = stringHash(k);
  ra = a;
  rb = b;
  mix(kh[0]);
  mix(kh[1]);
  mix(v0);
  mix(v1);
}

/** @v's hash into the registers */
function hashValue(v: unknown): void {
  switch (typeof v) {
    case 'number':
      // int32 directly; anything else by its exact text (no rounding, no truncation)
      if (v === (v | 0) && !Object.is(v, -0)) {
        ra = 0x811c9dc5;
        rb = 0x12345678;
        mix(v);
      } else startString(0x811c9dc5, 0x5eed0001, String(v));
      return;
    case 'boolean':
      ra = 0x811c9dc5;
      rb = 0x12345678 ^ 0xb001;
      mix(v ? 3 : 2);
      return;
    case 'string': {
      const h = stringHash(v);
      ra = h[0];
      rb = h[1];
      return;
    }
    case 'bigint':
      startString(0x811c9dc5, 0x0badf00d, v.toString());
      return;
    case 'undefined':
      ra = 5;
      rb = 5;
      return;
    case 'object':
      break;
    default:
      // a function or symbol in a world would be hashed by nothing: refuse rather than merge
      throw new Error(`fingerprint: cannot hash a ${typeof v}`);
  }
  if (v === null) {
    ra = 7;
    rb = 7;
    return;
  }
  const o = v as object;
  const hit = memo.get(o);
  if (hit) {
    ra = hit[0];
    rb = hit[1];
    return;
  }
  // this object's running pair lives in locals while its children use the registers
  let a: number;
  let b: number;
  if (Array.isArray(o)) {
    ra = 0x01000193;
    rb = 0xcafebabe;
    mix(o.length);
    a = ra;
    b = rb;
    // index by index: a hole hashes as undefined
    for (let i = 0; i < o.length; i++) {
      hashValue(o[i]);
      mixChild(a, b);
      a = ra;
      b = rb;
    }
  } else {
    const proto = Object.getPrototypeOf(o);
    // a Map, Set or class instance keeps its state out of Object.keys(): refuse rather than merge
    if (proto !== Object.prototype && proto !== null)
      throw new Error(`fingerprint: cannot hash a ${proto?.constructor?.name ?? 'non-plain object'}`);
    a = 0x811c9dc5;
    b = 0xdeadbeef;
    // every own key, one holding undefined included (it is told apart from an absent one)
    for (const k of Object.keys(o)) {
      mixEntry(a, b, k, (o as Record<string, unknown>)[k]);
      a = ra;
      b = rb;
    }
  }
  memo.set(o, [a, b]);
  ra = a;
  rb = b;
}
/** the state's fingerprint: 16 hex digits */
export function fingerprint(w: World): string {
  const hit = worldMemo.get(w);
  if (hit !== undefined) return hit;
  const r = w as unknown as Record<string, unknown>;
  let a = 0x811c9dc5;
  let b = 0x31415926;
  // top level: an absent optional field and one holding undefined are the same state
  for (const k of hashed) {
    mixEntry(a, b, k, r[k]);
    a = ra;
    b = rb;
  }
  // a field the decisions do not know (added without a decision): hashed, never dropped
  for (const k of Object.keys(r)) {
    if (decided.has(k)) continue;
    mixEntry(a, b, k, r[k]);
    a = ra;
    b = rb;
  }
  const out = a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
  worldMemo.set(w, out);
  return out;
}

/** the World keys that have no fingerprint decision (a test keeps this empty) */
export function undecidedKeys(w: World): string[] {
  return Object.keys(w).filter((k) => !decided.has(k));
}
