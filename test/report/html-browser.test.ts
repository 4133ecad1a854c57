/*
 * The HTML report in a real headless browser (Debian's chromium through playwright-core; never a
 * browser download): compare writes the same pages for the same seed, the index and every page
 * it links to load without console errors, links resolve, counterexample pages carry the SVG
 * with the fault in red, and text from a hostile design file and bench.json stays text.
 *
 * Chromium missing is a failure with the fix in the message, not a skip: CI installs it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HOSTILE = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(2)</script>';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/irqcheck.js', ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** a user design whose every free-text field is markup */
const hostileDesign = (dir: string): string => {
  const path = join(dir, 'hostile-design.ts');
  writeFileSync(
    path,
    `export default (k) => ({ ...k.designs.rfcV2DevMsi, name: 'hostile-rfc', summary: ${JSON.stringify(HOSTILE)}, description: ${JSON.stringify(SCRIPT)}, assumptions: [${JSON.stringify(`"quoted" & ${HOSTILE}`)}] });\n`,
  );
  return path;
};

const bench = {
  engines: [{ engine: SCRIPT, detectionRate: 0.75, medianMsToDetect: 12.5, shortestShare: 0.5 }],
  faults: [{ id: HOSTILE, hash: 'abc123', results: [{ engine: 'random', detected: true }] }],
};

/** every file under @dir, relative, sorted */
const filesUnder = (dir: string, base = dir): string[] =>
  readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory() ? filesUnder(join(dir, e.name), base) : [join(dir, e.name).slice(base.length + 1)],
    )
    .sort();

