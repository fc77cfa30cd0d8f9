export { runSimulation, prepareData } from './protocol';
export type { RunOptions, SimulationData } from './protocol';
export { parseClassCounts, parseSeeds, summariseRuns } from './config';
export type { MethodSummary } from './config';
export { SimulationError, drawSchedule } from './schedule';
export { SIMULATION_METHODS } from './types';
export type {
  ClassCounts,
  RoundRecord,
  SimulationConfig,
  SimulationMethod,
  SimulationProgress,
  SimulationResult,
} from './types';
export type { CnnFactory, CnnLearner, CnnSpec } from './learner';
