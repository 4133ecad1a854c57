/*
 * models/kernel/util.ts - immutable updates of the small collections the world is made of
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

export function recPut<T>(r: Readonly<Record<number, T>>, k: number, v: T): Readonly<Record<number, T>> {
  return { ...r, [k]: v };
}

export function recDel<T>(r: Readonly<Record<number, T>>, k: number): Readonly<Record<number, T>> {
  if (!(k in r)) return r;
  const c = { ...r };
  delete (c as Record<number, T>)[k];
  return c;
}

export const recValues = <T>(r: Readonly<Record<number, T>>): T[] => Object.values(r) as T[];

export const sameSet = (a: readonly number[], b: readonly number[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));

export const intersect = (a: readonly number[], b: readonly number[]): number[] => a.filter((x) => b.includes(x));

export const range = (start: number, n: number): number[] => Array.from({ length: n }, (_, i) => start + i);
