// A quick renderer-only build for the browser tests and iteration (same output as the renderer
// part of electron.vite.config.ts): `npx vite build --config tests/e2e/renderer.vite.config.ts`.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('../../src-renderer/', import.meta.url));

export default defineConfig({
  root: here,
  base: './',
  plugins: [svelte({ configFile: resolve(here, '../svelte.config.js') })],
  build: {
    outDir: resolve(here, '../out/renderer'),
    emptyOutDir: true,
    rollupOptions: { input: { index: resolve(here, 'index.html') } },
  },
});
