import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { workerBundle } from '../ingest/worker-bundle';
import type { FrameCutoutJob, FrameCutoutResult } from './frame-cutout-job';
import type { TableJob, TableJobResult } from './table-job';

/** What the SAMP worker does: write a table, or cut a cutout again from its frame. */
export type SampJob = ({ kind: 'table' } & TableJob) | ({ kind: 'frame-cutout' } & FrameCutoutJob);

/** Builds and writes a table in a worker thread (table-job.ts). */
export function runTableJobInWorker(job: TableJob): Promise<TableJobResult> {
  return runInWorker<TableJobResult>({ kind: 'table', ...job }, (why) => ({
    ok: false,
    message: `the table writer ${why}`,
  }));
}

/** Reads a cutout's frame (its WCS and pixels) in a worker thread (frame-cutout-job.ts). */
export function readFrameCutoutInWorker(job: FrameCutoutJob): Promise<FrameCutoutResult> {
  return runInWorker<FrameCutoutResult>({ kind: 'frame-cutout', ...job }, (why) => ({
    wcs: { keywords: null, why: `the frame reader ${why}` },
    original: { why: `the frame reader ${why}` },
  }));
}

/**
 * Runs a job in a worker thread. Built, the worker is sampTable.js beside the main bundle
 * (electron.vite.config.ts names it). From TypeScript sources (tsx, vitest) it is
 * table-worker.ts bundled once with esbuild and kept (ingest/worker-bundle.ts, which says
 * why); should that fail, the worker registers tsx and imports the source itself.
 */
async function runInWorker<R>(job: SampJob, failed: (why: string) => R): Promise<R> {
  let worker: Worker;
  try {
    worker = new Worker(await workerEntry(), { workerData: job });
  } catch (error) {
    return failed(`did not start (${(error as Error).message})`);
  }
  return new Promise((resolve) => {
    let answered = false;
    worker.once('message', (result: R) => {
      answered = true;
      resolve(result);
    });
    worker.once('error', (error) => {
      answered = true;
      resolve(failed(`failed (${error.message})`));
    });
    worker.once('exit', (code) => {
      if (!answered) resolve(failed(`stopped (exit ${code})`));
    });
  });
}

let entry: Promise<URL> | null = null;

/** The worker's code, found (or bundled and encoded) once per process, not once per send. */
function workerEntry(): Promise<URL> {
  entry ??= findWorkerEntry().catch((error: unknown) => {
    entry = null;
    throw error;
  });
  return entry;
}

async function findWorkerEntry(): Promise<URL> {
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
