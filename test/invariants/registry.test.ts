/*
 * test/invariants/registry.test.ts - the registry is complete and every invariant has tests
 *
 * A new invariant fails here until one of the category test files names its id. A category's
 * tests live in `<category>.test.ts` and may continue in files whose dash-separated name has
 * the category as a word (dsa-leak-lifetime.test.ts belongs to leak and to lifetime).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { categories, invariantById, invariants, stateInvariants, stepInvariants } from '../../properties/index.ts';

/** the five categories that must be in use, each with its own test file */
const requiredCategories = ['leak', 'structure', 'lifetime', 'atomicity', 'affinity'] as const;

/** the invariant test files of this directory by basename (leak, structure, ...), this file excluded */
const dir = fileURLToPath(new URL('.', import.meta.url));
const sources: Record<string, string> = Object.fromEntries(
  readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts') && f !== 'registry.test.ts')
    .map((f) => [f.replace(/\.test\.ts$/, ''), readFileSync(`${dir}/${f}`, 'utf8')]),
);

/** the text of every test file of @category: `<category>.test.ts` and `*-<category>(-*).test.ts` */
const categorySource = (category: string): string | undefined => {
  const files = Object.keys(sources).filter((base) => base.split('-').includes(category));
  return files.length ? files.map((f) => sources[f]).join('\n') : undefined;
};

describe('invariant registry', () => {
  it('is not empty and every id is unique kebab-case', () => {
    expect(invariants.length).toBeGreaterThanOrEqual(21);
    const idList = invariants.map((i) => i.id);
    expect(new Set(idList).size).toBe(idList.length);
    for (const id of idList) expect(id).toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
  });

  it('every invariant has a known category, a spec reference, a statement, a kernel citation and a check', () => {
    for (const inv of invariants) {
      expect(categories, inv.id).toContain(inv.category);
      expect(inv.spec.trim(), `${inv.id} spec`).not.toBe('');
      expect(inv.statement.trim().length, `${inv.id} statement`).toBeGreaterThan(10);
      // a citation names a kernel source file (path/file.c or file.h)
      expect(inv.kernel, `${inv.id} kernel`).toMatch(/[a-z0-9_-]+\/[a-z0-9_/-]*\.[ch]\b|\b[a-z0-9_-]+\.[ch]\b|BUG_ON/);
      expect(['state', 'step'], inv.id).toContain(inv.scope);
      expect(typeof inv.check, inv.id).toBe('function');
    }
  });

  it('uses all five categories leak, structure, lifetime, atomicity, affinity', () => {
    const used = new Set(invariants.map((i) => i.category));
    for (const c of requiredCategories) expect(used, c).toContain(c);
    for (const c of requiredCategories) expect(Object.keys(sources), `${c}.test.ts`).toContain(c);
  });

  it('splits into state and step invariants, and invariantById finds each one', () => {
    expect(stateInvariants.length + stepInvariants.length).toBe(invariants.length);
    expect(stateInvariants.every((i) => i.scope === 'state')).toBe(true);
    expect(stepInvariants.every((i) => i.scope === 'step')).toBe(true);
    for (const inv of invariants) expect(invariantById(inv.id)).toBe(inv);
    expect(invariantById('no-such-invariant')).toBeUndefined();
  });

  it('every invariant id is named in the test file of its category', () => {
    const missing = invariants.filter((inv) => {
      const file = categorySource(inv.category);
      return file === undefined || !file.includes(`'${inv.id}'`);
    });
    expect(missing.map((i) => `${i.id} (${i.category})`)).toEqual([]);
  });

  it('every invariant id is named in at least one category test file', () => {
    const all = Object.values(sources).join('\n');
    const missing = invariants.filter((inv) => !all.includes(`'${inv.id}'`)).map((i) => i.id);
    expect(missing).toEqual([]);
  });
});
