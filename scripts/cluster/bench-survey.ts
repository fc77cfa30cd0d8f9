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
import { exportCatalogue } from '../../src-main/engine/export';
import { ingest } from '../../src-main/engine/ingest';
import { createProject } from '../../src-main/engine/store';
import { generateScaleSurvey } from '../../src-main/lab/bench/survey-scale/survey';
import { addUntrainedModel } from '../../src-main/lab/cluster/untrained-model';

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
  await addUntrainedModel(project, join(dir, 'model'), 64);
  exportCatalogue(project, { format: 'csv', out: join(dir, 'objects.csv') });
  console.log(
    `${dir}: ${objects} objects in ${survey.frames} frames; project/, model/, objects.csv`,
  );
} finally {
  project.close();
}
