import { describe, it, expect } from 'vitest';
import {
  largestWasmBatch,
  trainingBatchBytes,
  whyItWillNotFit,
} from '../../src-main/engine/learn/memory-budget';

const knobs = { sizeKnob: '--size', batchKnob: '--batch-size' };
const GB = 1024 ** 3;

describe('whyItWillNotFit', () => {
  it('lets 64 and 128 px batches of 256 train on wasm (both run there)', () => {
    for (const size of [64, 128]) {
      const q = {
        size,
        bands: 3,
        batchSize: 256,
        images: 10_000,
        copies: 2,
        backend: 'wasm' as const,
      };
      expect(whyItWillNotFit({ ...q, ...knobs }, 24 * GB)).toBeNull();
    }
  });

  it('refuses the native 423 px Galaxy Zoo cutouts on wasm in one sentence that says what to change', () => {
    const why = whyItWillNotFit(
      { size: 423, bands: 3, batchSize: 256, images: 5758, copies: 2, backend: 'wasm', ...knobs },
      24 * GB,
    );
    expect(why).toMatch(/^A training batch of 256 images of 423×423×3 needs about \d+\.\d GB/);
    expect(why).toMatch(/use --size \d+ or smaller, or --batch-size \d+ or smaller\.$/);
    expect(why!.split('. ').length).toBe(1);
    // 160 px batches of 256 abort on wasm (seen), so the suggestion must stay below that.
    const side = Number(/--size (\d+)/.exec(why!)![1]);
    expect(side).toBeGreaterThanOrEqual(128);
    expect(side).toBeLessThan(160);
    expect(trainingBatchBytes(160, 3, 256)).toBeGreaterThan(3.5 * GB);
  });

  it('refuses a data set that would not fit in memory decoded, on any backend', () => {
    const why = whyItWillNotFit(
      {
        size: 423,
        bands: 3,
        batchSize: 8,
        images: 5758,
        copies: 2,
        backend: 'tensorflow',
        ...knobs,
      },
      24 * GB,
    );
    expect(why).toMatch(
      /5,758 images of 423×423×3 take 23\.0 GB decoded.*use --size \d+ or smaller\.$/,
    );
    expect(largestWasmBatch(423, 3)).toBeGreaterThan(8);
  });
});
