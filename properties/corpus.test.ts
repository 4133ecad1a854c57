/*
 * properties/corpus.test.ts - the regression corpus replayed: every counterexample a campaign
 * ever found (properties/corpus/*.json) must still break its invariant, and every one a fix
 * made pass (properties/corpus/fixed/*.json) must keep passing. When a fix lands, the failing
 * names below are the counterexamples it fixed: move them to fixed/.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { replayCounterexample } from '../src/run/replay.ts';
import { DEFAULT_CORPUS } from '../src/report/corpus.ts';

const files = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(dir, f))
    : [];
const open = files(DEFAULT_CORPUS);
const fixed = files(join(DEFAULT_CORPUS, 'fixed'));

describe('regression corpus', () => {
  it('holds the counterexamples of the committed campaigns', () => {
    expect(open.length).toBeGreaterThan(0);
  });

  it.each(open)('%s still breaks its invariant', async (path) => {
    const r = await replayCounterexample(readFileSync(path, 'utf8'), path);
    expect(
      r.stillFails,
      `${path} no longer breaks ${r.file.invariant}: fixed? move it to ${DEFAULT_CORPUS}/fixed/`,
    ).toBe(true);
  });

  it.each(fixed.length ? fixed : ['(none)'])('%s stays fixed', async (path) => {
    if (path === '(none)') return;
    const r = await replayCounterexample(readFileSync(path, 'utf8'), path);
    expect(r.stillFails, `${path} breaks ${r.file.invariant} again`).toBe(false);
  });
});
