/** Worker thread entry: one SAMP job (a table to write, a cutout's frame to read), its result posted back. */
import { parentPort, workerData } from 'node:worker_threads';
import { runFrameCutoutJob } from './frame-cutout-job';
import type { SampJob } from './table-in-worker';
import { runTableJob } from './table-job';

const job = workerData as SampJob;
// No top-level await: the built worker must load whatever module format the bundle uses.
void (async () => (job.kind === 'frame-cutout' ? runFrameCutoutJob(job) : runTableJob(job)))()
  .catch((error: unknown) => {
    const message = (error as Error).message ?? String(error);
    return job.kind === 'frame-cutout'
      ? { wcs: { keywords: null, why: message }, original: { why: message } }
      : { ok: false, message };
  })
  .then((result) => parentPort!.postMessage(result));
