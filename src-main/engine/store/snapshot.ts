import type { Db } from './open';

/**
 * Pins what a read-only connection sees to one moment: a deferred transaction takes its
 * snapshot at its first read, and every later read (an export's many queries, across awaits)
 * sees that same database, whatever another process writes meanwhile.
 */
export function beginSnapshot(db: Db): void {
  db.exec('BEGIN');
  db.prepare('SELECT count(*) FROM sqlite_master').get();
}

export function endSnapshot(db: Db): void {
  if (db.inTransaction) db.exec('COMMIT');
}
