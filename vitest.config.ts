import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores: keep parallelism modest so PGlite and spawned CLIs do not starve each other.
    maxWorkers: 2,
  },
});
