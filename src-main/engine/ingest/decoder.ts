import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { decodeChunk } from './decode';
import type { ChunkJob, ChunkResult, DecodeSettings, FromWorker, ToWorker } from './messages';
import { keepBuffer } from './pixel-sink';
import { spawnDecodeWorkers } from './spawn-worker';

/** Something that turns chunk jobs into results: worker threads, or the calling thread. */
export interface Decoder {
  /** Jobs that may be outstanding at once (bounds memory: each holds a chunk's pixels). */
  readonly capacity: number;
  decode(job: ChunkJob): Promise<ChunkResult>;
  /** The result is written: its pixel buffer may take another chunk (do not read it after). */
  release(result: ChunkResult): void;
  close(): Promise<void>;
}

/** What a run's decoding threads spend their time on (see defaultWorkerCount). */
export type DecodingWork = 'fits' | 'image';

/**
 * Decoding threads for a run. The thread that calls ingest writes every object to SQLite
 * for the whole run, and for FITS cutouts that costs about as much per file as decoding it:
 * the writer keeps a core busy, so FITS runs decode on one thread fewer than there are
 * cores. One per core put three busy threads on two cores, and every extra thread is a V8
 * isolate that compiles, warms up and collects garbage on its own: measured on 2 cores,
 * 10,000 cutouts took 3.4–4.1 CPU-seconds with one decoding thread against 4.0–4.9 with two,
 * and less time end to end in each of five alternated runs. A JPEG or PNG (libvips) costs
 * ~30 times its write, so those runs decode on every core.
 */
export function defaultWorkerCount(work: DecodingWork = 'fits'): number {
  const cores = availableParallelism();
  return Math.max(1, work === 'image' ? cores : cores - 1);
}

export function inlineDecoder(settings: DecodeSettings): Decoder {
  return {
    capacity: 1,
    async decode(job) {
      // Yield first so an abort or a progress repaint can run between chunks.
      await new Promise((resolve) => setImmediate(resolve));
      return decodeChunk(job, settings);
    },
    release(result) {
      keepBuffer(result.pixels.buffer);
    },
    async close() {},
  };
}

interface Waiting {
  resolve(result: ChunkResult): void;
  reject(error: Error): void;
}

/**
 * A pool of decoding threads. Each worker is given up to two chunks so it never idles
 * while the main thread is busy writing the previous result to SQLite.
 */
export class WorkerDecoder implements Decoder {
  private readonly workers: { worker: Worker; waiting: Map<number, Waiting> }[] = [];
  /** Which thread each result's pixel buffer came from, to hand it back there. */
  private readonly bufferOwners = new WeakMap<ArrayBuffer, Worker>();

  static async start(settings: DecodeSettings, count: number): Promise<WorkerDecoder> {
    return new WorkerDecoder(settings, await spawnDecodeWorkers(count));
  }

  private constructor(
    private readonly settings: DecodeSettings,
    workers: Worker[],
  ) {
    for (const worker of workers) this.adopt(worker);
  }

  get capacity(): number {
    return this.workers.length * 2;
  }

  /** Adds `count` threads (a pool started early for fewer than the run turned out to want). */
  async grow(count: number): Promise<void> {
    for (const worker of await spawnDecodeWorkers(count)) this.adopt(worker);
  }

  private adopt(worker: Worker): void {
    const entry = { worker, waiting: new Map<number, Waiting>() };
    worker.on('message', (message: FromWorker) => {
      const id = message.type === 'result' ? message.result.id : message.id;
      const waiting = entry.waiting.get(id);
      if (!waiting) return;
      entry.waiting.delete(id);
      if (message.type === 'result') {
        this.bufferOwners.set(message.result.pixels.buffer, worker);
        waiting.resolve(message.result);
      } else waiting.reject(new Error(`ingest worker failed: ${message.message}`));
    });
    const failAll = (error: Error) => {
      for (const w of entry.waiting.values()) w.reject(error);
      entry.waiting.clear();
    };
    worker.on('error', (error) => failAll(error));
    worker.on('exit', (code) => failAll(new Error(`ingest worker stopped (exit code ${code})`)));
    worker.postMessage({ type: 'init', settings: this.settings } satisfies ToWorker);
    this.workers.push(entry);
  }

  decode(job: ChunkJob): Promise<ChunkResult> {
    const entry = this.workers.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
    return new Promise<ChunkResult>((resolve, reject) => {
      entry.waiting.set(job.id, { resolve, reject });
      entry.worker.postMessage({ type: 'chunk', job } satisfies ToWorker);
    });
  }

  release(result: ChunkResult): void {
    const buffer = result.pixels.buffer;
    const owner = this.bufferOwners.get(buffer);
    if (!owner) return;
    this.bufferOwners.delete(buffer);
    // A thread already stopped (the run ended) simply never gets it.
    owner.postMessage({ type: 'buffer', buffer } satisfies ToWorker, [buffer]);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.worker.terminate()));
  }
}
