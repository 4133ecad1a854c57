/*
 * src/report/html/layout.ts - the page shell every report page shares: one static file, its
 * style inline, no script and no network (it opens from disk)
 */
import { escapeHtml } from './escape.ts';

const STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto; max-width: 1400px; padding: 0 1em; color: #202124; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #dadce0; }
table { border-collapse: collapse; margin: .5em 0; } th, td { border: 1px solid #dadce0; padding: .2em .5em; text-align: left; vertical-align: top; }
th { background: #f1f3f4; } td:first-child { white-space: nowrap; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.holds { color: #137333; } td.violated { background: #fce8e6; } td.violated a { color: #a50e0e; font-weight: 600; }
code, pre, .call { font-family: ui-monospace, monospace; font-size: 12.5px; }
.diff { color: #5f6368; font-family: ui-monospace, monospace; font-size: 12px; white-space: pre-wrap; }
.msg { color: #a50e0e; font-weight: 600; } .why { color: #5f6368; }
.diagram { overflow-x: auto; border: 1px solid #dadce0; margin: .5em 0 1.5em; padding: .5em; }
.diagram svg { max-width: 100%; height: auto; }
ul.reasons li { color: #a50e0e; } nav a { margin-right: 1em; }
`;

/** page() - a complete HTML document; @title is escaped here, @body must already be HTML */
export function page(title: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // no script, no remote resource: the page must stay inert whatever text a design brings
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** a table from escaped header cells and rows of already-built HTML cells */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = header.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  return `<table>\n<thead><tr>${th}</tr></thead>\n<tbody>\n${rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n')}\n</tbody>\n</table>`;
}

/** a text cell (escaped) */
export const td = (text: string | number, cls?: string): string =>
  `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(String(text))}</td>`;
