import { describe, it, expect, afterAll } from 'vitest';
import { createLearner } from '../../src-main/engine/learn/worker/learner';
import { TrainingCancelledError } from '../../src-main/engine/learn/train';
import type { TrainOptions, TrainProgress } from '../../src-main/engine/learn/types';
import { toyImages } from './helpers';

const opts: TrainOptions = {
  epochs: 1,
  batchSize: 16,
  balance: true,
  augment: 'flips-rot90',
  loss: 'crossentropy',
  hardExamples: false,
  seed: 3,
};
const layout3 = { count: 3, reserve: 2 };

describe('createLearner with one worker thread (TypeScript entry under tsx)', () => {
  it('trains, scores, grows, saves and restores off the calling thread', async () => {
    const events: TrainProgress[] = [];
    const learner = createLearner({
      backend: 'wasm',
      threads: 1,
      onProgress: (p) => events.push(p),
    });
    try {
      const empty = { data: new Float32Array(0), count: 0, size: 16, bands: 1 };
      await expect(learner.score(empty)).rejects.toThrow(/call init first/);
      const info = await learner.init({ size: 16, bands: 1, classes: 3, seed: 4 });
      expect(info.name).toBe('wasm');
      expect(learner.threads).toBe(1);
      const { images, labels } = toyImages(64, 16, 9);
      const result = await learner.train(images, labels, layout3, opts);
      expect(result.images).toBe(64);
      expect(events).toHaveLength(4);
      expect(events[3]).toMatchObject({ batch: 4, batches: 4, epoch: 1 });
      expect(images.data.length).toBe(64 * 256); // copied, so the caller still has it

      const scored = await learner.score(images, 32);
      expect(scored.probs).toHaveLength(64 * 3);
      expect(scored.latent).toHaveLength(64 * 64);

      expect(await learner.addClass()).toEqual({ classes: 4 });
      const saved = await learner.save();
      expect(saved.spec.classes).toBe(4);
      const again = await learner.score(images);
      expect(again.classes).toBe(4);

      const moved = toyImages(32, 16, 10);
      await learner.score(moved.images, 32, { transfer: true });
      expect(moved.images.data.length).toBe(0); // transferred, not copied
    } finally {
      await learner.dispose();
    }
  });
});

describe('createLearner with two replicas (data-parallel)', () => {
  const learner = createLearner({ backend: 'wasm', threads: 2 });
  afterAll(() => learner.dispose());

  it('learns, and both replicas stay identical through training and addClass', async () => {
    await learner.init({ size: 16, bands: 1, classes: 3, seed: 8 });
    expect(learner.threads).toBe(2);
    const train = toyImages(300, 16, 12);
    await learner.train(train.images, train.labels, layout3, { ...opts, epochs: 8, batchSize: 32 });
    await learner.addClass();
    const grown = toyImages(90, 16, 13, [0, 1, 3]);
    await learner.train(grown.images, grown.labels, { count: 4, reserve: 2 }, opts);

    // The second half of the scores comes from replica 1; a single-thread copy of replica 0
    // must reproduce every score bit for bit.
    const test = toyImages(100, 16, 14);
    const both = await learner.score(test.images, 25);
    const solo = createLearner({ backend: 'wasm', threads: 1 });
    try {
      await solo.init(await learner.save());
      const reference = await solo.score(test.images, 25);
      expect(Array.from(both.probs)).toEqual(Array.from(reference.probs));
      expect(Array.from(both.latent)).toEqual(Array.from(reference.latent));
    } finally {
      await solo.dispose();
    }
    let right = 0;
    for (let i = 0; i < 100; i++) {
      const row = Array.from(both.probs.subarray(i * 4, i * 4 + 4));
      if (row.indexOf(Math.max(...row)) === test.labels[i]) right++;
    }
    expect(right).toBeGreaterThan(90);
  });

  it('cancels both replicas through an AbortSignal and stays usable', async () => {
    const { images, labels } = toyImages(400, 16, 11);
    const controller = new AbortController();
    let batches = 0;
    const run = learner.train(
      images,
      labels,
      { count: 4, reserve: 2 },
      {
        ...opts,
        epochs: 20,
        batchSize: 8,
        signal: controller.signal,
        onProgress: () => {
          batches++;
          if (batches === 2) controller.abort();
        },
      },
    );
    await expect(run).rejects.toBeInstanceOf(TrainingCancelledError);
    expect(batches).toBeLessThan(50);
    const result = await learner.train(images, labels, { count: 4, reserve: 2 }, opts);
    expect(result.images).toBe(400);
  });

  it('dispose does not wait for a running training, which is rejected', async () => {
    const { images, labels } = toyImages(400, 16, 15);
    const run = learner.train(images, labels, { count: 4, reserve: 2 }, { ...opts, epochs: 50 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await learner.dispose();
    expect(performance.now() - started).toBeLessThan(5000);
    await expect(run).rejects.toThrow(/disposed|stopped/);
    await expect(learner.save()).rejects.toThrow(/create a new one/);
  });
});
