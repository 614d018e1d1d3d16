import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Spawned commands run the compiled build: build it from the current sources first.
    globalSetup: ['test/support/build.ts'],
    // No test may depend on the speed of a shared 2-core machine: time-outs only catch a test that
    // hangs, and leave room for a machine many times slower than usual.
    testTimeout: 600_000,
    hookTimeout: 600_000,
    // Two cores: keep parallelism modest so PGlite and spawned CLIs do not starve each other.
    maxWorkers: 2,
  },
});
