/**
 * The engine's discovery on real data, guarded: a short MNIST run and a short Galaxy Zoo run of
 * the protocol (method.md) with the default question strategy, each against the isolation forest
 * on raw pixels on the very same arrivals. Fails when AHUNT stops beating the forest or finds
 * fewer anomalies than the floors below, which were set from measured runs (see each floor).
 *
 * Needs ../shared/datasets: in CI (CI set) its absence is a failure; elsewhere the runs skip
 * with the reason in the test name.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src-main/engine/learn/backend';
import { loadDataset } from '../../src-main/lab/datasets/index';
import type { LabelledImages } from '../../src-main/lab/datasets/index';
import { runSimulation } from '../../src-main/lab/simulate/index';
import type { SimulationConfig, SimulationResult } from '../../src-main/lab/simulate/index';
import { tfjsCnnFactory } from '../../src-main/lab/simulate/tfjs-cnn';
import type { BackendInfo } from '../../src-main/engine/learn/types';

const repoRoot = path.resolve(__dirname, '../..');
const datasets = process.env.AHUNT_DATASETS ?? path.resolve(repoRoot, '../shared/datasets');
const mnistDir = path.join(datasets, 'mnist');
const galaxyCsv = path.join(datasets, 'galaxyzoo1', 'labels.csv');
const present =
  existsSync(path.join(mnistDir, 't10k-images-idx3-ubyte.gz')) && existsSync(galaxyCsv);
const inCi = Boolean(process.env.CI);

if (!present && inCi) {
  describe('discovery on real data', () => {
    it(`needs the reference data sets at ${datasets} (CI always has them)`, () => {
      throw new Error(
        `${datasets} has no mnist/ and galaxyzoo1/: the real-data regression cannot run.`,
      );
    });
  });
}

const last = (r: SimulationResult) => r.rounds[r.rounds.length - 1]!;

describe.skipIf(!present)(
  present ? 'discovery on real data' : `discovery on real data: skipped, ${datasets} is absent`,
  () => {
    let backend: BackendInfo;
    let tmp = '';
    beforeAll(async () => {
      backend = await initBackend('wasm');
      tmp = mkdtempSync(path.join(os.tmpdir(), 'ahunt-discovery-'));
    });
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    const run = (config: SimulationConfig, data: LabelledImages) =>
      runSimulation(config, { backend, data, cnn: tfjsCnnFactory });

    it('MNIST, cold start: the default strategy finds the 5s and beats the raw-pixel forest', async () => {
      // The paper's protocol shortened: no 5 is known at the start, 7 % of each draw is a 5.
      const config: SimulationConfig = {
        dataset: `mnist:${mnistDir}`,
        normal: { '0': 100, '1': 150 },
        perRound: { '0': 30, '1': 40, '5': 5 },
        rounds: 6,
        queries: 5,
        epochs: 2,
        initialEpochs: 3,
        method: 'ahunt',
        strategy: 'fusion',
        seed: 1,
        noise: 0.1,
        batchSize: 256,
        augment: 'none',
      };
      const data = await loadDataset(config.dataset, { classes: ['0', '1', '5'] });
      const ahunt = await run(config, data);
      const forest = await run({ ...config, method: 'iforest-raw' }, data);
      console.info(
        `MNIST short: fusion found ${last(ahunt).found}/${last(ahunt).asked} RWS ${last(ahunt).rws.toFixed(3)}; ` +
          `iforest-raw found ${last(forest).found} RWS ${last(forest).rws.toFixed(3)}`,
      );
      expect(last(ahunt).asked).toBe(30);
      expect(last(ahunt).found).toBeGreaterThanOrEqual(MNIST_FOUND_FLOOR);
      expect(last(ahunt).found).toBeGreaterThan(last(forest).found);
      expect(last(ahunt).rws).toBeGreaterThan(MNIST_RWS_OVER_FOREST * last(forest).rws);
    }, 600_000);

    it('Galaxy Zoo: mergers among ellipticals and edge-ons, ranked better than by the raw-pixel forest', async () => {
      // A subset of the catalogue keeps decoding short: what the protocol draws, and no more.
      const rounds = 10;
      const need: Record<string, number> = {
        elliptical: 60 + rounds * 24,
        edge_on: 40 + rounds * 16,
        merger: rounds * 5,
      };
      const lines = readFileSync(galaxyCsv, 'utf8').trim().split('\n');
      const header = lines[0]!.split(',');
      const fileCol = header.indexOf('file');
      const nameCol = header.indexOf('label_name');
      const kept = lines.slice(1).filter((line) => {
        const cells = line.split(',');
        const name = cells[nameCol]!;
        if (!need[name]) return false;
        need[name]!--;
        return true;
      });
      const subset = path.join(tmp, 'labels.csv');
      writeFileSync(
        subset,
        [
          lines[0],
          ...kept.map((line) => {
            const cells = line.split(',');
            cells[fileCol] = path.resolve(path.dirname(galaxyCsv), cells[fileCol]!);
            return cells.join(',');
          }),
        ].join('\n'),
      );
      const config: SimulationConfig = {
        dataset: `csv:${subset}`,
        normal: { elliptical: 60, edge_on: 40 },
        perRound: { elliptical: 24, edge_on: 16, merger: 5 },
        rounds,
        queries: 15,
        epochs: 5,
        initialEpochs: 5,
        method: 'ahunt',
        strategy: 'fusion',
        seed: 1,
        noise: 0,
        batchSize: 256,
        augment: 'galaxy',
        imageSize: 32,
      };
      const data = await loadDataset(config.dataset, {
        classes: ['elliptical', 'edge_on', 'merger'],
        size: 32,
      });
      const ahunt = await run(config, data);
      const forest = await run({ ...config, method: 'iforest-raw' }, data);
      console.info(
        `Galaxy short: fusion found ${last(ahunt).found}/${last(ahunt).asked} RWS ${last(ahunt).rws.toFixed(3)}; ` +
          `iforest-raw found ${last(forest).found} RWS ${last(forest).rws.toFixed(3)}`,
      );
      expect(last(ahunt).asked).toBe(150);
      expect(last(ahunt).found).toBeGreaterThanOrEqual(GALAXY_FOUND_FLOOR);
      expect(last(ahunt).rws).toBeGreaterThan(GALAXY_RWS_OVER_FOREST * last(forest).rws);
    }, 600_000);
  },
);

/**
 * Floors, under what these runs measured when the test was written (wasm, seed 1; dropout is
 * not seeded, so two runs differ a little): MNIST fusion found 11 and 9 of 30, RWS 0.602 and
 * 0.475, against the pixel forest's 6 and 0.142; Galaxy Zoo fusion found 23 and 24 of 150,
 * RWS 0.301 and 0.315, against the forest's 28 and 0.251. On galaxies the pixel forest asks
 * about as well as AHUNT in the first ten rounds (mergers are big and bright); AHUNT's lead is
 * in ranking the whole set (README).
 */
const MNIST_FOUND_FLOOR = 7;
const MNIST_RWS_OVER_FOREST = 2;
const GALAXY_FOUND_FLOOR = 18;
const GALAXY_RWS_OVER_FOREST = 1.1;
