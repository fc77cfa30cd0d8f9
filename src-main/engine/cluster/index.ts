/**
 * Scoring beyond one machine: what each task of a cluster job (Dask, Spark, Ray; see
 * scripts/cluster/) runs on its worker — objects cut again from their source files with
 * ingest's own code, scored with the exported model.onnx, written as an importable part.
 */
export { scoreObjects } from './score-objects';
export type { ScoreObjectsOptions, ScoreObjectsResult } from './score-objects';
export { readWorkList, parsePathMap } from './work-list';
export type { PathMap, WorkRow } from './work-list';
export { recutObjects } from './recut';
export type { CutBatch } from './recut';
export { ClusterScoringError } from './errors';
