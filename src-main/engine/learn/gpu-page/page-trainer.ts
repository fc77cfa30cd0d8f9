/**
 * The trainer inside the GPU page: holds one model and answers the training calls of the
 * worker protocol in turn, as the model worker does (answerCalls), with the engine's own
 * model, trainRound, augmentation and seeds, so a round trains on exactly the batches the
 * wasm worker would have used.
 */
import type * as tf from '@tensorflow/tfjs';
import { concatFloat32 } from '../concat';
import { buildModel, disposeModel, loadModel, specOf, type SavedModel } from '../model';
import { trainRound } from '../train';
import type { BackendInfo, BackendName } from '../types';
import { answerCalls, type Answer } from '../worker/answer-calls';
import type { LearnerCall, ModelShape } from '../worker/protocol';
import { PAGE_CALLS, type PageCallKind, type PageSidePort } from './port';

export type StartBackend = (choice: BackendName | 'auto') => Promise<BackendInfo>;

class NotAPageCallError extends Error {
  constructor(kind: string) {
    super(`The GPU page only trains ("${kind}" is answered by the engine's scoring worker).`);
    this.name = 'NotAPageCallError';
  }
}

function isPageCall(call: LearnerCall): call is Extract<LearnerCall, { kind: PageCallKind }> {
  return (PAGE_CALLS as readonly string[]).includes(call.kind);
}

/** saveModel's buffer, read back asynchronously (WebGPU cannot read synchronously). */
async function readModel(model: tf.LayersModel): Promise<SavedModel> {
  const parts = await Promise.all(model.getWeights().map((t) => t.data() as Promise<Float32Array>));
  const values = concatFloat32(parts);
  return { spec: specOf(model), weights: new Uint8Array(values.buffer) };
}

export function serveTrainingCalls(port: PageSidePort, startBackend: StartBackend): void {
  let model: tf.LayersModel | undefined;

  const current = (): tf.LayersModel => {
    if (model === undefined) throw new Error('The GPU page has no model yet: call init first.');
    return model;
  };
  const replace = (next: tf.LayersModel) => {
    if (model !== undefined && model !== next) disposeModel(model);
    model = next;
  };
  const shape = (): ModelShape => {
    const m = current();
    const params = m.trainableWeights.reduce((sum, w) => sum + w.read().size, 0);
    return { classes: specOf(m).classes, params };
  };

  async function handle(call: LearnerCall, signal: AbortSignal): Promise<Answer<ArrayBuffer>> {
    if (!isPageCall(call)) throw new NotAPageCallError(call.kind);
    switch (call.kind) {
      case 'init': {
        const info = await startBackend(call.backend);
        replace('weights' in call.model ? loadModel(call.model) : buildModel(call.model));
        return [{ info, ...shape() }, []];
      }
      case 'train': {
        const result = await trainRound(current(), call.images, call.labels, call.layout, {
          ...call.opts,
          signal,
          onProgress: (progress) => port.post({ id: call.id, type: 'progress', progress }, []),
        });
        return [result, []];
      }
      case 'save': {
        const saved = await readModel(current());
        return [saved, [saved.weights.buffer as ArrayBuffer]];
      }
      case 'load':
        replace(loadModel(call.saved));
        return [shape(), []];
      case 'dispose':
        if (model !== undefined) disposeModel(model);
        model = undefined;
        return [null, []];
    }
  }

  answerCalls(port, handle);
}
