/*
 * Escaping: text from a design file or a trace cannot become markup in a page, syntax in a DOT
 * graph, or a path outside the report directory.
 */
import { describe, expect, it } from 'vitest';
import { escapeDot, escapeHtml, safeFileName } from '../../src/report/html/escape.ts';
import { renderSvg } from '../../src/report/html/svg.ts';

const HOSTILE = `<img src=x onerror=alert(1)> & "quoted" 'single'`;

describe('escapeHtml', () => {
  it('turns every markup character into an entity, and nothing else', () => {
    expect(escapeHtml(HOSTILE)).toBe('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot; &#39;single&#39;');
    expect(escapeHtml('INTEL-IR-DEV-MSI-1 0000:6f:01.0')).toBe('INTEL-IR-DEV-MSI-1 0000:6f:01.0');
    // already escaped text is escaped again (shown as typed, not decoded)
    expect(escapeHtml('&lt;')).toBe('&amp;lt;');
  });
});

describe('escapeDot', () => {
  it('keeps a label inside its quotes: quotes and backslashes escaped, newlines as \\n', () => {
    expect(escapeDot('a"b')).toBe('a\\"b');
    expect(escapeDot('a\\"; x -> y; "')).toBe('a\\\\\\"; x -> y; \\"');
    expect(escapeDot('two\nlines')).toBe('two\\nlines');
  });

  it('a hostile label renders as text: one node, no edge injected, no element from the label in the SVG', async () => {
    const label = `${HOSTILE}"]; evil -> pwned; x [label="\\N`;
    const svg = await renderSvg(`digraph { a [label="${escapeDot(label)}"]; }`);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).not.toContain('<img');
    expect(svg).not.toContain('pwned</title>');
    expect(svg.match(/class="node"/g)).toHaveLength(1);
    expect(svg.match(/class="edge"/g)).toBeNull();
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('safeFileName', () => {
  it('keeps safe names, and maps unsafe ones to distinct safe names', () => {
    expect(safeFileName('rfc-v2-dev-msi-5.10-workload-correct-ir-unit')).toBe(
      'rfc-v2-dev-msi-5.10-workload-correct-ir-unit',
    );
    const a = safeFileName('../../etc/passwd');
    const b = safeFileName('__.._etc_passwd');
    expect(a).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(a).not.toContain('/');
    expect(a).not.toBe(b);
    expect(safeFileName('../../etc/passwd')).toBe(a);
  });
});
