/**
 * A model folder: the tfjs Layers model (model.json + weights.bin, to keep training), model.onnx
 * (to score fast, or to use outside the app) and ahunt-model.json (classes, interest weights,
 * input normalisation). Written atomically: everything goes into a temporary folder beside the
 * target, which is then renamed into place, so a crash never leaves a half-written model.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildModel, specOf } from '../model';
import type { ModelSpec } from '../types';
import { writeFileDurably } from './durable-write';
import { ModelFolderError } from './errors';
import {
  AHUNT_MANIFEST_FILE,
  AHUNT_MANIFEST_FORMAT,
  AHUNT_MANIFEST_VERSION,
  manifestSchema,
  metaProblem,
} from './model-manifest';
import type { AhuntModelManifest, AhuntModelMeta } from './model-manifest';
import { toOnnx } from './to-onnx';
import { fileLoadHandler, fileSaveHandler, TFJS_MODEL_FILE } from './tfjs-file-io';

export const ONNX_MODEL_FILE = 'model.onnx';

export interface LoadedModelFolder {
  /**
   * The tfjs model. When the folder records a buildModel spec it is rebuilt by buildModel (so
   * specOf, addClass and the trainer accept it); either way it is not compiled.
   */
  model: tf.LayersModel;
  meta: AhuntModelMeta;
  /** The bytes of model.onnx, ready for createOnnxScorer. */
  onnx: Uint8Array;
  manifest: AhuntModelManifest;
}

