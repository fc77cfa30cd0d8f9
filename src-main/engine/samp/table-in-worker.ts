import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { workerBundle } from '../ingest/worker-bundle';
import type { TableJob, TableJobResult } from './table-job';

/**
 * Runs a table job in a worker thread. Built, the worker is sampTable.js beside the main
 * bundle (electron.vite.config.ts names it). From TypeScript sources (tsx, vitest) it is
 * table-worker.ts bundled once with esbuild and kept (ingest/worker-bundle.ts, which says
 * why); should that fail, the worker registers tsx and imports the source itself.
 */
export async function runTableJobInWorker(job: TableJob): Promise<TableJobResult> {
  let worker: Worker;
  try {
    worker = new Worker(await workerEntry(), { workerData: job });
  } catch (error) {
    return { ok: false, message: `the table writer did not start (${(error as Error).message})` };
  }
  return new Promise((resolve) => {
    let answered = false;
    worker.once('message', (result: TableJobResult) => {
      answered = true;
      resolve(result);
    });
    worker.once('error', (error) => {
      answered = true;
      resolve({ ok: false, message: error.message });
    });
    worker.once('exit', (code) => {
      if (!answered) resolve({ ok: false, message: `the table writer stopped (exit ${code})` });
    });
  });
}

async function workerEntry(): Promise<URL> {
  const here = import.meta.url;
  if (!here.endsWith('.ts')) return new URL('./sampTable.js', here);
  const code =
    (await workerBundle(new URL('./table-worker.ts', here)).catch(() => null)) ??
    tsxBootstrap(here);
  return new URL(`data:text/javascript,${encodeURIComponent(code)}`);
}

function tsxBootstrap(here: string): string {
  const tsxRoot = pathToFileURL(createRequire(here).resolve('tsx/package.json'));
  const register = new URL('./dist/esm/api/index.mjs', tsxRoot).href;
  const entry = new URL('./table-worker.ts', here).href;
  return (
    `import { register } from ${JSON.stringify(register)};\n` +
    `register();\n` +
    `await import(${JSON.stringify(entry)});\n`
  );
}
