import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** the regression corpus is scheduled first: a bug found once is checked before anything else */
class CorpusFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const first = (f: TestSpecification) => (f.moduleId.endsWith('properties/corpus.test.ts') ? 0 : 1);
    return [...sorted].sort((a, b) => first(a) - first(b));
  }
}

/**
 * The long campaigns and the CLI end-to-end runs (whole campaigns in child processes): `npm run
 * test:long` runs them, `npm run test:all` runs everything (CI), `npm test` the rest, within
 * about two minutes on 2 cores. Per-file durations: scripts/test-durations.mjs.
 */
const long = [
  'test/fidelity/totality.test.ts',
  'test/engine/designs.test.ts',
  'test/engine/cli.test.ts',
  'test/engine/bench-cli.test.ts',
  'properties/quirks.property.test.ts',
  'properties/legal-caller-6.2.property.test.ts',
  'properties/legal-caller-5.10.property.test.ts',
  'properties/dsa-any-caller.property.test.ts',
];
const all = ['test/**/*.test.ts', 'properties/**/*.test.ts'];
const which = process.env.IRQCHECK_TESTS ?? 'quick';
if (!['quick', 'long', 'all'].includes(which)) throw new Error(`IRQCHECK_TESTS=${which}: expected quick, long or all`);

export default defineConfig({
  test: {
    include: which === 'long' ? long : all,
    exclude: which === 'quick' ? ['**/node_modules/**', ...long] : ['**/node_modules/**'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    sequence: { sequencer: CorpusFirst },
  },
});
