/** The simulation's CNN: the product's own model, trainer and scorer (model.ts, train.ts, score.ts). */
import type * as tf from '@tensorflow/tfjs';
import { addClass, buildModel, disposeModel, specOf } from '../../engine/learn/model';
import { sourceOfImages, warmStartEncoder } from '../../engine/learn/contrastive';
import { scoreImages } from '../../engine/learn/score';
import { trainRound } from '../../engine/learn/train';
import type { TrainOptions } from '../../engine/learn/types';
import type { CnnFactory, CnnLearner } from './learner';

/** Method.md's training recipe: oversample every class to the majority, cross-entropy. */
const RECIPE: Omit<TrainOptions, 'epochs' | 'batchSize' | 'seed' | 'augment'> = {
  balance: true,
  loss: 'crossentropy',
  hardExamples: false,
};

/** Objects per contrastive batch: 2 × 128 views, each view's negatives the other 254. */
const WARM_START_BATCH = 128;

export const tfjsCnnFactory: CnnFactory = async (spec) => {
  let model: tf.LayersModel = buildModel({
    size: spec.size,
    bands: spec.bands,
    classes: spec.normalClasses + 1,
    seed: spec.seed,
  });
  const learner: CnnLearner = {
    get classes() {
      return specOf(model).classes;
    },
    reserve: spec.normalClasses,
    async addClass() {
      model = addClass(model);
      return specOf(model).classes - 1;
    },
    async train(images, labels, epochs, seed) {
      const layout = { count: specOf(model).classes, reserve: spec.normalClasses };
      const result = await trainRound(model, images, labels, layout, {
        ...RECIPE,
        epochs,
        batchSize: spec.batchSize,
        augment: spec.augment,
        seed,
      });
      return { seconds: result.seconds };
    },
    score: (images) => scoreImages(model, images),
    async warmStart(images, epochs, seed, onEpoch) {
      const started = performance.now();
      let sum = 0;
      const result = await warmStartEncoder(model, sourceOfImages(images), {
        epochs,
        batchSize: WARM_START_BATCH,
        augment: spec.augment,
        seed,
        onProgress: (p) => {
          sum = p.batch === 1 ? p.loss : sum + p.loss;
          if (p.batch === p.batches) {
            const seconds = (performance.now() - started) / 1000;
            onEpoch?.({ epoch: p.epoch, epochs, loss: sum / p.batches, seconds });
          }
        },
      });
      return { epochs, seconds: result.seconds, losses: result.epochLosses };
    },
    dispose: () => disposeModel(model),
  };
  return learner;
};
