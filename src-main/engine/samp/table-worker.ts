/** Worker thread entry: one table job (see table-job.ts), its result posted back. */
import { parentPort, workerData } from 'node:worker_threads';
import { runTableJob, type TableJob, type TableJobResult } from './table-job';

let result: TableJobResult;
try {
  result = runTableJob(workerData as TableJob);
} catch (error) {
  result = { ok: false, message: (error as Error).message ?? String(error) };
}
parentPort!.postMessage(result);
