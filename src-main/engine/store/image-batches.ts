/**
 * Cutouts' pixels as the model takes them (float32 NHWC batches): chosen objects for
 * training, and every unlabelled object page by page for the cold-start pass.
 */
import type { ImageBatch } from '../learn/types';
import type { PixelFormat } from './objects';
import type { Db } from './open';
import { decodePixelsInto } from './score-pages';
import { stmt } from './statement';

export interface ImageShape {
  size: number;
  bands: number;
}

/** Loads the given objects' pixels as one batch, in the order given. */
export function loadImages(db: Db, ids: ArrayLike<number>, shape: ImageShape): ImageBatch {
  const length = shape.size * shape.size * shape.bands;
  const data = new Float32Array(ids.length * length);
  const select = stmt<[number], { pixel_format: PixelFormat; pixels: Uint8Array | null }>(
    db,
    'SELECT pixel_format, pixels FROM objects WHERE id = ?',
  );
  for (let i = 0; i < ids.length; i++) {
    const row = select.get(ids[i]!)!;
    decodePixelsInto(row.pixel_format, row.pixels, data, i * length, length);
  }
  return { data, count: ids.length, size: shape.size, bands: shape.bands };
}

/**
 * Every unlabelled object's pixels in batches (10^6 objects never sit in memory at once as
 * pixels). Pages by id rather than holding one cursor open: the caller awaits the model
 * between batches, and labels must keep being written on this connection meanwhile.
 */
export function* unlabelledBatches(
  db: Db,
  shape: ImageShape,
  batchSize: number,
): Generator<{ ids: Int32Array; images: ImageBatch }> {
  const length = shape.size * shape.size * shape.bands;
  const page = stmt<
    [number, number],
    { id: number; pixel_format: PixelFormat; pixels: Uint8Array | null }
  >(
    db,
    `SELECT o.id, o.pixel_format, o.pixels FROM objects o
     WHERE o.id > ? AND NOT EXISTS (SELECT 1 FROM object_labels l WHERE l.object_id = o.id)
     ORDER BY o.id LIMIT ?`,
  );
  let after = 0;
  for (;;) {
    const rows = page.all(after, batchSize);
    if (rows.length === 0) return;
    const ids = new Int32Array(rows.length);
    const data = new Float32Array(rows.length * length);
    rows.forEach((row, i) => {
      ids[i] = row.id;
      decodePixelsInto(row.pixel_format, row.pixels, data, i * length, length);
    });
    after = rows[rows.length - 1]!.id;
    yield { ids, images: { data, count: rows.length, size: shape.size, bands: shape.bands } };
  }
}
