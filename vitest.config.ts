import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'properties/**/*.test.ts'],
    setupFiles: ['./vitest.setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    coverage: {
      provider: 'v8',
      include: ['models/**/*.ts', 'src/**/*.ts', 'properties/**/*.ts'],
      exclude: ['**/*.test.ts'],
      reportsDirectory: 'reports/coverage',
    },
  },
});
