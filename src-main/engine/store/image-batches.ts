/**
 * Cutouts' pixels as the model takes them (float32 NHWC batches): chosen objects for
 * training, and every unlabelled object page by page for the cold-start pass.
 */
import type { ImageBatch } from '../image-batch';
import type { PixelFormat } from './objects';
import type { Db } from './open';
import { decodeFloat16 } from './pixels';
import { stmt } from './statement';

export interface ImageShape {
  size: number;
  bands: number;
}

/** Unlabelled objects in id order and their pixels. */
export interface UnlabelledPage {
  ids: Int32Array;
  images: ImageBatch;
}

/** One stored cutout as the database gives it: id, pixel format, bytes. */
export type PageRow = [id: number, format: PixelFormat, pixels: Uint8Array | null];

/**
 * Decodes one stored cutout into `out` at `offset` (float32 NHWC). A one-band (grey) cutout
 * stored in a batch of B bands fills every band with its one value per pixel: a project may
 * hold grey cutouts beside colour ones (hunt/images.ts), and the model sees them all as B.
 */
export function decodePixelsInto(
  format: PixelFormat,
  bytes: Uint8Array | null,
  out: Float32Array,
  offset: number,
  length: number,
): void {
  const target = out.subarray(offset, offset + length);
  if (!bytes) {
    target.fill(0);
    return;
  }
  const stored = Math.min(length, storedValues(format, bytes));
  const plane = target.subarray(0, stored);
  if (format === 'f16') decodeFloat16(bytes, plane);
  else if (format === 'f32') {
    const copy = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    plane.set(new Float32Array(copy.buffer, copy.byteOffset, stored));
  } else {
    for (let i = 0; i < stored; i++) plane[i] = bytes[i]! / 255;
  }
  if (stored < length) repeatGrey(target, stored, length / stored);
}

function storedValues(format: PixelFormat, bytes: Uint8Array): number {
  if (format === 'f16') return bytes.byteLength >> 1;
  if (format === 'f32') return bytes.byteLength >> 2;
  if (format === 'u8') return bytes.byteLength;
  throw new Error(`Pixels stored by reference are not supported for training yet.`);
}

/** Spreads `pixels` grey values over `bands` interleaved bands, in place, from the end. */
function repeatGrey(target: Float32Array, pixels: number, bands: number): void {
  if (!Number.isInteger(bands)) {
    throw new Error(`A cutout of ${pixels} values cannot fill ${target.length}.`);
  }
  for (let i = pixels - 1; i >= 0; i--) {
    const v = target[i]!;
    for (let b = 0; b < bands; b++) target[i * bands + b] = v;
  }
}

/** Decodes rows of cutouts into one batch, in the rows' order. */
export function decodePage(rows: PageRow[], shape: ImageShape): UnlabelledPage {
  const length = shape.size * shape.size * shape.bands;
  const ids = new Int32Array(rows.length);
  const data = new Float32Array(rows.length * length);
  for (let i = 0; i < rows.length; i++) {
    const [id, format, pixels] = rows[i]!;
    ids[i] = id;
    decodePixelsInto(format, pixels, data, i * length, length);
  }
  return { ids, images: { data, count: rows.length, size: shape.size, bands: shape.bands } };
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
): Generator<UnlabelledPage> {
  const page = stmt<[number, number], PageRow>(
    db,
    `SELECT o.id, o.pixel_format, o.pixels FROM objects o
     WHERE o.id > ? AND NOT EXISTS (SELECT 1 FROM object_labels l WHERE l.object_id = o.id)
     ORDER BY o.id LIMIT ?`,
  );
  let after = 0;
  for (;;) {
    const rows = page.raw(true).all(after, batchSize);
    if (rows.length === 0) return;
    after = rows[rows.length - 1]![0];
    yield decodePage(rows, shape);
  }
}
