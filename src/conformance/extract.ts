/*
 * src/conformance/extract.ts - copy named C functions, unmodified, out of a kernel source file
 *
 * For code that cannot be compiled as a whole in user space (drivers/iommu/intel/irq_remapping.c
 * needs most of the kernel's headers), the harness compiles only the functions it drives: each is
 * taken from its declaration (with the specifier lines above it, e.g. "static __always_inline")
 * to its closing brace, byte for byte.
 */
import { readFileSync } from 'node:fs';

/** the text of function @name in the C file @path; throws when it is not there */
export function extractFunction(path: string, name: string): string {
  const lines = readFileSync(path, 'utf8').split('\n');
  const head = new RegExp(`^[A-Za-z_].*\\b${name}\\s*\\(`);
  const at = lines.findIndex((l, i) => head.test(l) && !l.trimEnd().endsWith(';') && opensBody(lines, i));
  if (at < 0) throw new Error(`${path}: no definition of ${name}()`);
  let from = at;
  // specifiers on the lines above ("static __always_inline"), up to a blank line or a comment end
  while (from > 0 && /^[a-z_][a-z_ ]*$/.test(lines[from - 1]!)) from--;
  let depth = 0;
  let seen = false;
  for (let i = at; i < lines.length; i++) {
    for (const ch of lines[i]!) {
      if (ch === '{') depth++, (seen = true);
      else if (ch === '}') depth--;
    }
    if (seen && depth === 0) return `${lines.slice(from, i + 1).join('\n')}\n`;
  }
  throw new Error(`${path}: ${name}() has no end`);
}

/** does the declaration starting at line @i have a body (a '{' before any ';')? */
function opensBody(lines: readonly string[], i: number): boolean {
  for (let j = i; j < Math.min(lines.length, i + 8); j++) {
    const l = lines[j]!;
    if (l.includes('{')) return true;
    if (l.trimEnd().endsWith(';')) return false;
  }
  return false;
}
