import { resolve } from 'node:path';
import type { LayersModel } from '@tensorflow/tfjs';
import { initBackend } from '../learn/backend';
import { disposeModel } from '../learn/model';
import { createOnnxScorer, isOnnxRuntimeUnavailable, loadModelFolder } from '../learn/onnx';
import { anomalyScores, scoreImages } from '../learn/score';
import type { ImageBatch, ScoreResult } from '../learn/types';
import { projectImageShape } from '../hunt/images';
import { loadImages } from '../store/image-batches';
import { allObjectIds } from '../store/objects';
import { assertSafeOutput } from '../store/output-guard';
import type { Project } from '../store/project';
import { uidOfObjectId } from '../store/uids';
import { exportMeta } from './build-catalogue';
import { writeTable, type ExportResult, type TableFormat } from './catalogue';
import { asExportError, ExportError } from './errors';
import { outputColumnNames } from './score-columns';
import type { ExportTable, TableColumn } from './table';

export { outputColumnNames } from './score-columns';

export interface ScoreExportResult extends ExportResult {
  /** What ran the model: onnxruntime, or the tfjs backend it fell back to. */
  backend: string;
}

export interface ScoreOptions {
  out: string;
  format?: TableFormat;
  /** Objects per batch handed to the model. */
  batchSize?: number;
  /** 'tfjs' skips onnxruntime (tests compare the two). */
  engine?: 'auto' | 'tfjs';
}

/**
 * Scores every object of the project with an exported model folder (onnxruntime when it
 * loads, tfjs otherwise) and writes uid, score (Σ interest × P) and one p_<class> column per
 * model output, in the model's output order and names — the layout importScores reads back.
 */
export async function scoreWithModelFolder(
  project: Project,
  modelDir: string,
  options: ScoreOptions,
): Promise<ScoreExportResult> {
  // Checked before the scoring, which can take minutes: the target must not be the project's.
  const out = assertSafeOutput(project, options.out, 'file');
  // Rebuilding the tfjs model needs a backend ready, even when onnxruntime does the scoring.
  await initBackend('auto');
  const folder = await loadModelFolder(resolve(modelDir)).catch((error: unknown) => {
    throw asExportError(error);
  });
  const { model, meta, manifest } = folder;
  try {
    const shape = projectImageShape(project.db);
    if (shape && (shape.size !== manifest.input.size || shape.bands !== manifest.input.bands)) {
      throw new ExportError(
        `The model in ${resolve(modelDir)} takes ${manifest.input.size}×${manifest.input.size}×${manifest.input.bands} cutouts but this project's are ${shape.size}×${shape.size}×${shape.bands}; use a model exported from a project with the same cutouts.`,
        resolve(modelDir),
      );
    }
    const runner = await scoringRunner(model, folder.onnx, options.engine ?? 'auto');
    const names = outputColumnNames(meta.classes);
    const classes = meta.classes.length;
    const uid: TableColumn = {
      name: 'uid',
      type: 'string',
      ucd: 'meta.id;meta.main',
      description: 'object id',
      values: [],
    };
    const score: TableColumn = {
      name: 'score',
      type: 'double',
      ucd: 'stat.probability',
      description: 'anomaly score',
      values: [],
    };
    const probs: TableColumn[] = names.map((name, i) => ({
      name,
      type: 'float',
      ucd: 'stat.probability',
      description: `model probability of class ${meta.classes[i]!}`,
      values: [],
    }));
    try {
      const ids = allObjectIds(project.db);
      const step = options.batchSize ?? 1024;
      for (let start = 0; shape && start < ids.length; start += step) {
        const batchIds = ids.subarray(start, Math.min(ids.length, start + step));
        const result = await runner.score(loadBatch(project, batchIds, shape));
        const scores = anomalyScores(result.probs, classes, meta.interest);
        batchIds.forEach((id, i) => {
          uid.values.push(uidOfObjectId(project.db, id)!);
          score.values.push(scores[i]!);
          for (let c = 0; c < classes; c++) probs[c]!.values.push(result.probs[i * classes + c]!);
        });
      }
    } finally {
      await runner.dispose();
    }
    const table: ExportTable = {
      kind: 'scores',
      meta: exportMeta(project),
      columns: [uid, score, ...probs],
      rows: uid.values.length,
    };
    return { ...writeTable(table, options.format ?? 'csv', out), backend: runner.backend };
  } finally {
    disposeModel(model);
  }
}

function loadBatch(
  project: Project,
  ids: Int32Array,
  shape: { size: number; bands: number },
): ImageBatch {
  try {
    return loadImages(project.db, ids, shape);
  } catch (error) {
    throw new ExportError(
      `Cannot read the cutouts of ${project.dir} (${(error as Error).message}).`,
      project.dir,
    );
  }
}

interface Runner {
  backend: string;
  score(images: ImageBatch): Promise<ScoreResult>;
  dispose(): Promise<void>;
}

async function scoringRunner(
  model: LayersModel,
  onnx: Uint8Array,
  engine: 'auto' | 'tfjs',
): Promise<Runner> {
  if (engine === 'auto') {
    try {
      const scorer = await createOnnxScorer(onnx);
      return {
        backend: 'onnxruntime',
        score: (images) => scorer.score(images),
        dispose: () => scorer.dispose(),
      };
    } catch (error) {
      if (!isOnnxRuntimeUnavailable(error)) throw error;
    }
  }
  const backend = await initBackend('auto');
  return {
    backend: `tfjs-${backend.name}`,
    score: (images) => scoreImages(model, images),
    dispose: async () => undefined,
  };
}
