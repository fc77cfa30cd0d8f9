import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread with its own SQLite connection, from plain JavaScript `source`
 * (no build entry, no TypeScript loader). The source finds better-sqlite3 at
 * `workerData.driver`, resolved here through this module's own resolution, so it works the
 * same under tsx, vitest and the desktop build. Used for the work that must not hold up the
 * thread answering the keyboard: checkpoints and backups.
 */
export function startSqliteWorker(source: string, workerData: Record<string, unknown>): Worker {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Worker(source, { eval: true, workerData: { ...workerData, driver } });
}
