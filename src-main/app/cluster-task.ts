/**
 * One task of a cluster scoring job, as the app offers it to the command line: it needs no
 * project (a worker has only the model folder, its object list and the source files), so it
 * is no request of the contract; the door still reaches the engine through the app layer.
 */
export { parsePathMap, scoreObjects } from '../engine/cluster';
export type { ScoreObjectsOptions, ScoreObjectsResult } from '../engine/cluster';
