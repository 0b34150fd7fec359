// Tests run against the machine's real PostgreSQL and Redis; see test/setup/global-setup.ts.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'client-sdk/test/**/*.test.ts'],
    globalSetup: ['test/setup/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Two cores: cluster tests spawn several server processes each.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
