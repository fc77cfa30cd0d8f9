import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TableJob, TableJobResult } from './table-job';

/**
 * Runs a table job in a worker thread. Built, the worker is sampTable.js beside the main
 * bundle (electron.vite.config.ts names it); from TypeScript sources (tsx, vitest) a tiny
 * evaluated bootstrap registers tsx in the worker and imports table-worker.ts, as the
 * model's worker does (learn/worker/replica.ts says why).
 */
export function runTableJobInWorker(job: TableJob): Promise<TableJobResult> {
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = startWorker(job);
    } catch (error) {
      resolve({
        ok: false,
        message: `the table writer did not start (${(error as Error).message})`,
      });
      return;
    }
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

function startWorker(job: TableJob): Worker {
  const self = fileURLToPath(import.meta.url);
  if (!self.endsWith('.ts'))
    return new Worker(new URL('./sampTable.js', import.meta.url), { workerData: job });
  const require = createRequire(import.meta.url);
  const tsxPackage = require.resolve('tsx/package.json');
  const manifest = require(tsxPackage) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const apiPath = manifest.exports['./esm/api']?.import?.default;
  if (apiPath === undefined) throw new Error('the installed tsx has no ESM API to load TypeScript');
  const api = pathToFileURL(path.join(path.dirname(tsxPackage), apiPath)).href;
  const entry = new URL('./table-worker.ts', import.meta.url).href;
  const bootstrap =
    `import(${JSON.stringify(api)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true, workerData: job });
}
