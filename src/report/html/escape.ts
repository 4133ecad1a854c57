/*
 * src/report/html/escape.ts - every string from a design or a trace passes through here before
 * it reaches an HTML page or a DOT graph (design files are user code: their summary, description
 * and assumptions are arbitrary text)
 */

const HTML: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** escapeHtml() - text safe in element content and in quoted attribute values */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML[c]!);

/**
 * escapeDot() - a DOT quoted string ("..."): backslash and quote escaped, newlines as \n
 * A backslash is doubled so Graphviz's own escapes (\N, \G, \l) cannot be injected; Graphviz
 * XML-escapes label text when it writes SVG.
 */
export const escapeDot = (s: string): string =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r?\n/g, '\\n')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this replaces
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');

/** a file name safe on any file system and in a relative URL, the same for the same input */
export function safeFileName(s: string): string {
  const safe = s.replace(/[^A-Za-z0-9._-]/g, '_');
  if (safe === s) return s;
  // different unsafe names must not collide: suffix a short FNV-1a hash of the original
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return `${safe}-${h.toString(16).padStart(8, '0')}`;
}
