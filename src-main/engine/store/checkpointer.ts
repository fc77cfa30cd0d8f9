import type { Worker } from 'node:worker_threads';
import type { Db } from './open';
import { startSqliteWorker } from './sqlite-worker';

/**
 * WAL checkpoints on a second connection and thread, for two jobs.
 *
 * Bulk writes (ingestion, `takeOver`): with SQLite's automatic checkpoint every ~4 MB of WAL,
 * the writer itself copies pages into the database file and waits for two fsyncs each time:
 * measured, that was 60–80 % of the writing thread's time while ingesting 8 KB cutouts. The
 * writer's automatic checkpoint is switched off and this thread runs PASSIVE checkpoints
 * whenever `wrote()` has seen CHECKPOINT_BYTES more (WAL readers and one writer run
 * concurrently with a checkpoint, so the writer no longer waits); `stop()` gives the
 * automatic one back. Small steps keep up with the writer: what `stop()` must still copy
 * is on the caller's clock. At 32 MB steps the last checkpoint of a 10,000-cutout ingest
 * copied ~54 MB (4 KB pages, a read and a write each) in 190–200 ms; at 4 MB, 14 ms.
 *
 * Durability of small writes (labels, `soon()`): the store commits with synchronous=NORMAL,
 * so a commit is in the WAL file (safe from any crash of the app) when it returns, without
 * waiting for the disk; a checkpoint, which fsyncs the WAL first, follows within
 * FLUSH_DELAY_MS on this thread, so a power cut can cost at most the last second of labels.
 * The fsync had been 1–36 ms of every keypress on these machines.
 */
const CHECKPOINT_BYTES = 4 * 1024 * 1024;
export const FLUSH_DELAY_MS = 1000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
parentPort.on('message', (message) => {
  let error = null;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (e) { error = String(e && e.message || e); }
  if (message === 'last') { db.close(); }
  parentPort.postMessage({ error });
});
`;

export class BackgroundCheckpointer {
  private pendingBytes = 0;
  private busy = false;
  private queued = false;
  private failed: string | null = null;
  private stopped = false;
  private exited = false;
  private flushTimer: NodeJS.Timeout | null = null;
  /** The writer's automatic checkpoint setting to give back, when this took it over. */
  private readonly autocheckpoint: number | null;

  private constructor(
    private readonly db: Db,
    private readonly worker: Worker,
    takeOver: boolean,
  ) {
    this.autocheckpoint = takeOver
      ? (db.pragma('wal_autocheckpoint', { simple: true }) as number)
      : null;
    if (takeOver) db.pragma('wal_autocheckpoint = 0');
    worker.on('message', (reply: { error: string | null }) => {
      this.busy = false;
      if (reply.error) this.failed = reply.error;
      if (this.queued && !this.stopped) this.run();
    });
    worker.on('error', (error) => {
      this.failed = error.message;
    });
    worker.on('exit', () => {
      this.exited = true;
      this.busy = false;
    });
  }

  /** The worker's next answer, or its end. */
  private reply(): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.worker.off('message', done);
        this.worker.off('exit', done);
        resolve();
      };
      this.worker.on('message', done);
      this.worker.on('exit', done);
    });
  }

  /**
   * Null for an in-memory or non-WAL database, where there is nothing to checkpoint: the
   * caller then writes as it would without one.
   */
  static start(db: Db, options: { takeOver: boolean }): BackgroundCheckpointer | null {
    const mode = db.pragma('journal_mode', { simple: true });
    if (db.memory || mode !== 'wal') return null;
    const worker = startSqliteWorker(WORKER_SOURCE, { file: db.name });
    // Nothing waits for this thread: it must not keep a finished CLI command alive.
    worker.unref();
    return new BackgroundCheckpointer(db, worker, options.takeOver);
  }

  /** Tells the checkpointer about bytes just committed to the WAL. */
  wrote(bytes: number): void {
    this.pendingBytes += bytes;
    if (this.pendingBytes < CHECKPOINT_BYTES) return;
    this.pendingBytes = 0;
    this.run();
  }

  /** A small write was committed: make it power-cut safe within FLUSH_DELAY_MS. */
  soon(): void {
    if (this.flushTimer || this.stopped) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      this.run();
    }, FLUSH_DELAY_MS);
    this.flushTimer.unref();
  }

  private run(): void {
    if (this.exited) return;
    if (this.busy) {
      this.queued = true;
      return;
    }
    this.queued = false;
    this.busy = true;
    this.worker.postMessage('next');
  }

  /**
   * Waits for the checkpoint in progress, runs a last one so the WAL does not stay large,
   * and gives the writer its automatic checkpoint back. A failed background checkpoint is
   * harmless to the data (the pages stay in the WAL); the writer's own checkpoint at the
   * next commit takes over.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    try {
      while (this.busy && !this.exited) await this.reply();
      if (!this.exited) {
        this.worker.postMessage('last');
        await this.reply();
      }
    } finally {
      await this.worker.terminate();
      if (this.autocheckpoint !== null && this.db.open)
        this.db.pragma(`wal_autocheckpoint = ${this.autocheckpoint}`);
    }
  }

  /** The last background failure, if any (for logs; the data is safe either way). */
  get lastError(): string | null {
    return this.failed;
  }
}
