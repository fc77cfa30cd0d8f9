import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  AHUNT_MANIFEST_FILE,
  manifestSchema,
  type AhuntModelManifest,
} from '../learn/onnx/model-manifest';
import { ClusterScoringError } from './errors';

/** What a scoring worker needs of a model folder: the manifest and model.onnx, not tfjs. */
export interface ScoringModel {
  manifest: AhuntModelManifest;
  onnx: Uint8Array;
}

/**
 * Reads ahunt-model.json and model.onnx. The tfjs files beside them are not loaded: importing
 * tfjs would cost a worker more start-up time than scoring a thousand objects.
 */
export async function readScoringModel(dir: string): Promise<ScoringModel> {
  const folder = resolve(dir);
  const manifestPath = join(folder, AHUNT_MANIFEST_FILE);
  const fail = (file: string, why: string) => new ClusterScoringError(why, file);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    throw fail(
      manifestPath,
      `${folder} is not an AHUNT model folder (${(error as Error).message}); give the folder \`ahunt export <project> --format model --out DIR\` wrote.`,
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw fail(
      manifestPath,
      `${manifestPath} is malformed at ${issue?.path.join('.') || 'top level'}: ${issue?.message ?? 'invalid'}; export the model folder again.`,
    );
  }
  const manifest = parsed.data;
  const onnxPath = join(folder, manifest.files.onnx);
  try {
    return { manifest, onnx: new Uint8Array(await readFile(onnxPath)) };
  } catch (error) {
    throw fail(
      onnxPath,
      `Cannot read ${onnxPath} (${(error as Error).message}); export the model folder again.`,
    );
  }
}
