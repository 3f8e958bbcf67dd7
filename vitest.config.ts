import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // argon2 and real databases: keep parallelism to the two cores of the CI machine.
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    pool: 'forks',
    reporters: ['default', './test/helpers/summary-reporter.ts'],
  },
});
