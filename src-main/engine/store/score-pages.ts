/**
 * Pages of unlabelled objects' pixels, as the model takes them (float32 NHWC), addressed by
 * object id range. A scoring round splits the id space into ranges, so every model worker can
 * read and decode its own pages on its own read-only connection (WAL lets readers run beside
 * the writer) and only scores travel back to the thread that writes them.
 */
import { decodePage, type ImageShape, type PageRow, type UnlabelledPage } from './image-batches';
import { openDatabase, type Db } from './open';
import { stmt } from './statement';

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

/**
 * Reads and decodes the unlabelled objects with `from <= id < to`. The range walks the
 * primary key in order, so consecutive ranges read the database file front to back (at 10^6
 * objects it is ~9 GB, far more than the page cache keeps).
 */
export function readUnlabelledPage(
  db: Db,
  from: number,
  to: number,
  shape: ImageShape,
): UnlabelledPage {
  const select = stmt<[number, number], PageRow>(
    db,
    `SELECT o.id, o.pixel_format, o.pixels FROM objects o
     WHERE o.id >= ? AND o.id < ? AND NOT EXISTS (SELECT 1 FROM object_labels l WHERE l.object_id = o.id)
     ORDER BY o.id`,
  );
  // Rows as arrays: no object per row for 10^6 rows.
  return decodePage(select.raw(true).all(from, to), shape);
}
