import { createLearner, type Learner } from '../learn/worker/learner';
import type { BackendName } from '../learn/types';
import type { ModelRunner } from './runner';

/** The smallest model there is: `init` needs one to start the backend before the project's shape is known. */
const PROBE = { size: 8, bands: 1, classes: 2, extraBlocks: 0 };

/**
 * Runs the model in a worker thread, so labels, page loads and pixel requests are answered
 * while a round trains. Switching backend replaces the worker.
 */
export function createWorkerRunner(): ModelRunner {
  let learner: Learner | null = null;
  let backend: BackendName | 'auto' | null = null;
  let outputs = 0;
  let abort: AbortController | null = null;

  const current = (): Learner => {
    if (!learner) throw new Error('The model worker is not started.');
    return learner;
  };

  return {
    async init(choice) {
      if (learner && backend !== choice) await learner.dispose();
      if (!learner || backend !== choice) learner = createLearner({ backend: choice });
      backend = choice;
      return learner.init(PROBE);
    },
    async load(spec, checkpoint) {
      await current().init(checkpoint ?? spec);
      outputs = checkpoint ? checkpoint.spec.classes : spec.classes;
    },
    async ensureOutputs(count) {
      while (outputs < count) outputs = (await current().addClass()).classes;
    },
    async train(images, labels, layout, options, onProgress) {
      abort = new AbortController();
      try {
        return await current().train(images, labels, layout, {
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
      try {
        return await current().warmStart(objects, {
          ...options,
          signal: abort.signal,
          ...(onProgress ? { onProgress } : {}),
          ...(onCheckpoint ? { onCheckpoint } : {}),
        });
      } finally {
        abort = null;
      }
    },
    cancelTraining() {
      abort?.abort();
    },
    score: (images) => current().score(images, 256),
    scorePage: (page) => current().scorePage(page, 256),
    checkpoint: () => current().save(),
    async dispose() {
      await learner?.dispose();
      learner = null;
    },
  };
}
