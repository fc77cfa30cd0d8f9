/**
 * The paper's benchmark protocol (method.md, "Benchmark protocol"): a labelled start set of
 * normal classes; each round new unlabelled data arrives; the method scores everything seen so
 * far; Q questions are answered by the ground truth (the oracle); the method learns from the
 * answers. The oracle creates an anomaly class the first time it meets one, as an astronomer
 * would. Metrics are computed every round over all observed objects, before that round's answers.
 */
import { loadDataset } from '../datasets/index';
import type { LabelledImages } from '../datasets/index';
import { rankMetrics, trueCandidatePercent } from './metrics';
import { createRng, pickQuestions } from '../../engine/learn/strategies';
import type { Rng } from '../../engine/learn/strategies';
import type { BackendInfo, ImageBatch } from '../../engine/learn/types';
import { addGaussianNoise, gatherImages } from './images';
import type { CnnFactory, WarmStartEpoch, WarmStartReport } from './learner';
import { createMethod } from './methods';
import { drawSchedule } from './schedule';
import type { RoundRecord, SimulationConfig, SimulationProgress, SimulationResult } from './types';

export interface RunOptions {
  /** Builds the AHUNT CNN; required for every method but iforest-raw and active-layer. */
  cnn?: CnnFactory;
  /** What runs the tensors, for the report. */
  backend: BackendInfo;
  /** An already loaded dataset (several runs on one dataset load it once). */
  data?: LabelledImages;
  onRound?: (progress: SimulationProgress) => void;
  /** Each epoch of the self-supervised warm start, when the config asks for one. */
  onWarmStartEpoch?: (progress: WarmStartEpoch) => void;
}

/** The protocol's images and truth, compacted to the objects the run will ever see. */
export interface SimulationData {
  /** Local index = arrival order: start set first, then round 1's draw, and so on. */
  images: ImageBatch;
  truth: string[];
  isAnomaly: Uint8Array;
  startCount: number;
  /** Cumulative number of observed objects after round r (index r−1). */
  observedAfter: number[];
}

export async function prepareData(
  config: SimulationConfig,
  rng: Rng,
  data?: LabelledImages,
): Promise<SimulationData> {
  const known = config.known ?? {};
  const names = [
    ...new Set([
      ...Object.keys(config.normal),
      ...Object.keys(known),
      ...Object.keys(config.perRound),
    ]),
  ];
  const loaded =
    data ?? (await loadDataset(config.dataset, { classes: names, size: config.imageSize }));
  const schedule = drawSchedule(
    loaded.labels,
    loaded.classNames,
    { ...known, ...config.normal },
    config.perRound,
    config.rounds,
    rng,
    loaded.source,
  );
  const order = [...schedule.start, ...schedule.rounds.flat()];
  const images = gatherImages(loaded.images, order);
  addGaussianNoise(images, config.noise, rng);
  const truth = order.map((i) => loaded.classNames[loaded.labels[i]!]!);
  // Every class that is not a normal one is an anomaly.
  const isAnomaly = Uint8Array.from(truth, (name) => (name in config.normal ? 0 : 1));
  const observedAfter: number[] = [];
  let seen = schedule.start.length;
  for (const draw of schedule.rounds) observedAfter.push((seen += draw.length));
  return { images, truth, isAnomaly, startCount: schedule.start.length, observedAfter };
}

export async function runSimulation(
  config: SimulationConfig,
  options: RunOptions,
): Promise<SimulationResult> {
  const began = performance.now();
  const rng = createRng(config.seed);
  const sim = await prepareData(config, rng, options.data);
  // The taxonomy as the expert builds it: normal classes, the reserve, then anomaly classes.
  const normalNames = Object.keys(config.normal);
  const classIndex = new Map<string, number>(normalNames.map((n, i) => [n, i]));
  const reserve = normalNames.length;
  const labelled = new Int32Array(sim.images.count).fill(-1);

  /** The oracle: the true class, creating it the first time an anomaly of its kind is seen. */
  const answer = (index: number): number => {
    const name = sim.truth[index]!;
    let c = classIndex.get(name);
    if (c === undefined) {
      c = reserve + 1 + (classIndex.size - normalNames.length);
      classIndex.set(name, c);
    }
    return c;
  };
  const classCount = (): number => reserve + 1 + (classIndex.size - normalNames.length);
  // The start set is labelled; known anomalies (if any) create their classes here.
  for (let i = 0; i < sim.startCount; i++) labelled[i] = answer(i);
  let warmStart: WarmStartReport | undefined;
  const method = await createMethod({
    config,
    sim,
    labelled,
    reserve,
    rng,
    cnn: options.cnn,
    answer,
    classCount,
    onWarmStart: (report) => {
      warmStart = report;
    },
    ...(options.onWarmStartEpoch ? { onWarmStartEpoch: options.onWarmStartEpoch } : {}),
  });

  const records: RoundRecord[] = [];
  let found = 0;
  let asked = 0;
  try {
    for (let round = 1; round <= config.rounds; round++) {
      const observed = sim.observedAfter[round - 1]!;
      const scored = await method.score(observed);
      const metrics = rankMetrics(scored.anomaly, sim.isAnomaly.subarray(0, observed));
      const candidates: number[] = [];
      for (let i = 0; i < observed; i++) if (labelled[i]! < 0) candidates.push(i);
      const questions = scored.questions
        ? scored.questions
        : pickQuestions({
            probs: scored.probs,
            classes: scored.classes,
            weights: scored.weights,
            candidates,
            q: config.queries,
            // A baseline's single column is its own score: it asks its top objects.
            strategy:
              config.strategy === 'fusion' && !scored.novelty ? 'most-anomalous' : config.strategy,
            rng,
            ...(scored.novelty ? { novelty: scored.novelty, reserve } : {}),
          }).map((q) => q.index);
      let foundNow = 0;
      for (const index of questions) {
        labelled[index] = answer(index);
        if (sim.isAnomaly[index]) foundNow++;
      }
      found += foundNow;
      asked += questions.length;
      const trainSeconds = await method.learn(round, observed);
      const record: RoundRecord = {
        round,
        rws: metrics.rws,
        recall: metrics.recall,
        precision: metrics.precision,
        mcc: metrics.mcc,
        true_candidates: trueCandidatePercent(foundNow, questions.length),
        found,
        asked,
        train_seconds: trainSeconds,
        score_seconds: scored.seconds,
        observed,
        anomalies_observed: metrics.anomalies,
        classes: classCount(),
      };
      records.push(record);
      options.onRound?.({ round, rounds: config.rounds, record });
    }
  } finally {
    method.dispose();
  }
  return {
    config,
    backend: options.backend,
    rounds: records,
    total_seconds: (performance.now() - began) / 1000,
    ...(warmStart ? { warm_start: warmStart } : {}),
  };
}
