import type * as tf from '@tensorflow/tfjs';
import { initBackend } from '../learn/backend';
import { addClass, buildModel, disposeModel, loadModel, saveModel, specOf } from '../learn/model';
import { scoreImages } from '../learn/score';
import { warmStartEncoder } from '../learn/contrastive';
import { trainRound } from '../learn/train';
import { projectObjectSource } from '../learn/worker/object-source';
import { PageReader } from '../learn/worker/page-reader';
import type { ModelRunner } from './runner';

/**
 * Runs the model on the calling thread. Right for the CLI, simulations and tests; the
 * desktop and server doors wrap the same calls in a worker so the UI never waits on them.
 */
export function createLocalRunner(): ModelRunner {
  let model: tf.LayersModel | null = null;
  let abort: AbortController | null = null;
  const pages = new PageReader();

  const current = (): tf.LayersModel => {
    if (!model) throw new Error('No model is loaded yet.');
    return model;
  };

  return {
    init: (choice) => initBackend(choice),
    async load(spec, checkpoint) {
      if (model) disposeModel(model);
      model = checkpoint ? loadModel(checkpoint) : buildModel(spec);
    },
    async ensureOutputs(count) {
      while (specOf(current()).classes < count) model = addClass(current());
    },
    async train(images, labels, layout, options, onProgress) {
      abort = new AbortController();
      try {
        return await trainRound(current(), images, labels, layout, {
          ...options,
          signal: abort.signal,
          ...(onProgress ? { onProgress } : {}),
        });
      } finally {
        abort = null;
      }
    },
    async warmStart(objects, options, onProgress, onCheckpoint) {
      abort = new AbortController();
      const source = projectObjectSource(objects);
      try {
        return await warmStartEncoder(current(), source, {
          ...options,
          signal: abort.signal,
          ...(onProgress ? { onProgress } : {}),
          ...(onCheckpoint ? { onCheckpoint } : {}),
        });
      } finally {
        source.close();
        abort = null;
      }
    },
    cancelTraining() {
      abort?.abort();
    },
    score: (images) => scoreImages(current(), images, 256),
    scorePage: (page) => pages.score(page, (images) => scoreImages(current(), images, 256)),
    async checkpoint() {
      return saveModel(current());
    },
    async dispose() {
      if (model) disposeModel(model);
      model = null;
      pages.close();
    },
  };
}
