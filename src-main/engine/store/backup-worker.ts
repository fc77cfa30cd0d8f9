import type { Db } from './open';
import { startSqliteWorker } from './sqlite-worker';

/** How the worker says the copy it made failed SQLite's page check. */
export const DAMAGED_COPY = 'the copy fails its page check: ';

/**
 * Copies a database file with SQLite's online backup on a worker thread, through a second,
 * read-only connection.
 *
 * On the calling thread, better-sqlite3's `db.backup` copies 100 pages per event-loop turn,
 * but its last step commits the copy with an fsync of the whole file: measured ≈ 90 ms for
 * an 87 MB project here, and it grows with the project. On a worker the thread that answers
 * keystrokes never waits. All pages are copied in one step, inside one read transaction, so
 * the copy is one consistent snapshot even while labels are being written (WAL lets the
 * writer carry on); a step-by-step copy would start over after every such write.
 */
const WORKER_SOURCE = `
const DAMAGED = ${JSON.stringify(DAMAGED_COPY)};
const { parentPort, workerData } = require('node:worker_threads');
let db = null;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.source, { readonly: true, fileMustExist: true });
  db.backup(workerData.target, { progress: () => 0x7fffffff }).then(
    () => {
      db.close();
      // A backup copies pages as they are: a damaged page would make a damaged backup, and
      // keeping it would prune an older good one. The copy is checked before it counts.
      const copy = new Database(workerData.target, { readonly: true, fileMustExist: true });
      let check;
      try { check = copy.pragma('quick_check(1)', { simple: true }); } catch (e) { check = String((e && e.message) || e); }
      copy.close();
      parentPort.postMessage({ error: check === 'ok' ? null : DAMAGED + check });
    },
    (e) => { db.close(); parentPort.postMessage({ error: String((e && e.message) || e) }); },
  );
} catch (e) {
  if (db) db.close();
  parentPort.postMessage({ error: String((e && e.message) || e) });
}
`;

/** Writes a consistent copy of the (file-backed) database `db` to `target`, off this thread. */
export function backupOnWorker(db: Db, target: string): Promise<void> {
  const worker = startSqliteWorker(WORKER_SOURCE, { source: db.name, target });
  return new Promise<void>((resolve, reject) => {
    let answered = false;
    worker.once('message', (reply: { error: string | null }) => {
      answered = true;
      if (reply.error) reject(new Error(reply.error));
      else resolve();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the backup thread stopped (exit code ${code})`));
    });
  }).finally(() => worker.terminate());
}
