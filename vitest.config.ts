import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous on purpose: a shared 2-core machine can be loaded many times over, and a test must
    // fail on a wrong result, never because the machine was busy.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Two cores: keep parallelism modest so PGlite and spawned CLIs do not starve each other.
    maxWorkers: 2,
  },
});
