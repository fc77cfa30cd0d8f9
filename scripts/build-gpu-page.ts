/**
 * Builds the GPU page (src-main/engine/learn/gpu-page/page-entry.ts) into one script and an
 * HTML file that loads it: out/gpu-page/ for the desktop app (npm run build), or a folder a
 * test names. esbuild, because the page is a plain script with no Svelte or CSS, and the
 * bundle must not go through electron-vite's renderer build (its root is the window's app).
 */
import { build } from 'esbuild';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

const HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>AHUNT GPU trainer</title>
    <script src="trainer.js"></script>
  </head>
  <body></body>
</html>
`;

/** Writes index.html and trainer.js into `outDir`; returns the path of index.html. */
export async function buildGpuPage(outDir = join(repoRoot, 'out/gpu-page')): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: [join(repoRoot, 'src-main/engine/learn/gpu-page/page-entry.ts')],
    outfile: join(outDir, 'trainer.js'),
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'chrome120',
    minify: true,
    logLevel: 'warning',
  });
  const html = join(outDir, 'index.html');
  writeFileSync(html, HTML);
  return html;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildGpuPage(process.argv[2]);
}
