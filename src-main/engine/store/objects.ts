import type { Db } from './open';
import { nowIso, stmt } from './statement';

export type PixelFormat = 'f32' | 'f16' | 'u8' | 'ref';

export interface NewObject {
  uid: string;
  sourceId: number;
  hdu?: number | null;
  x?: number | null;
  y?: number | null;
  ra?: number | null;
  dec?: number | null;
  bands: number;
  bandNames?: string[] | null;
  size: number;
  pixelFormat: PixelFormat;
  pixels?: Uint8Array | null;
  pixelRef?: string | null;
  lo?: number | null;
  hi?: number | null;
  meta?: Record<string, unknown> | null;
  /** Defaults to now; a bulk writer passes one time for its whole transaction. */
  createdAt?: string;
}

export interface ObjectRow {
  id: number;
  uid: string;
  source_id: number;
  source_path: string;
  hdu: number | null;
  x: number | null;
  y: number | null;
  ra: number | null;
  dec: number | null;
  bands: number;
  band_names: string | null;
  size: number;
  pixel_format: PixelFormat;
  lo: number | null;
  hi: number | null;
  meta: string | null;
}

/** Inserts one object; returns its id, or the existing id when the uid is already stored. */
export function insertObject(db: Db, o: NewObject): number {
  const id = insertNewObject(db, o);
  if (id !== null) return id;
  return stmt<[string], { id: number }>(db, 'SELECT id FROM objects WHERE uid = ?').get(o.uid)!.id;
}

/** Inserts one object; returns its id, or null when the uid is already stored (nothing written). */
export function insertNewObject(db: Db, o: NewObject): number | null {
  const inserted = stmt<unknown[], { id: number }>(
    db,
    `INSERT INTO objects (uid, source_id, hdu, x, y, ra, dec, bands, band_names, size,
       pixel_format, pixels, pixel_ref, lo, hi, meta, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(uid) DO NOTHING
     RETURNING id`,
  ).get(
    o.uid,
    o.sourceId,
    o.hdu ?? null,
    o.x ?? null,
    o.y ?? null,
    o.ra ?? null,
    o.dec ?? null,
    o.bands,
    o.bandNames ? JSON.stringify(o.bandNames) : null,
    o.size,
    o.pixelFormat,
    o.pixels ?? null,
    o.pixelRef ?? null,
    o.lo ?? null,
    o.hi ?? null,
    o.meta ? JSON.stringify(o.meta) : null,
    o.createdAt ?? nowIso(),
  );
  return inserted?.id ?? null;
}

/**
 * Deletes objects written moments ago in the caller's transaction (ingest taking back a
 * unit it names anew): never objects that labels or scores could refer to.
 */
export function deleteNewObjects(db: Db, ids: number[]): void {
  const remove = stmt<[number]>(db, 'DELETE FROM objects WHERE id = ?');
  for (const id of ids) remove.run(id);
}

/** The source an object's uid belongs to, or undefined when no object has it. */
export function sourceOfUid(db: Db, uid: string): number | undefined {
  return stmt<[string], { source_id: number }>(
    db,
    'SELECT source_id FROM objects WHERE uid = ?',
  ).get(uid)?.source_id;
}

/**
 * Whether objects of another source than `sourceId` are named `name`: a uid equal to it (a
 * JPEG/PNG object) or starting with `name[` (a FITS object: `name[hdu]…`). Two index seeks.
 */
export function uidNameTakenByOther(db: Db, name: string, sourceId: number): boolean {
  const exact = stmt<[string, number], { one: number }>(
    db,
    'SELECT 1 AS one FROM objects WHERE uid = ? AND source_id <> ?',
  ).get(name, sourceId);
  if (exact) return true;
  // '\\' is the character after '[': the range holds exactly the uids starting with name + '['.
  return (
    stmt<[string, string, number], { one: number }>(
      db,
      'SELECT 1 AS one FROM objects WHERE uid >= ? AND uid < ? AND source_id <> ? LIMIT 1',
    ).get(`${name}[`, `${name}\\`, sourceId) !== undefined
  );
}

