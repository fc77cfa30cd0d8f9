import { join } from 'node:path';
import { initBackend } from '../learn/backend';
import { loadModel, disposeModel } from '../learn/model';
import { exportModelFolder } from '../learn/onnx/model-folder';
import type { AhuntModelMeta, InputNormalisation } from '../learn/onnx/model-manifest';
import type { ModelSpec } from '../learn/types';
import { HIGH_QUANTILE, LOW_QUANTILE } from '../ingest/normalise';
import { latestTrainedModel } from '../store/models';
import type { Db } from '../store/open';
import { assertSafeOutput } from '../store/output-guard';
import type { Project } from '../store/project';
import { getMeta } from '../store/settings';
import { objectSourceKinds } from '../store/sources';
import { writeFileAtomic } from './atomic-write';
import { asExportError, ExportError } from './errors';
import { modelOutputs, type ModelOutput } from './model-outputs';
import { SOFTWARE } from './table';

/** Written beside ahunt-model.json: what each softmax output means in this project. */
export const CLASSES_FILE = 'ahunt-classes.json';

export interface ModelExportResult {
  path: string;
  modelId: number;
  round: number | null;
  outputs: ModelOutput[];
}

/**
 * Exports the latest checkpoint as a model folder: tfjs Layers model (model.json + weights.bin),
 * model.onnx and ahunt-model.json (written by the ONNX module, atomically), plus
 * ahunt-classes.json (class names, kinds, output indices, interest weights, normalisation,
 * provenance) so that scoring elsewhere (Spark/Ray workers running the ONNX model) can name
 * its columns and compute the same anomaly score.
 */
export async function exportModel(project: Project, dir: string): Promise<ModelExportResult> {
  const target = assertSafeOutput(project, dir, 'folder');
  const row = latestTrainedModel(project.db);
  if (!row) {
    throw new ExportError(
      `The project in ${project.dir} has no trained model yet; finish a round, then export the model.`,
      target,
    );
  }
  const outputs = modelOutputs(project.db, row);
  const normalisation = inputNormalisation(project.db);
  const reserve = Math.max(
    0,
    outputs.findIndex((o) => o.kind === 'reserve'),
  );
  const meta: AhuntModelMeta = {
    classes: outputs.map((o) => o.name),
    reserve,
    interest: outputs.map((o) => o.interest),
    normalisation,
  };
  await initBackend('auto');
  const model = loadModel({
    spec: JSON.parse(row.architecture) as Required<ModelSpec>,
    weights: row.weights,
  });
  try {
    await exportModelFolder(model, target, meta);
  } catch (error) {
    throw asExportError(error);
  } finally {
    disposeModel(model);
  }
  const classes = {
    format: 'ahunt-classes',
    version: 1,
    software: SOFTWARE,
    project: getMeta(project.db, 'name') ?? '',
    model: { id: row.id, round: row.round, backend: row.backend, createdAt: row.created_at },
    reserve,
    normalisation,
    outputs,
  };
  writeFileAtomic(join(target, CLASSES_FILE), (sink) =>
    sink.write(`${JSON.stringify(classes, null, 2)}\n`),
  );
  return { path: target, modelId: row.id, round: row.round, outputs };
}

/** How ingest scaled pixels to [0, 1]: a model only makes sense on inputs scaled the same way. */
function inputNormalisation(db: Db): InputNormalisation {
  const kinds = objectSourceKinds(db);
  if (kinds.length > 0 && kinds.every((k) => k === 'image')) {
    return { method: 'divide-by-255', params: { range: '[0, 1]', layout: 'NHWC' } };
  }
  return {
    method: 'asinh-percentile-per-object-band',
    params: {
      formula: 'clip(asinh((v - lo) / soft) / asinh((hi - lo) / soft), 0, 1)',
      lowQuantile: LOW_QUANTILE,
      highQuantile: HIGH_QUANTILE,
      soft: 'noise sigma of the band',
      blank: 0,
      layout: 'NHWC',
    },
  };
}
