import { join } from 'node:path';
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
    // Two pages: the portal (index.html) and the clinic administrators' pages (admin.html), each with its own
    // bundle, so the contacts' page carries none of the admin code. Shared modules become shared chunks.
    rolldownOptions: {
      input: {
        portal: join(frontendDirectory, 'index.html'),
        admin: join(frontendDirectory, 'admin.html'),
      },
      // What both pages use (the API client, the DOM helpers, the QR code, the stylesheet) is one chunk, `shared`.
      output: { codeSplitting: { groups: [{ name: 'shared', minShareCount: 2 }] } },
    },
  },
});
