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
    // One module graph per worker, not per file: importing src/ again for each of ~140 files cost
    // more than a third of the suite's time. Files leave no state behind (a test that fakes
    // timers, spies or changes process.env puts it back; these options make sure of the rest).
    isolate: false,
    restoreMocks: true,
    unstubEnvs: true,
    unstubGlobals: true,
    // Both cores: most files wait on PGlite or on child processes, not on this CPU alone.
    maxWorkers: 2,
  },
});
