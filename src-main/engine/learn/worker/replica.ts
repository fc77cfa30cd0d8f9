/**
 * One worker thread holding one model replica, and the calls to it (pending-calls.ts).
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
import { LearnerClosedError, PendingCalls, type CallExtras } from './pending-calls';
import type { LearnerRequest, LearnerResults, WorkerMessage } from './protocol';

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

export class Replica {
  private readonly worker: Worker;
  private readonly calls: PendingCalls<TransferListItem>;
  private closed = false;

  /** `builtEntry`: the compiled entry.js when a bundler moved it away from this module. */
  constructor(builtEntry?: URL) {
    const worker = startWorker(builtEntry);
    this.worker = worker;
    this.calls = new PendingCalls((message, transfer) => worker.postMessage(message, transfer));
    worker.on('message', (message: WorkerMessage) => this.calls.receive(message));
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => this.failAll(new LearnerClosedError()));
  }

  /** Calls sent and not yet answered: the least busy replica takes the next page. */
  get pendingCalls(): number {
    return this.calls.size;
  }

  private failAll(error: Error): void {
    this.closed = true;
    this.calls.failAll(error);
  }

  call<K extends LearnerRequest['kind']>(
    request: Extract<LearnerRequest, { kind: K }>,
    transfer: TransferListItem[] = [],
    extras: CallExtras = {},
  ): Promise<LearnerResults[K]> {
    if (this.closed) return Promise.reject(new LearnerClosedError());
    return this.calls.call(request, transfer, extras) as Promise<LearnerResults[K]>;
  }

  /** Frees the model and stops the thread; a call still running is cut short and rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    // The dispose request would queue behind a running training, so only an idle worker gets it.
    if (this.calls.size === 0) await this.call({ kind: 'dispose' }).catch(() => undefined);
    this.closed = true;
    await this.worker.terminate();
  }
}
