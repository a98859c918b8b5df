import { defineConfig } from 'vitest/config';

// Fault tests start whole stacks as processes and kill them: long timeouts, one file at a time.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    // expect.poll's own default (1 s) is a timing assertion in disguise: a loaded machine renders a page slower than that.
    expect: { poll: { timeout: 30_000, interval: 100 } },
  },
});
