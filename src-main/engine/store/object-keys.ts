import type { Db } from './open';
import { stmt } from './statement';

/** Every object's uid and catalogue id: the names a labels file may use for it. */
export function objectIdKeys(
  db: Db,
): IterableIterator<{ id: number; uid: string; cid: string | null }> {
  return stmt<[], { id: number; uid: string; cid: string | null }>(
    db,
    `SELECT id, uid, json_extract(meta, '$.catalogueId') AS cid FROM objects`,
  ).iterate();
}

/** Every object's source file (absolute, and relative to what was ingested, when known). */
export function objectFileKeys(
  db: Db,
): IterableIterator<{ id: number; path: string; rel: string | null }> {
  return stmt<[], { id: number; path: string; rel: string | null }>(
    db,
    `SELECT o.id, s.path, json_extract(o.meta, '$.file') AS rel
     FROM objects o JOIN sources s ON s.id = o.source_id`,
  ).iterate();
}
