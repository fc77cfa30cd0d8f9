/**
 * Sets the stage for measuring cluster scoring against local scoring: the scale benchmark's
 * synthetic survey (512×512 FITS frames + catalogues, 64×64 cutouts, 3,249 per frame) kept
 * on disk, ingested into a project with a model, the model exported and the object list
 * written — everything `dask_score.py` and `ahunt score` need.
 *   npx tsx scripts/cluster/bench-survey.ts DIR [objects=20000]
 * DIR gets survey/, project/, model/ and objects.csv. The model is a freshly built network:
 * untrained, but it costs what a trained one costs to run.
 */
import { join, resolve } from 'node:path';
import { exportCatalogue, exportModel } from '../../src-main/engine/export';
import { generateScaleSurvey } from '../../src-main/engine/hunt/scale/survey';
import { ingest } from '../../src-main/engine/ingest';
import { initBackend } from '../../src-main/engine/learn/backend';
import {
  buildModel,
  disposeModel,
  saveModel as checkpoint,
} from '../../src-main/engine/learn/model';
import {
  createClass,
  createProject,
  findClassByName,
  saveModel,
  startRound,
} from '../../src-main/engine/store';

const dir = resolve(process.argv[2] ?? '');
const objects = Number(process.argv[3] ?? 20_000);
if (!process.argv[2] || !Number.isInteger(objects) || objects < 100) {
  console.error('usage: npx tsx scripts/cluster/bench-survey.ts DIR [objects ≥ 100]');
  process.exit(1);
}

const survey = generateScaleSurvey(join(dir, 'survey'), objects);
const project = createProject(join(dir, 'project'), { name: `cluster bench (${objects})` });
try {
  for (const chunk of survey.chunks) {
    await ingest(project, [chunk.frames], { catalogue: { path: chunk.catalogue } });
  }
  await initBackend('auto');
  const { db } = project;
  const ring = createClass(db, { name: 'ring', kind: 'anomaly' }).id;
  const classMap = [findClassByName(db, 'normal')!.id, findClassByName(db, 'unknown')!.id, ring];
  const round = startRound(db, { strategy: 'most-anomalous', queries: 8 }).number;
  const model = buildModel({ size: 64, bands: 1, classes: classMap.length, seed: 5 });
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
  await exportModel(project, join(dir, 'model'));
  exportCatalogue(project, { format: 'csv', out: join(dir, 'objects.csv') });
  console.log(
    `${dir}: ${objects} objects in ${survey.frames} frames; project/, model/, objects.csv`,
  );
} finally {
  project.close();
}
