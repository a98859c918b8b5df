import { defineConfig } from 'vitest/config';

// Property tests run thousands of random files through the reader and the encoders: seconds of CPU each, more on a
// busy machine. A test that hangs still fails, after half a minute instead of vitest's 5 s.
export default defineConfig({
  test: {
    testTimeout: 30_000,
  },
});
