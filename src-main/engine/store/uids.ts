import type { Db } from './open';
import { stmt } from './statement';

/** The object id of a uid (the name exports and imports use), or undefined. */
export function objectIdOfUid(db: Db, uid: string): number | undefined {
  return stmt<[string], { id: number }>(db, 'SELECT id FROM objects WHERE uid = ?').get(uid)?.id;
}

/** The uid of an object id, or undefined. */
export function uidOfObjectId(db: Db, id: number): string | undefined {
  return stmt<[number], { uid: string }>(db, 'SELECT uid FROM objects WHERE id = ?').get(id)?.uid;
}
