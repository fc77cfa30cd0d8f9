import type { WarmStartReport } from './learner';
import type { BackendInfo, StrategyName, TrainOptions } from '../../engine/learn/types';

export const SIMULATION_METHODS = [
  'ahunt',
  'iforest-raw',
  'iforest-static',
  'iforest-learning',
  'noactive',
  'active-layer',
] as const;
export type SimulationMethod = (typeof SIMULATION_METHODS)[number];

/** Counts per class name, e.g. { '0': 500, '1': 900 }. */
export type ClassCounts = Record<string, number>;

export interface SimulationConfig {
  /** Dataset spec (mnist:<dir>, folder:<dir>, csv:<file>). */
  dataset: string;
  /** Labelled at the start (the normal classes). */
  normal: ClassCounts;
  /** New, unlabelled data per round; classes not in `normal` are the anomalies. */
  perRound: ClassCounts;
  /**
   * Anomalies already labelled at the start (the paper's protocol has none). A variant for an
   * expert who brings a known example; it skips the cold start, where nothing is known yet.
   */
  known?: ClassCounts;
  rounds: number;
  /** Questions per round (Q). */
  queries: number;
  /** Training epochs per round (E). */
  epochs: number;
  /** Epochs on the labelled start set before round 1. */
  initialEpochs: number;
  method: SimulationMethod;
  strategy: StrategyName;
  seed: number;
  /** Standard deviation of the Gaussian noise added once to every pixel (0.1 for MNIST). */
  noise: number;
  batchSize: number;
  /** Augmentation of oversampled copies while training the CNN. */
  augment: TrainOptions['augment'];
  /** Decoded image side length for folder:/csv: datasets. */
  imageSize?: number;
  /** Epochs of self-supervised warm start of the CNN's encoder before any label (0: none). */
  warmStart?: number;
}

/** One round, as written to the JSON report. Counts `found` and `asked` are cumulative. */
export interface RoundRecord {
  round: number;
  /** Metrics over every object observed so far (labelled included), from this round's scores. */
  rws: number;
  recall: number;
  precision: number;
  mcc: number;
  /** % of this round's questions whose answer was an anomaly. */
  true_candidates: number;
  /** Anomalies found by questions so far (the discovery curve's y). */
  found: number;
  /** Questions asked so far (the discovery curve's x). */
  asked: number;
  train_seconds: number;
  score_seconds: number;
  /** Objects observed so far, and true anomalies among them (n_o). */
  observed: number;
  anomalies_observed: number;
  /** Softmax outputs after this round (the anomaly class appears when first found). */
  classes: number;
}

export interface SimulationResult {
  config: SimulationConfig;
  backend: BackendInfo;
  rounds: RoundRecord[];
  total_seconds: number;
  /** The self-supervised warm start, when one ran (its seconds are inside total_seconds). */
  warm_start?: WarmStartReport;
}

export interface SimulationProgress {
  round: number;
  rounds: number;
  record: RoundRecord;
}
