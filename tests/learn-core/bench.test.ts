import { describe, it, expect } from 'vitest';
import { benchScore, benchTrain } from '../../src-main/lab/bench/train';

// Throughput floors depend on the machine and its load; set AHUNT_BENCH_FLOORS=1 on an otherwise
// idle 2-core machine to check them (train ≥ 1,000 img/s, score ≥ 10,000 img/s).
const checkFloors = process.env.AHUNT_BENCH_FLOORS === '1';

describe('bench', () => {
  it('measures training and scoring throughput of the AHUNT CNN', async () => {
    const seconds = checkFloors ? 5 : 0.3;
    const images = checkFloors ? 2048 : 512;
    const train = await benchTrain({ backend: 'wasm', threads: 1, seconds, images });
    const score = await benchScore({ backend: 'wasm', threads: 1, seconds, images });
    expect(train).toMatchObject({ backend: 'wasm', threads: 1 });
    expect(score).toMatchObject({ backend: 'wasm', threads: 1 });
    expect(train.train_img_per_s).toBeGreaterThan(checkFloors ? 1000 : 10);
    expect(score.score_img_per_s).toBeGreaterThan(checkFloors ? 10_000 : 100);
  });
});
