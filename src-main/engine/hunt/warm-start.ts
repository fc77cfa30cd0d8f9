/**
 * The project's self-supervised warm start (learn/contrastive.ts), run once before its first
 * trained round: the encoder learns from the project's own objects, unlabelled, so the first
 * round trains from a latent space that already separates morphologies. Kept in the project:
 * the warmed model is the first entry of the model store (round null), which the first round
 * loads like any checkpoint; until it is done, the last checkpoint waits in the settings table,
 * so a cancelled or interrupted warm start continues where it stopped.
 */
import type { WarmStartCheckpoint } from '../learn/contrastive';
import { makeRng } from '../learn/augment';
import type { BackendName, TrainProgress } from '../learn/types';
import { countModels, saveModel } from '../store/models';
import { allObjectIds } from '../store/objects';
import type { Db } from '../store/open';
import { getSetting, setSetting } from '../store/settings';
import type { ImageShape } from './images';
import type { ModelRunner } from './runner';
import { trainingBatchFor } from './train-batch';

/** Objects per epoch at most: a 10^6-object survey warms up on a random sample of them. */
export const WARM_START_OBJECTS = 20_000;
const CHECKPOINT_KEY = 'warm-start-checkpoint';

/** The checkpoint as the settings table keeps it (arrays as base64 float32). */
interface StoredCheckpoint extends Omit<WarmStartCheckpoint, 'encoder' | 'head' | 'optimizer'> {
  encoder: string;
  head: string;
  optimizer: string;
  /** The cutouts it was made on: objects ingested again at another size start afresh. */
  shape: ImageShape;
}

const toBase64 = (values: Float32Array) =>
  Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString('base64');

function fromBase64(text: string): Float32Array {
  const bytes = Buffer.from(text, 'base64');
  const values = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(values.buffer).set(bytes);
  return values;
}

export function saveWarmStartCheckpoint(
  db: Db,
  c: WarmStartCheckpoint | null,
  shape?: ImageShape,
): void {
  setSetting(
    db,
    CHECKPOINT_KEY,
    c && {
      ...c,
      shape,
      encoder: toBase64(c.encoder),
      head: toBase64(c.head),
      optimizer: toBase64(c.optimizer),
    },
  );
}

/** The checkpoint kept for these cutouts, if any. */
export function loadWarmStartCheckpoint(db: Db, shape?: ImageShape): WarmStartCheckpoint | null {
  const stored = getSetting<StoredCheckpoint | null>(db, CHECKPOINT_KEY, null);
  if (!stored) return null;
  if (shape && (stored.shape?.size !== shape.size || stored.shape?.bands !== shape.bands)) {
    return null;
  }
  const { shape: _made, ...checkpoint } = stored;
  return {
    ...checkpoint,
    encoder: fromBase64(stored.encoder),
    head: fromBase64(stored.head),
    optimizer: fromBase64(stored.optimizer),
  };
}

/** Due when asked for (epochs > 0) and no model was ever trained or warmed in this project. */
export function warmStartDue(db: Db, epochs: number): boolean {
  return epochs > 0 && countModels(db) === 0;
}

/** The objects a warm start looks at: all of them, or a seeded sample of a large survey. */
export function warmStartObjects(db: Db, seed: number): Int32Array {
  const ids = allObjectIds(db);
  if (ids.length <= WARM_START_OBJECTS) return ids;
  const rng = makeRng(seed);
  for (let i = 0; i < WARM_START_OBJECTS; i++) {
    const j = i + Math.floor(rng() * (ids.length - i));
    [ids[i], ids[j]] = [ids[j]!, ids[i]!];
  }
  return ids.slice(0, WARM_START_OBJECTS).sort();
}

export interface ProjectWarmStart {
  db: Db;
  /** The project's database file, which the model's thread reads on its own connection. */
  file: string;
  runner: ModelRunner;
  shape: ImageShape;
  epochs: number;
  seed: number;
  backend: BackendName | undefined;
  /** Output index → class id, as a round's model is stored (its head is still untrained). */
  classMap: number[];
  onProgress: (progress: TrainProgress) => void;
}

/**
 * Runs (or resumes) the warm start on the runner's loaded model and keeps the result in the
 * model store. Returns false when it was cancelled (its checkpoint is kept for next time).
 */
export async function runProjectWarmStart(w: ProjectWarmStart): Promise<boolean> {
  const ids = warmStartObjects(w.db, w.seed);
  // Two views an object: half the batch a supervised step of this cutout size could take.
  const batchSize = Math.max(2, Math.floor(trainingBatchFor(w.shape, ids.length, w.backend) / 2));
  let resume = loadWarmStartCheckpoint(w.db, w.shape);
  if (resume && (resume.seed !== w.seed || resume.epochs !== w.epochs)) resume = null;
  const result = await w.runner
    .warmStart(
      { file: w.file, ids, size: w.shape.size, bands: w.shape.bands },
      {
        epochs: w.epochs,
        batchSize,
        augment: 'galaxy',
        seed: w.seed,
        ...(resume ? { resume } : {}),
      },
      w.onProgress,
      (checkpoint) => saveWarmStartCheckpoint(w.db, checkpoint, w.shape),
    )
    .catch((error: unknown) => {
      if ((error as Error)?.name !== 'AbortError') throw error;
      return null;
    });
  if (!result) return false;
  const model = await w.runner.checkpoint();
  saveModel(w.db, {
    round: null,
    backend: w.backend ?? 'unknown',
    architecture: model.spec,
    classMap: w.classMap,
    weights: model.weights,
    metrics: {
      warmStart: {
        epochs: w.epochs,
        objects: ids.length,
        losses: result.epochLosses,
        seconds: result.seconds,
      },
    },
  });
  saveWarmStartCheckpoint(w.db, null);
  return true;
}