const objectColumns = `o.id, o.uid, o.source_id, s.path AS source_path, o.hdu, o.x, o.y, o.ra,
  o.dec, o.bands, o.band_names, o.size, o.pixel_format, o.lo, o.hi, o.meta`;

export function getObject(db: Db, id: number): ObjectRow | undefined {
  return stmt<[number], ObjectRow>(
    db,
    `SELECT ${objectColumns} FROM objects o JOIN sources s ON s.id = o.source_id WHERE o.id = ?`,
  ).get(id);
}

export function getObjectByUid(db: Db, uid: string): ObjectRow | undefined {
  return stmt<[string], ObjectRow>(
    db,
    `SELECT ${objectColumns} FROM objects o JOIN sources s ON s.id = o.source_id WHERE o.uid = ?`,
  ).get(uid);
}

export function getPixels(
  db: Db,
  id: number,
): { format: PixelFormat; pixels: Buffer | null; ref: string | null } | undefined {
  const row = stmt<
    [number],
    { pixel_format: PixelFormat; pixels: Buffer | null; pixel_ref: string | null }
  >(db, 'SELECT pixel_format, pixels, pixel_ref FROM objects WHERE id = ?').get(id);
  return row && { format: row.pixel_format, pixels: row.pixels, ref: row.pixel_ref };
}

export function countObjects(db: Db): number {
  return stmt<[], { n: number }>(db, 'SELECT count(*) AS n FROM objects').get()!.n;
}

/** Ids of objects nobody has labelled yet, in id order, streamed (10^6 rows must not be an array of rows). */
export function* unlabelledObjectIds(db: Db): Generator<number> {
  const rows = stmt<[], { id: number }>(
    db,
    `SELECT o.id FROM objects o
     WHERE NOT EXISTS (SELECT 1 FROM object_labels l WHERE l.object_id = o.id)
     ORDER BY o.id`,
  ).iterate();
  for (const row of rows) yield row.id;
}

export function allObjectIds(db: Db): Int32Array {
  const ids = stmt<[], number>(db, 'SELECT id FROM objects ORDER BY id').pluck().all();
  return Int32Array.from(ids);
}

/** The highest object id (0 when empty): an O(log n) probe, unlike count(*). */
export function maxObjectId(db: Db): number {
  return stmt<[], { n: number | null }>(db, 'SELECT max(id) AS n FROM objects').get()!.n ?? 0;
}

/** Objects with an id above `id`: a rowid range, cheap when only the newest rows are counted. */
export function countObjectsAfter(db: Db, id: number): number {
  return stmt<[number], { n: number }>(db, 'SELECT count(*) AS n FROM objects WHERE id > ?').get(
    id,
  )!.n;
}

/**
 * The cutout shapes in the project, most common first, with their counts when there are
 * several. When the smallest and largest (size, bands) agree — the usual case — that is two
 * probes of the objects_shape index instead of grouping every row (a pass over 10^6 objects).
 */
export function objectShapes(db: Db): { size: number; bands: number; n?: number }[] {
  type Shape = { size: number; bands: number };
  const lo = stmt<[], Shape>(
    db,
    'SELECT size, bands FROM objects ORDER BY size, bands LIMIT 1',
  ).get();
  if (!lo) return [];
  const hi = stmt<[], Shape>(
    db,
    'SELECT size, bands FROM objects ORDER BY size DESC, bands DESC LIMIT 1',
  ).get()!;
  if (lo.size === hi.size && lo.bands === hi.bands) return [lo];
  return stmt<[], Shape & { n: number }>(
    db,
    'SELECT size, bands, count(*) AS n FROM objects GROUP BY size, bands ORDER BY n DESC',
  ).all();
}
