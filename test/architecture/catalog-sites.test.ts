/*
 * test/architecture/catalog-sites.test.ts - every fault of models/faults/catalog.ts points at the
 * files and functions that hold its site, and every site is a catalog fault
 *
 * A fault's `model` names model files (`models/...ts`), each followed by the functions meant in
 * it (`name()`); parenthesised remarks may name more files. A site is a hasFault(<profile>,
 * 'Bnn') call in a model file, or the fault's overlay: a file of models/faults/ (not the catalog)
 * that names the id. The model tree is read at test time, so the test follows sites that move.
 * Checked: the named files exist and hold the named functions; every file holding a site of the
 * fault is named, with the top-level function around each site; every site's id is a catalog id;
 * the faults README's table has a row per fault and names only files its catalog entry names.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { faultCatalog, faultIds, isFaultId } from '../../models/faults/catalog.ts';

const root = join(import.meta.dirname, '..', '..');
const CATALOG = 'models/faults/catalog.ts';

/** every .ts file under models/, as repository-relative paths */
function modelFiles(dir = join(root, 'models')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return modelFiles(p);
    return e.name.endsWith('.ts') ? [relative(root, p)] : [];
  });
}

const read = (file: string): string => readFileSync(join(root, file), 'utf8');

/** the files a `model` string names, each with the functions that follow it */
function parseModel(model: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let file: string | null = null;
  for (const m of model.matchAll(/(models\/[\w./-]+\.ts)|\b([A-Za-z_$][\w$]*)\(\)/g)) {
    if (m[1]) {
      file = m[1];
      if (!out.has(file)) out.set(file, []);
    } else if (file !== null) out.get(file)!.push(m[2]!);
  }
  return out;
}

/** does @src define @name: a function, a const, or a method or property of an ops table? */
function defines(src: string, name: string): boolean {
  const n = name.replace(/\$/g, '\\$');
  return new RegExp(`function\\*?\\s+${n}\\s*[<(]|\\b(?:const|let|var)\\s+${n}\\b|^\\s+${n}\\s*[(:]`, 'm').test(src);
}

interface Site {
  readonly id: string;
  readonly file: string;
  readonly line: number;
  /** the top-level declaration around the site (null for an overlay file) */
  readonly within: string | null;
}

/** the name of the last top-level declaration starting at or before line @i of @lines */
function enclosing(lines: readonly string[], i: number): string | null {
  for (let j = i; j >= 0; j--) {
    const m = /^(?:export\s+)?(?:async\s+)?(?:function\*?\s+([\w$]+)|(?:const|let)\s+([\w$]+))/.exec(lines[j]!);
    if (m) return m[1] ?? m[2]!;
  }
  return null;
}

/** hasFault() calls (their literal ids) and overlays, in the files of @files */
function findSites(files: readonly { file: string; src: string }[]): { sites: Site[]; nonLiteral: string[] } {
  const sites: Site[] = [];
  const nonLiteral: string[] = [];
  for (const { file, src } of files) {
    if (file === CATALOG) continue;
    const lines = src.split('\n');
    if (file.startsWith('models/faults/')) {
      for (const id of new Set(src.match(/\bB\d\d\b/g) ?? [])) sites.push({ id, file, line: 0, within: null });
      continue;
    }
    lines.forEach((l, i) => {
      for (const m of l.matchAll(/\bhasFault\(([^)]*)\)/g)) {
        if (/^\s*p\s*:/.test(m[1]!)) continue; // its definition
        const id = /,\s*'([^']+)'\s*$/.exec(m[1]!)?.[1];
        if (id === undefined) nonLiteral.push(`${file}:${i + 1}: ${l.trim()}`);
        else sites.push({ id, file, line: i + 1, within: enclosing(lines, i) });
      }
    });
  }
  return { sites, nonLiteral };
}

