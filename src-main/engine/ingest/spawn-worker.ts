import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { workerBundle } from './worker-bundle';

/**
 * Starts decoding workers. From built JavaScript the worker is `worker.js` beside this file
 * (the desktop build must emit it as its own entry). From TypeScript sources (tsx, vitest)
 * a worker cannot load worker.ts by itself: on Node 20, `execArgv: ['--import', 'tsx']`
 * does NOT reach a worker's entry module (ERR_UNKNOWN_FILE_EXTENSION, checked on 20.20).
 * So the worker code is bundled with esbuild (tsx's own compiler) into
 * one ES module that workers start from a data: URL — half the CPU of starting tsx in every
 * thread — and kept between runs (see workerBundle). Should esbuild be unavailable, each
 * worker registers tsx and imports worker.ts.
 */
export async function spawnDecodeWorkers(count: number): Promise<Worker[]> {
  const here = import.meta.url;
  let entry: URL;
  if (!here.endsWith('.ts')) entry = new URL('./worker.js', here);
  else {
    const code =
      (await workerBundle(new URL('./worker.ts', here)).catch(() => null)) ?? tsxBootstrap(here);
    entry = new URL(`data:text/javascript,${encodeURIComponent(code)}`);
  }
  return Array.from({ length: count }, () => new Worker(entry));
}

function tsxBootstrap(here: string): string {
  const require = createRequire(here);
  const tsxRoot = pathToFileURL(require.resolve('tsx/package.json'));
  const register = new URL('./dist/esm/api/index.mjs', tsxRoot).href;
  const entry = new URL('./worker.ts', here).href;
  return (
    `import { register } from ${JSON.stringify(register)};\n` +
    `register();\n` +
    `await import(${JSON.stringify(entry)});\n`
  );
}
