/**
 * One worker thread holding one model replica, and the request/response plumbing to it.
 * Under tsx/vitest this code is TypeScript, and so must the worker be. Node 20 ignores
 * `--import tsx` in a worker's execArgv for the worker's own entry (tried), so a tiny
 * evaluated bootstrap registers tsx's ESM hooks inside the worker, then imports entry.ts.
 * Built, both files are JavaScript and the entry starts directly (from ./entry.js next to
 * this module, or from the URL the Learner was given).
 */
import { Worker } from 'node:worker_threads';
import type { TransferListItem } from 'node:worker_threads';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { WarmStartCheckpoint } from '../contrastive';
import { TrainingCancelledError } from '../train';
import type { TrainProgress } from '../types';
import type {
  CancelMessage,
  LearnerCall,
  LearnerRequest,
  LearnerResults,
  WorkerMessage,
} from './protocol';

export class LearnerError extends Error {
  constructor(
    name: string,
    message: string,
    /** Kept from the thread that threw it: the doors show a user's mistake as a sentence. */
    readonly userFacing = false,
  ) {
    super(message);
    this.name = name;
  }
}

export class LearnerClosedError extends Error {
  constructor() {
    super('The learner was disposed or its worker stopped; create a new one.');
    this.name = 'LearnerClosedError';
  }
}

function startWorker(builtEntry?: URL): Worker {
  if (builtEntry !== undefined) return new Worker(builtEntry);
  const self = fileURLToPath(import.meta.url);
  if (!self.endsWith('.ts')) return new Worker(new URL('./entry.js', import.meta.url));
  const require = createRequire(import.meta.url);
  const tsxPackage = require.resolve('tsx/package.json');
  const manifest = require(tsxPackage) as {
    exports: Record<string, { import?: { default?: string } }>;
  };
  const apiPath = manifest.exports['./esm/api']?.import?.default;
  if (apiPath === undefined) throw new Error('The installed tsx has no ESM API to load TypeScript');
  const api = pathToFileURL(path.join(path.dirname(tsxPackage), apiPath)).href;
  const entry = new URL('./entry.ts', import.meta.url).href;
  const bootstrap =
    `import(${JSON.stringify(api)})` +
    `.then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(bootstrap, { eval: true });
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  onProgress?: (progress: TrainProgress) => void;
  onCheckpoint?: (checkpoint: WarmStartCheckpoint) => void;
}

export interface CallExtras {
  onProgress?: (progress: TrainProgress) => void;
  onCheckpoint?: (checkpoint: WarmStartCheckpoint) => void;
  signal?: AbortSignal;
}

export class Replica {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  /** `builtEntry`: the compiled entry.js when a bundler moved it away from this module. */
  constructor(builtEntry?: URL) {
    this.worker = startWorker(builtEntry);
    this.worker.on('message', (message: WorkerMessage) => this.receive(message));
    this.worker.on('error', (error) => this.failAll(error));
    this.worker.on('exit', () => this.failAll(new LearnerClosedError()));
  }

  /** Calls sent and not yet answered: the least busy replica takes the next page. */
  get pendingCalls(): number {
    return this.pending.size;
  }

  private receive(message: WorkerMessage): void {
    const p = this.pending.get(message.id);
    if (p === undefined) return;
    if (message.type === 'progress') {
      p.onProgress?.(message.progress);
      return;
    }
    if (message.type === 'checkpoint') {
      p.onCheckpoint?.(message.checkpoint);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === 'result') p.resolve(message.value);
    else if (message.error.name === 'AbortError') p.reject(new TrainingCancelledError());
    else {
      const { name, message: text, userFacing } = message.error;
      p.reject(new LearnerError(name, text, userFacing === true));
    }
  }

  private failAll(error: Error): void {
    this.closed = true;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  call<K extends LearnerRequest['kind']>(
    request: Extract<LearnerRequest, { kind: K }>,
    transfer: TransferListItem[] = [],
    extras: CallExtras = {},
  ): Promise<LearnerResults[K]> {
    if (this.closed) return Promise.reject(new LearnerClosedError());
    const id = this.nextId++;
    return new Promise<LearnerResults[K]>((resolve, reject) => {
      const entry: Pending = { resolve: resolve as (v: unknown) => void, reject };
      if (extras.onProgress !== undefined) entry.onProgress = extras.onProgress;
      if (extras.onCheckpoint !== undefined) entry.onCheckpoint = extras.onCheckpoint;
      this.pending.set(id, entry);
      const signal = extras.signal;
      if (signal !== undefined) {
        const cancel = () =>
          this.worker.postMessage({ kind: 'cancel', id } satisfies CancelMessage);
        if (signal.aborted) cancel();
        else signal.addEventListener('abort', cancel, { once: true });
      }
      this.worker.postMessage({ ...request, id } as LearnerCall, transfer);
    });
  }

  /** Frees the model and stops the thread; a call still running is cut short and rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    // The dispose request would queue behind a running training, so only an idle worker gets it.
    if (this.pending.size === 0) await this.call({ kind: 'dispose' }).catch(() => undefined);
    this.closed = true;
    await this.worker.terminate();
  }
}
