import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

// Three bundles: the Electron main process (engine + doors), the preload bridge, and the
// Svelte renderer. The renderer build is also what the local server serves to a browser.
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        // Worker threads are entries of their own, next to index.js where their spawners look:
        // the model's (learn/worker/learner.ts → entry.js), ingestion's (→ worker.js) and
        // the SAMP table writer's (samp/table-in-worker.ts → sampTable.js).
        input: {
          index: resolve('src-main/electron/main.ts'),
          entry: resolve('src-main/engine/learn/worker/entry.ts'),
          worker: resolve('src-main/engine/ingest/worker.ts'),
          sampTable: resolve('src-main/engine/samp/table-worker.ts'),
        },
        // Native and wasm-carrying packages are loaded from node_modules at run time.
        external: ['better-sqlite3', 'sharp', 'onnxruntime-node', /^@tensorflow\//],
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        // The window's bridge, and the hidden GPU window's port hand-over (gpu-window.ts).
        input: {
          index: resolve('src-main/electron/preload.ts'),
          gpu: resolve('src-main/electron/gpu-preload.ts'),
        },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src-renderer',
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('src-renderer/index.html') } },
    },
  },
});
