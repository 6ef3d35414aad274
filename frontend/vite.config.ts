import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const frontendDirectory = fileURLToPath(new URL('.', import.meta.url));

/**
 * The static site. Served under a strict Content-Security-Policy (`default-src 'self'`), so the build must not
 * produce inline scripts, inline styles or data: URLs for assets. Build: `vite build --config frontend/vite.config.ts`.
 */
export default defineConfig({
  root: frontendDirectory,
  base: '/',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsInlineLimit: 0,
    // Every browser we support has native modulepreload; the polyfill would only add bytes.
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
});
