/**
 * The worker thread: owns the tfjs backend and the one model, and answers the requests of its
 * Learner one after another (answerCalls: only 'cancel' bypasses the queue, so it can reach a
 * running training, which yields to the event loop between batches).
 */
import { parentPort } from 'node:worker_threads';
import type { TransferListItem } from 'node:worker_threads';
import type * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import { addClass, buildModel, disposeModel, loadModel, saveModel, specOf } from '../model';
import type { SavedModel } from '../model';
import { warmStartEncoder } from '../contrastive';
import { trainRound } from '../train';
import { FastScorer } from './fast-scorer';
import { openExchange, stopExchange } from './gradient-exchange';
import { projectObjectSource } from './object-source';
import { PageReader } from './page-reader';
import { answerCalls, type Answer } from './answer-calls';
import type { CancelMessage, LearnerCall, ModelShape, WorkerMessage } from './protocol';

const port = parentPort;
if (port === null) throw new Error('learn/worker/entry.ts must run in a worker thread');

let model: tf.LayersModel | undefined;
const scorer = new FastScorer();
const pages = new PageReader();

class NoModelError extends Error {
  constructor() {
    super('The learner has no model yet: call init first.');
    this.name = 'NoModelError';
  }
}

function current(): tf.LayersModel {
  if (model === undefined) throw new NoModelError();
  return model;
}

function replaceModel(next: tf.LayersModel): void {
  if (model !== undefined && model !== next) disposeModel(model);
  model = next;
}

function shape(): ModelShape {
  const m = current();
  const params = m.trainableWeights.reduce((sum, w) => sum + w.read().size, 0);
  return { classes: specOf(m).classes, params };
}

function send(message: WorkerMessage, transfer: TransferListItem[] = []): void {
  port?.postMessage(message, transfer);
}

async function handle(call: LearnerCall, signal: AbortSignal): Promise<Answer<TransferListItem>> {
  switch (call.kind) {
    case 'init': {
      const info = await initBackend(call.backend);
      const spec = call.model;
      replaceModel('weights' in spec ? loadModel(spec) : buildModel(spec));
      return [{ info, ...shape() }, []];
    }
    case 'train': {
      const share = call.share && openExchange(call.share.buffers, call.share.replica);
      try {
        const result = await trainRound(
          current(),
          call.images,
          call.labels,
          call.layout,
          {
            ...call.opts,
            signal,
            onProgress: (progress) => send({ id: call.id, type: 'progress', progress }),
          },
          share,
        );
        return [result, []];
      } catch (error) {
        // A replica that fails must release the others waiting for its gradient.
        if (call.share !== undefined) stopExchange(call.share.buffers);
        throw error;
      } finally {
        scorer.weightsChanged();
      }
    }
    case 'score': {
      const result = await scorer.score(current(), call.images, call.batchSize, call.threads ?? 1);
      return [result, [result.probs.buffer as ArrayBuffer, result.latent.buffer as ArrayBuffer]];
    }
    case 'scorePage': {
      const threads = call.threads ?? 1;
      const result = await pages.score(call.page, (images) =>
        scorer.score(current(), images, call.batchSize, threads),
      );
      const buffers = [result.ids.buffer, result.probs.buffer, result.latent.buffer];
      return [result, buffers as ArrayBuffer[]];
    }
    case 'warmStart': {
      const source = projectObjectSource(call.objects);
      try {
        const result = await warmStartEncoder(current(), source, {
          ...call.opts,
          signal,
          onProgress: (progress) => send({ id: call.id, type: 'progress', progress }),
          onCheckpoint: (checkpoint) => send({ id: call.id, type: 'checkpoint', checkpoint }),
        });
        return [result, []];
      } finally {
        source.close();
        scorer.weightsChanged();
      }
    }
    case 'addClass': {
      model = addClass(current());
      return [shape(), []];
    }
    case 'save': {
      const saved: SavedModel = saveModel(current());
      return [saved, [saved.weights.buffer as ArrayBuffer]];
    }
    case 'load': {
      replaceModel(loadModel(call.saved));
      return [shape(), []];
    }
    case 'dispose': {
      if (model !== undefined) disposeModel(model);
      model = undefined;
      await scorer.release();
      pages.close();
      return [null, []];
    }
  }
}

answerCalls<TransferListItem>(
  {
    post: send,
    onMessage: (receive) =>
      port.on('message', (message: LearnerCall | CancelMessage) => receive(message)),
  },
  handle,
);
