/*
 * src/report/corpus.ts - the regression corpus: every counterexample a campaign finds is kept
 * (properties/corpus/), named by its content, so a found bug is never lost; `npm test` replays
 * them all (properties/corpus.test.ts). A counterexample that a fix made pass moves to fixed/,
 * where it must keep passing.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { createHash } from 'node:crypto';
import type { CounterexampleFile } from './counterexample.ts';

export const DEFAULT_CORPUS = 'properties/corpus';

/** keep @file in the corpus under @dir; returns its path, or null if it cannot replay from here */
export function saveToCorpus(dir: string, file: CounterexampleFile): string | null {
  // a user's design file outside this working tree would not be there when the tests run
  if (file.designFile && (isAbsolute(file.designFile) || relative('.', file.designFile).startsWith('..'))) return null;
  const text = `${JSON.stringify(file, null, 2)}\n`;
  const id = createHash('sha256').update(JSON.stringify(file.steps)).digest('hex').slice(0, 10);
  const name = `${file.design}-${file.kernel}-${file.mode}-${file.invariant}-${id}.json`;
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  if (!existsSync(path) && !existsSync(join(dir, 'fixed', name))) writeFileSync(path, text);
  return path;
}