describe('fault catalog and fault sites', () => {
  const files = modelFiles().map((file) => ({ file, src: read(file) }));
  const { sites, nonLiteral } = findSites(files);
  const entries = faultIds.map((id) => ({ id, named: parseModel(faultCatalog[id].model) }));

  it('the tree has sites to check (the test reads the right place)', () => {
    expect(files.length).toBeGreaterThan(30);
    expect(sites.length).toBeGreaterThanOrEqual(faultIds.length);
  });

  it('every file a catalog entry names exists and holds the functions named after it', () => {
    const problems: string[] = [];
    for (const { id, named } of entries) {
      if (named.size === 0) problems.push(`${id}: names no models/ file`);
      for (const [file, fns] of named) {
        if (!existsSync(join(root, file))) {
          problems.push(`${id}: ${file} does not exist`);
          continue;
        }
        const src = read(file);
        for (const fn of fns) if (!defines(src, fn)) problems.push(`${id}: ${file} defines no ${fn}()`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('every fault has a site in a file its entry names, and every file holding one of its sites is named, with the function around it', () => {
    const problems: string[] = [];
    for (const { id, named } of entries) {
      const mine = sites.filter((s) => s.id === id);
      if (mine.length === 0) problems.push(`${id}: no hasFault(..., '${id}') site and no overlay in models/faults/`);
      for (const s of mine) {
        const fns = named.get(s.file);
        if (fns === undefined)
          problems.push(`${id}: the site at ${s.file}:${s.line} is in a file the entry does not name`);
        else if (s.within !== null && !fns.includes(s.within))
          problems.push(
            `${id}: the site at ${s.file}:${s.line} is in ${s.within}(), which the entry does not name for that file`,
          );
      }
    }
    expect(problems).toEqual([]);
  });

  it('every site names a catalog fault, literally', () => {
    expect(sites.filter((s) => !isFaultId(s.id)).map((s) => `${s.file}:${s.line}: ${s.id}`)).toEqual([]);
    expect(nonLiteral).toEqual([]);
  });

  it("the faults README's table has a row per fault, naming only files of the fault's catalog entry", () => {
    const problems: string[] = [];
    const rows = new Set<string>();
    for (const row of read('models/faults/README.md').split('\n')) {
      const m = /^\| (B\d\d) \|[^|]*\| ([^|]*) \|/.exec(row);
      if (!m) continue;
      const id = m[1]!;
      rows.add(id);
      if (!isFaultId(id)) {
        problems.push(`${id}: in the README, not in the catalog`);
        continue;
      }
      const paths = [...parseModel(faultCatalog[id].model).keys()];
      for (const [, f] of m[2]!.matchAll(/`([\w./-]+\.ts)`/g)) {
        if (!paths.some((p) => p.endsWith(`/${f}`)))
          problems.push(`${id}: the README names ${f}, the catalog ${paths.join(', ')}`);
      }
    }
    for (const id of faultIds) if (!rows.has(id)) problems.push(`${id}: no row in the README`);
    expect(problems).toEqual([]);
  });
});

describe('the catalog checker', () => {
  it('reads files and their functions from a model string, remarks included', () => {
    const named = parseModel(
      'models/a/x.ts f(), g() (readers: models/b/y.ts); models/c/z.ts h() (Xen is not modelled: stands in)',
    );
    expect(Object.fromEntries(named)).toEqual({
      'models/a/x.ts': ['f', 'g'],
      'models/b/y.ts': [],
      'models/c/z.ts': ['h'],
    });
  });

  it('finds a site, the function around it and a non-literal call; an ops-table method counts as a definition', () => {
    const src = [
      "import { hasFault } from '../world/profile.ts';",
      'export function outer(w: World): World {',
      "  const inner = () => hasFault(w.profile, 'B99');",
      '  return hasFault(w.profile, id) ? w : inner();',
      '}',
      'export const ops = {',
      '  free(w: World) {',
      "    return hasFault(w.profile, 'B98');",
      '  },',
      '};',
    ].join('\n');
    const { sites, nonLiteral } = findSites([{ file: 'models/kernel/x.ts', src }]);
    expect(sites.map((s) => [s.id, s.line, s.within])).toEqual([
      ['B99', 3, 'outer'],
      ['B98', 8, 'ops'],
    ]);
    expect(nonLiteral).toHaveLength(1);
    expect(defines(src, 'free')).toBe(true);
    expect(defines(src, 'outer')).toBe(true);
    expect(defines(src, 'missing')).toBe(false);
  });

  it('an overlay file in models/faults/ is a site of every id it names', () => {
    const { sites } = findSites([
      { file: 'models/faults/overlays.ts', src: 'export const overlays = { B25: { slot: "free" } };' },
    ]);
    expect(sites).toEqual([{ id: 'B25', file: 'models/faults/overlays.ts', line: 0, within: null }]);
  });
});
