import { exportModel } from '../../engine/export/model';
import { initBackend } from '../../engine/learn/backend';
import { buildModel, disposeModel, saveModel as checkpoint } from '../../engine/learn/model';
import type { BackendName } from '../../engine/learn/types';
import { createClass, findClassByName } from '../../engine/store/classes';
import { saveModel } from '../../engine/store/models';
import type { Project } from '../../engine/store/project';
import { startRound } from '../../engine/store/rounds';

/**
 * Gives a project a model and exports it to `modelDir`, for measuring and testing cluster
 * scoring: a freshly built network with classes normal, unknown and ring. Untrained, but a
 * deterministic function of the pixels that costs what a trained one costs to run, which is
 * all scoring needs.
 */
export async function addUntrainedModel(
  project: Project,
  modelDir: string,
  size: number,
  backend: BackendName | 'auto' = 'auto',
): Promise<void> {
  await initBackend(backend);
  const { db } = project;
  const ring = createClass(db, { name: 'ring', kind: 'anomaly' }).id;
  const classMap = [findClassByName(db, 'normal')!.id, findClassByName(db, 'unknown')!.id, ring];
  const round = startRound(db, { strategy: 'most-anomalous', queries: 8 }).number;
  const model = buildModel({ size, bands: 1, classes: classMap.length, seed: 5 });
  try {
    const saved = checkpoint(model);
    saveModel(db, {
      round,
      backend: 'wasm',
      architecture: saved.spec,
      classMap,
      weights: saved.weights,
    });
  } finally {
    disposeModel(model);
  }
  await exportModel(project, modelDir);
}
