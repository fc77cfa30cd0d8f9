import type { Db } from './open';
import { nowIso, stmt } from './statement';

export type SourceKind = 'fits' | 'image' | 'catalogue' | 'generated';
export type SourceStatus = 'pending' | 'ingested' | 'rejected';

export interface SourceRow {
  id: number;
  path: string;
  size: number;
  mtime_ms: number;
  hash: string | null;
  kind: SourceKind;
  status: SourceStatus;
  objects: number;
  ingested_at: string | null;
}

export function findSource(db: Db, path: string): SourceRow | undefined {
  return stmt<[string], SourceRow>(db, 'SELECT * FROM sources WHERE path = ?').get(path);
}

/**
 * Records a file as pending (or resets a changed file to pending) and returns its id.
 * Ingestion marks it ingested in the same transaction as its objects, so a crash between
 * the two leaves it pending and a re-run redoes it: that is what makes ingest resumable.
 */
export function upsertPendingSource(
  db: Db,
  s: { path: string; size: number; mtimeMs: number; hash?: string | null; kind: SourceKind },
): number {
  const row = stmt<[string, number, number, string | null, string], { id: number }>(
    db,
    `INSERT INTO sources (path, size, mtime_ms, hash, kind, status)
     VALUES (?, ?, ?, ?, ?, 'pending')
     ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
       hash = excluded.hash, kind = excluded.kind, status = 'pending', objects = 0
     RETURNING id`,
  ).get(s.path, s.size, s.mtimeMs, s.hash ?? null, s.kind);
  return row!.id;
}

export function markSource(db: Db, id: number, status: SourceStatus, objects: number): void {
  stmt(db, 'UPDATE sources SET status = ?, objects = ?, ingested_at = ? WHERE id = ?').run(
    status,
    objects,
    nowIso(),
    id,
  );
}

export function addIngestError(db: Db, path: string, reason: string): void {
  stmt(db, 'INSERT INTO ingest_errors (path, reason, at) VALUES (?, ?, ?)').run(
    path,
    reason,
    nowIso(),
  );
}

export function listIngestErrors(
  db: Db,
  limit = 1000,
): { path: string; reason: string; at: string }[] {
  return stmt<[number], { path: string; reason: string; at: string }>(
    db,
    'SELECT path, reason, at FROM ingest_errors ORDER BY id DESC LIMIT ?',
  ).all(limit);
}
