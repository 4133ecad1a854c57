/*
 * src/cli/args.ts - option values as the command line takes them: plain decimal integers inside
 * documented ceilings, lists that may not be empty, output places checked before any work
 * starts. A bad value is one line and exit 2 (the caller's fail() makes the error).
 */
import { accessSync, constants, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export type Fail = (message: string) => Error;

/** the largest values a run accepts: beyond them a run would not end, or not fit in memory */
export const ceilings = {
  runs: 1_000_000,
  steps: 10_000,
  seed: 2 ** 31 - 1,
  seeds: 1_000,
  depth: 64,
  states: 100_000_000,
} as const;

/** a plain decimal integer in [min, max]: no hex, exponent, sign, fraction or spaces */
export const int =
  (name: string, min: number, max: number, fail: Fail) =>
  (v: string): number => {
    const n = /^\d+$/.test(v) ? Number(v) : Number.NaN;
    if (!Number.isSafeInteger(n) || n < min) throw fail(`${name} must be a whole number >= ${min}, got '${v}'`);
    if (n > max) throw fail(`${name} must be at most ${max}, got '${v}'`);
    return n;
  };

/** comma-separated words, accumulated over repeated options; an empty list is an error */
export const list =
  (name: string, fail: Fail) =>
  (v: string, prev: string[] = []): string[] => {
    const words = v
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean);
    if (!words.length) throw fail(`${name} needs at least one name, got '${v}'`);
    return [...prev, ...words];
  };

/**
 * a directory we can write into (made if missing); checked before a campaign starts. Made one
 * level at a time: Node's recursive mkdir loops forever under /proc.
 */
export function writableDir(name: string, dir: string, fail: Fail): void {
  try {
    const missing: string[] = [];
    let at = resolve(dir);
    while (!existsSync(at)) {
      missing.unshift(at);
      at = dirname(at);
    }
    for (const d of missing) mkdirSync(d);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw fail(
      `${name} ${dir}: not a writable directory (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
}

/** a file we can create: its directory is writable and the path is not a directory */
export function writableFile(name: string, file: string, fail: Fail): void {
  writableDir(name, dirname(file), fail);
  try {
    if (statSync(file).isDirectory()) throw fail(`${name} ${file}: is a directory`);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
