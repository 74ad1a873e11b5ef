import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds the migrated PGlite template once, before the workers start (test/helpers/test-db.ts).
    globalSetup: ['test/setup/pglite-template.ts'],
    env: { TZ: 'UTC' },
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Both cores: most files wait on PGlite or on child processes, not on this CPU alone.
    maxWorkers: 2,
  },
});
