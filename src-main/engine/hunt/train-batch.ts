import { largestWasmBatch, whyItWillNotFit } from '../learn/memory-budget';
import type { BackendName } from '../learn/types';
import { ProjectError } from '../store/errors';
import type { ImageShape } from './images';

/** The workstation's training batch where memory allows it. */
export const TRAIN_BATCH = 128;

/**
 * The batch a round trains with: 128, or as many images as fit the wasm heap at this project's
 * cutout size (a 423 px project trains in batches of about 28 rather than aborting). Throws one
 * sentence, before any work starts, when not even that fits.
 */
export function trainingBatchFor(
  shape: ImageShape,
  examples: number,
  backend: BackendName | undefined,
): number {
  const batch =
    backend === undefined || backend === 'wasm'
      ? Math.min(TRAIN_BATCH, largestWasmBatch(shape.size, shape.bands))
      : TRAIN_BATCH;
  const why = whyItWillNotFit({
    size: shape.size,
    bands: shape.bands,
    batchSize: Math.max(1, batch),
    images: examples,
    backend: backend ?? 'wasm',
    sizeKnob: 'ingest the cutouts again at an image size of',
    batchKnob: 'a training batch of',
  });
  if (batch < 1 || why) {
    throw new ProjectError(
      'invalid',
      why ??
        `${shape.size}×${shape.size}×${shape.bands} cutouts do not fit the model's memory: ingest them again smaller.`,
    );
  }
  return batch;
}
