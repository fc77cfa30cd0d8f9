/**
 * tf.io handlers that save/load a tfjs Layers model as a folder (model.json + weights.bin) with
 * plain node:fs. tfjs-node's file:// handler would do this, but tfjs-node cannot be installed
 * everywhere; the format written here is the standard one, so tfjs-node and tfjs in a browser
 * read it too.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { writeFileDurably } from './durable-write';
import { ModelFolderError } from './errors';

export const TFJS_MODEL_FILE = 'model.json';
export const TFJS_WEIGHTS_FILE = 'weights.bin';

export function fileSaveHandler(dir: string): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer || artifacts.modelTopology == null) {
        throw new Error('Only Layers models (JSON topology) can be saved to a model folder.');
      }
      await mkdir(dir, { recursive: true });
      const weights = tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? []);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy ?? `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: artifacts.convertedBy ?? null,
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
        ...(artifacts.userDefinedMetadata
          ? { userDefinedMetadata: artifacts.userDefinedMetadata }
          : {}),
      };
      await writeFileDurably(path.join(dir, TFJS_WEIGHTS_FILE), new Uint8Array(weights));
      await writeFileDurably(
        path.join(dir, TFJS_MODEL_FILE),
        new TextEncoder().encode(JSON.stringify(modelJson)),
      );
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
}

export function fileLoadHandler(dir: string, modelFile = TFJS_MODEL_FILE): tf.io.IOHandler {
  return {
    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = path.join(dir, modelFile);
      const modelJson = await readModelJson(jsonPath);
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const shards = await Promise.all(
          manifest.flatMap((group) => group.paths).map((shard) => readShard(dir, shard, jsonPath)),
        );
        return [specs, tf.io.CompositeArrayBuffer.join(shards)];
      });
    },
  };
}

async function readModelJson(jsonPath: string): Promise<tf.io.ModelJSON> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (error) {
    throw new ModelFolderError(
      `Cannot read the tfjs model ${jsonPath}: ${(error as Error).message}. Export the model folder again.`,
      jsonPath,
      { cause: error },
    );
  }
  const json = parsed as Partial<tf.io.ModelJSON> | null;
  if (
    !json ||
    typeof json !== 'object' ||
    !json.modelTopology ||
    !Array.isArray(json.weightsManifest)
  ) {
    throw new ModelFolderError(
      `${jsonPath} is not a tfjs Layers model (no modelTopology or weightsManifest). Export the model folder again.`,
      jsonPath,
    );
  }
  return json as tf.io.ModelJSON;
}

async function readShard(dir: string, shard: string, jsonPath: string): Promise<ArrayBuffer> {
  const file = path.resolve(dir, shard);
  // A manifest must not make us read files outside its folder.
  if (path.dirname(file) !== path.resolve(dir)) {
    throw new ModelFolderError(
      `${jsonPath} names a weights file outside its folder ("${shard}"); the file is not trustworthy.`,
      jsonPath,
    );
  }
  try {
    const bytes = await readFile(file);
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  } catch (error) {
    throw new ModelFolderError(
      `Cannot read the weights file ${file}: ${(error as Error).message}. Export the model folder again.`,
      file,
      { cause: error },
    );
  }
}
