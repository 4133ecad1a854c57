/*
 * The README tells the truth: it opens with the two commands, and every sample output it shows
 * (a fenced block right after `<!-- sample: FILE -->`) is, byte for byte, what the tool printed
 * into FILE when scripts/reference-reports.sh last made the committed reports.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';

const readme = readFileSync('README.md', 'utf8');

/** each sample marker with the fenced block after it */
const samples = [...readme.matchAll(/<!-- sample: (\S+) -->\n```[a-z]*\n([\s\S]*?)```/g)].map((m) => ({
  file: m[1]!,
  shown: m[2]!,
}));

describe('README', () => {
  it('starts with the two commands', () => {
    const block = /```\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(block).toMatch(/^npm install && npm start\b/m);
    expect(block).toMatch(/^npm install && npm test\b/m);
    expect(readme.indexOf(block)).toBeLessThan(200);
  });

  it('shows at least two samples of real output', () => {
    expect(samples.length).toBeGreaterThanOrEqual(2);
  });

  it.each(samples.map((s) => [s.file, s] as const))('the sample of %s is what the tool printed', (file, s) => {
    expect(existsSync(file), `${file} is missing: run npm run reports:reference`).toBe(true);
    expect(s.shown).toBe(readFileSync(file, 'utf8'));
  });
});