export async function exportModelFolder(
  model: tf.LayersModel,
  dir: string,
  meta: AhuntModelMeta,
): Promise<AhuntModelManifest> {
  const target = path.resolve(dir);
  const manifest = manifestFor(model, meta, target);
  const onnx = toOnnx(model);
  await refuseToReplaceForeignFolder(target);

  const parent = path.dirname(target);
  await mkdir(parent, { recursive: true });
  const staging = await mkdtemp(path.join(parent, `.${path.basename(target)}.tmp-`));
  try {
    await model.save(fileSaveHandler(staging));
    await writeFileDurably(path.join(staging, ONNX_MODEL_FILE), onnx);
    await writeFileDurably(
      path.join(staging, AHUNT_MANIFEST_FILE),
      new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
    );
    await swapIntoPlace(staging, target);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  return manifest;
}

export async function loadModelFolder(dir: string): Promise<LoadedModelFolder> {
  const folder = path.resolve(dir);
  const manifestPath = path.join(folder, AHUNT_MANIFEST_FILE);
  const manifest = await readManifest(manifestPath);
  const onnxPath = path.join(folder, manifest.files.onnx);
  const loadedAsSaved = await loadTfjsModel(folder, manifest.files.tfjs);
  const model = manifest.spec
    ? rebuildWithSpec(loadedAsSaved, manifest.spec, manifestPath)
    : loadedAsSaved;
  const onnx = await readFile(onnxPath).catch((error: unknown) => {
    model.dispose();
    throw new ModelFolderError(
      `Cannot read ${onnxPath}: ${(error as Error).message}. Export the model folder again.`,
      onnxPath,
      { cause: error },
    );
  });
  const meta: AhuntModelMeta = {
    classes: manifest.classes,
    reserve: manifest.reserve,
    interest: manifest.interest,
    normalisation: manifest.input.normalisation,
  };
  const problem = metaProblem(meta, outputUnits(model)) ?? inputProblem(model, manifest);
  if (problem) {
    model.dispose();
    throw new ModelFolderError(
      `${manifestPath} does not match the model beside it: ${problem}. Export the model folder again.`,
      manifestPath,
    );
  }
  return { model, meta, onnx: new Uint8Array(onnx), manifest };
}

async function loadTfjsModel(folder: string, modelFile: string): Promise<tf.LayersModel> {
  try {
    return await tf.loadLayersModel(fileLoadHandler(folder, modelFile));
  } catch (error) {
    if (error instanceof ModelFolderError) throw error;
    const file = path.join(folder, modelFile);
    throw new ModelFolderError(
      `The tfjs model ${file} cannot be rebuilt (${(error as Error).message}). Export the model folder again.`,
      file,
      { cause: error },
    );
  }
}

/** Copies the saved weights into a buildModel model, layer by layer, and frees the saved one. */
function rebuildWithSpec(
  saved: tf.LayersModel,
  spec: Required<ModelSpec>,
  manifestPath: string,
): tf.LayersModel {
  let built: tf.LayersModel | null = null;
  try {
    built = buildModel(spec);
    for (const layer of built.layers) {
      const source = saved.layers.find((l) => l.name === layer.name);
      const weights = source?.getWeights() ?? [];
      const target = layer.getWeights();
      const fits =
        weights.length === target.length &&
        weights.every((w, i) => w.shape.join() === target[i]?.shape.join());
      if (!fits) {
        throw new ModelFolderError(
          `${manifestPath} describes a network (layer "${layer.name}") that differs from the saved one. Export the model folder again.`,
          manifestPath,
        );
      }
      if (weights.length > 0) layer.setWeights(weights);
    }
    return built;
  } catch (error) {
    built?.dispose();
    if (error instanceof ModelFolderError) throw error;
    throw new ModelFolderError(
      `${manifestPath} holds a model spec that cannot be built (${(error as Error).message}). Export the model folder again.`,
      manifestPath,
      { cause: error },
    );
  } finally {
    saved.dispose();
  }
}

function specIfBuilt(model: tf.LayersModel): Required<ModelSpec> | undefined {
  try {
    return specOf(model);
  } catch {
    return undefined; // not from buildModel: the folder still works, it just has no spec
  }
}

function manifestFor(
  model: tf.LayersModel,
  meta: AhuntModelMeta,
  target: string,
): AhuntModelManifest {
  const problem = metaProblem(meta, outputUnits(model));
  if (problem) {
    throw new ModelFolderError(`Cannot export the model to ${target}: ${problem}.`, target);
  }
  const [, size, , bands] = model.inputs[0]?.shape ?? [];
  const spec = specIfBuilt(model);
  const latent = model.layers.find((l) => l.name === 'latent');
  const latentShape = latent?.outputShape as (number | null)[] | undefined;
  return {
    format: AHUNT_MANIFEST_FORMAT,
    version: AHUNT_MANIFEST_VERSION,
    savedAt: new Date().toISOString(),
    input: {
      size: size ?? 0,
      bands: bands ?? 0,
      layout: 'NHWC',
      dtype: 'float32',
      normalisation: meta.normalisation,
    },
    classes: [...meta.classes],
    reserve: meta.reserve,
    interest: [...meta.interest],
    latentSize: latentShape?.[1] ?? 64,
    ...(spec ? { spec } : {}),
    files: { tfjs: TFJS_MODEL_FILE, onnx: ONNX_MODEL_FILE },
  };
}

async function readManifest(manifestPath: string): Promise<AhuntModelManifest> {
  let raw: string;
  try {
    raw = await readFile(manifestPath, 'utf8');
  } catch (error) {
    throw new ModelFolderError(
      `${path.dirname(manifestPath)} is not an AHUNT model folder (cannot read ${AHUNT_MANIFEST_FILE}: ${(error as Error).message}). Choose a folder written by "Export model".`,
      manifestPath,
      { cause: error },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    throw new ModelFolderError(
      `${manifestPath} is not valid JSON (${(error as Error).message}). Export the model folder again.`,
      manifestPath,
      { cause: error },
    );
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === 'number' && version > AHUNT_MANIFEST_VERSION) {
    throw new ModelFolderError(
      `${manifestPath} was written by a newer AHUNT Workstation (format version ${version}); update the app to open it.`,
      manifestPath,
    );
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || 'top level';
    throw new ModelFolderError(
      `${manifestPath} is malformed at ${where}: ${issue?.message ?? 'invalid'}. Export the model folder again.`,
      manifestPath,
    );
  }
  return parsed.data;
}

function inputProblem(model: tf.LayersModel, manifest: AhuntModelManifest): string | null {
  const [, size, , bands] = model.inputs[0]?.shape ?? [];
  if (size !== manifest.input.size || bands !== manifest.input.bands) {
    return `it describes ${manifest.input.size}×${manifest.input.size}×${manifest.input.bands} inputs but the network takes ${size}×${size}×${bands}`;
  }
  return null;
}

function outputUnits(model: tf.LayersModel): number {
  const shape = model.outputs[0]?.shape;
  return shape?.[shape.length - 1] ?? 0;
}

/** Replacing a folder deletes it: only do that to an earlier model folder or an empty one. */
async function refuseToReplaceForeignFolder(target: string): Promise<void> {
  const info = await stat(target).catch(() => null);
  if (!info) return;
  if (!info.isDirectory()) {
    throw new ModelFolderError(
      `${target} exists and is not a folder; choose another name.`,
      target,
    );
  }
  const entries = await readdir(target);
  if (entries.length > 0 && !entries.includes(AHUNT_MANIFEST_FILE)) {
    throw new ModelFolderError(
      `${target} already holds files that are not an AHUNT model; choose an empty or new folder.`,
      target,
    );
  }
}

async function swapIntoPlace(staging: string, target: string): Promise<void> {
  const exists = await stat(target).then(
    () => true,
    () => false,
  );
  if (!exists) {
    await rename(staging, target);
    return;
  }
  // rename() cannot replace a non-empty folder, so move the old one aside first.
  const retired = path.join(
    path.dirname(target),
    `.${path.basename(target)}.old-${randomBytes(4).toString('hex')}`,
  );
  await rename(target, retired);
  try {
    await rename(staging, target);
  } catch (error) {
    await rename(retired, target);
    throw error;
  }
  await rm(retired, { recursive: true, force: true });
}
