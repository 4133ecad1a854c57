/*
 * models/world/util.ts - immutable updates of the small collections the world is made of
 */

/** ascending number set: insert */
export function setAdd(s: readonly number[], x: number): readonly number[] {
  let i = 0;
  while (i < s.length && s[i]! < x) i++;
  if (s[i] === x) return s;
  return [...s.slice(0, i), x, ...s.slice(i)];
}

/** ascending number set: remove */
export function setDel(s: readonly number[], x: number): readonly number[] {
  const i = s.indexOf(x);
  return i < 0 ? s : [...s.slice(0, i), ...s.slice(i + 1)];
}

export const setHas = (s: readonly number[], x: number): boolean => s.includes(x);

export function arrSet<T>(a: readonly T[], i: number, v: T): readonly T[] {
  const c = a.slice();
  c[i] = v;
  return c;
}

/**
 * recPut()/recDel() - a copy of an id-keyed table with one entry set or removed
 * A table may be a plain object or a sparse array (the hot ones: virqs, descs), which copies
 * much faster; both read the same way (t[id], `id in t`, Object.values skips holes).
 */
export function recPut<T>(r: Readonly<Record<number, T>>, k: number, v: T): Readonly<Record<number, T>> {
  if (Array.isArray(r)) {
    const c = r.slice();
    c[k] = v;
    return c as unknown as Record<number, T>;
  }
  return { ...r, [k]: v };
}

export function recDel<T>(r: Readonly<Record<number, T>>, k: number): Readonly<Record<number, T>> {
  if (!(k in r)) return r;
  if (Array.isArray(r)) {
    const c = r.slice();
    delete c[k];
    // no trailing holes: equal tables then have equal lengths (and equal JSON)
    while (c.length > 0 && !(c.length - 1 in c)) c.length--;
    return c as unknown as Record<number, T>;
  }
  const c = { ...r };
  delete (c as Record<number, T>)[k];
  return c;
}

/** an empty id-keyed table backed by a sparse array */
export const sparseTable = <T>(): Readonly<Record<number, T>> => [] as unknown as Record<number, T>;

export const recValues = <T>(r: Readonly<Record<number, T>>): T[] => Object.values(r) as T[];

export const sameSet = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));

export const intersect = (a: readonly number[], b: readonly number[]): number[] => a.filter((x) => b.includes(x));

export const range = (start: number, n: number): number[] => Array.from({ length: n }, (_, i) => start + i);
