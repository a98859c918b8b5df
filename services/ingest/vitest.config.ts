import { defineConfig } from 'vitest/config';

// Sign-in tests hash and check passwords with scrypt (32 MiB, on purpose slow): a loaded machine needs more than the
// 5 s default for a test that signs in a dozen times. This is a limit on hanging, not a speed assertion.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