describe('the HTML report', () => {
  const root = mkdtempSync(join(tmpdir(), 'irqcheck-html-'));
  const [a, b] = [join(root, 'a'), join(root, 'b')];
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `no browser at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH; the browser tests never download one`,
      );
    const design = hostileDesign(root);
    for (const out of [a, b]) {
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'bench.json'), JSON.stringify(bench));
      const r = cli('compare', '--runs', '12', '--seed', '1', '--design', design, '--out', out);
      if (r.code !== 0) throw new Error(`compare failed (${r.code}): ${r.err}`);
    }
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  });
  afterAll(async () => browser?.close());

  /** open @file; collect console errors, page errors and dialogs */
  async function open(file: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(`console: ${m.text()}`)));
    page.on('pageerror', (e) => void problems.push(`pageerror: ${e.message}`));
    page.on('dialog', (d) => void (problems.push(`dialog: ${d.message()}`), d.dismiss()));
    page.on('requestfailed', (r) => void problems.push(`request failed: ${r.url()}`));
    const res = await page.goto(pathToFileURL(file).href);
    expect(res?.ok() ?? true, file).toBe(true);
    return { page, problems };
  }

  it('same seed, byte-identical pages', () => {
    const fa = filesUnder(join(a, 'html'));
    expect(fa.length).toBeGreaterThan(2);
    expect(filesUnder(join(b, 'html'))).toEqual(fa);
    for (const f of ['index.html', ...fa.map((x) => join('html', x))])
      expect(readFileSync(join(b, f), 'utf8'), f).toBe(readFileSync(join(a, f), 'utf8'));
  });

  it('the index loads with no console error, shows the matrix, the bench and the coverage; every link resolves', async () => {
    const { page, problems } = await open(join(a, 'index.html'));
    expect(await page.locator('h2#verdicts + p + table tbody tr').count()).toBeGreaterThan(20);
    expect(await page.locator('#bench').count()).toBe(1);
    expect(await page.locator('#coverage').count()).toBe(1);
    const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((x) => (x as HTMLAnchorElement).href));
    const pages = new Set<string>();
    for (const href of hrefs) {
      const u = new URL(href);
      expect(u.protocol, href).toBe('file:');
      const path = fileURLToPath(u);
      expect(existsSync(path), href).toBe(true);
      if (path.endsWith('.html')) pages.add(path);
      if (u.hash) {
        const target = await open(path);
        expect(await target.page.locator(`[id="${decodeURIComponent(u.hash.slice(1))}"]`).count(), href).toBe(1);
        await target.page.close();
      }
    }
    // violations link to counterexample pages; the healthy hierarchies are linked too
    const violated = await page.locator('td.violated a').count();
    expect(violated).toBeGreaterThan(0);
    expect([...pages].some((p) => p.endsWith('hierarchies.html'))).toBe(true);
    mkdirSync('reports', { recursive: true });
    await page.screenshot({ path: 'reports/screenshot-index.png', fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('every counterexample page: the trace table, two SVG diagrams, something red, working links', async () => {
    const dir = join(a, 'html');
    const ce = readdirSync(dir)
      .filter((f) => f !== 'hierarchies.html')
      .sort();
    expect(ce.length).toBeGreaterThan(0);
    for (const f of ce) {
      const { page, problems } = await open(join(dir, f));
      expect(await page.locator('table tbody tr').count(), f).toBeGreaterThan(0);
      expect(await page.locator('.diagram svg').count(), f).toBe(2);
      expect(await page.locator('.diagram svg [stroke="#d00000"]').count(), f).toBeGreaterThan(0);
      for (const href of await page
        .locator('a[href]')
        .evaluateAll((as) => as.map((x) => (x as HTMLAnchorElement).href)))
        expect(existsSync(fileURLToPath(new URL(href))), href).toBe(true);
      if (f === ce[0]) await page.screenshot({ path: 'reports/screenshot-counterexample.png', fullPage: true });
      expect(problems, f).toEqual([]);
      await page.close();
    }
  });

  it('the healthy hierarchies page has one diagram per design, none with red', async () => {
    const { page, problems } = await open(join(a, 'html', 'hierarchies.html'));
    expect(await page.locator('.diagram svg').count()).toBe(5);
    expect(await page.locator('.diagram svg [stroke="#d00000"]').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('markup from a design file and from bench.json is shown as text: no element, no script, no dialog', async () => {
    for (const file of [
      join(a, 'index.html'),
      join(a, 'html', 'hierarchies.html'),
      ...readdirSync(join(a, 'html'))
        .filter((f) => f.startsWith('hostile-rfc'))
        .map((f) => join(a, 'html', f)),
    ]) {
      const { page, problems } = await open(file);
      expect(await page.locator('img').count(), file).toBe(0);
      expect(await page.locator('script').count(), file).toBe(0);
      if (file.endsWith('index.html')) {
        // biome-ignore lint/performance/useDomNodeTextContent: the text a reader sees is the point
        const text = await page.locator('body').innerText();
        expect(text).toContain(HOSTILE);
        expect(text).toContain(SCRIPT);
        expect(text).toContain(`"quoted" & ${HOSTILE}`);
      }
      expect(problems, file).toEqual([]);
      await page.close();
    }
    expect(readdirSync(join(a, 'html')).some((f) => f.startsWith('hostile-rfc'))).toBe(true);
  });

  it('compare --kernel-model: an index and a page per counterexample, every relative link resolving (no healthy hierarchies: no design)', () => {
    const out = join(root, 'km');
    const r = cli(
      'compare',
      '--kernel-model',
      '--runs',
      '3',
      '--steps',
      '20',
      '--only',
      'lifetime,isolation',
      '--out',
      out,
    );
    expect(r.code).toBe(0);
    const pages = ['index.html', ...readdirSync(join(out, 'html')).map((f) => join('html', f))];
    expect(pages.length).toBeGreaterThan(1);
    expect(pages).not.toContain(join('html', 'hierarchies.html'));
    for (const p of pages) {
      const html = readFileSync(join(out, p), 'utf8');
      for (const [, href] of html.matchAll(/href="([^"#]+)/g))
        expect(existsSync(join(out, p, '..', href!)), `${p}: ${href}`).toBe(true);
    }
  });

  it('a design file whose name is markup is refused: one line, exit 2', () => {
    const path = join(root, 'named.ts');
    writeFileSync(path, `export default (k) => ({ ...k.designs.rfcV2DevMsi, name: ${JSON.stringify(HOSTILE)} });\n`);
    const r = cli('compare', '--runs', '1', '--design', path, '--out', join(root, 'c'));
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toContain('kebab-case');
  });
});
