/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

// In production the gateway serves dist/, /ws and /api on one origin; in dev we proxy to it.
const gateway = 'http://127.0.0.1:5173';

export default defineConfig({
  plugins: [solid()],
  server: {
    port: 5174,
    strictPort: true,
    proxy: {
      '/api': { target: gateway, changeOrigin: true },
      '/ws': { target: gateway, ws: true, changeOrigin: true },
    },
  },
  build: { outDir: 'dist', target: 'es2022', sourcemap: true },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
