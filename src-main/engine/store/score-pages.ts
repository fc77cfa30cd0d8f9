/**
 * Pages of unlabelled objects' pixels, as the model takes them (float32 NHWC), addressed by
 * object id range. A scoring round splits the id space into ranges, so every model worker can
 * read and decode its own pages on its own read-only connection (WAL lets readers run beside
 * the writer) and only scores travel back to the thread that writes them.
 */
import type { ImageBatch } from '../learn/types';
import type { PixelFormat } from './objects';
import { openDatabase, type Db } from './open';
import { decodeFloat16 } from './pixels';
import { stmt } from './statement';

export interface PageShape {
  size: number;
  bands: number;
}

/** The unlabelled objects with ids in [from, to), in id order, and their pixels. */
export interface UnlabelledPage {
  ids: Int32Array;
  images: ImageBatch;
}

/**
 * A read-only connection for a scoring thread. It waits for the writer instead of failing at
 * once: a WAL reader can meet a short lock while the writer checkpoints or restarts the WAL.
 */
export function openPageConnection(file: string): Db {
  const db = openDatabase(file, { readonly: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

/** The smallest and largest object id, or null for a project without objects. */
export function objectIdBounds(db: Db): { first: number; last: number } | null {
  const row = stmt<[], { first: number | null; last: number | null }>(
    db,
    'SELECT MIN(id) AS first, MAX(id) AS last FROM objects',
  ).get();
  if (!row || row.first === null || row.last === null) return null;
  return { first: row.first, last: row.last };
}

/** Decodes one stored cutout into `out` at `offset` (float32 NHWC). */
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
  if (format === 'f16') decodeFloat16(bytes, target);
  else if (format === 'f32') {
    const copy = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
    target.set(new Float32Array(copy.buffer, copy.byteOffset, length));
  } else if (format === 'u8') {
    for (let i = 0; i < length; i++) target[i] = bytes[i]! / 255;
  } else {
    throw new Error(`Pixels stored by reference are not supported for training yet.`);
  }
}

type PageRow = [id: number, format: PixelFormat, pixels: Uint8Array | null];

/**
 * Reads and decodes the unlabelled objects with `from <= id < to`. The range walks the
 * primary key in order, so consecutive ranges read the database file front to back (at 10^6
 * objects it is ~9 GB, far more than the page cache keeps).
 */
export function readUnlabelledPage(
  db: Db,
  from: number,
  to: number,
  shape: PageShape,
): UnlabelledPage {
  const select = stmt<[number, number], PageRow>(
    db,
    `SELECT o.id, o.pixel_format, o.pixels FROM objects o
     WHERE o.id >= ? AND o.id < ? AND NOT EXISTS (SELECT 1 FROM object_labels l WHERE l.object_id = o.id)
     ORDER BY o.id`,
  );
  // Rows as arrays: no object per row for 10^6 rows.
  const rows = select.raw(true).all(from, to);
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
