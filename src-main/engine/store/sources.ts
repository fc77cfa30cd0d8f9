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
 * Records a file's outcome (inserting it, or updating a changed file) and returns its id.
 * Ingestion calls this in the same transaction as the file's objects, so a crash leaves a
 * file either fully recorded with its objects or not recorded at all, and a re-run redoes
 * exactly the unrecorded ones: that is what makes ingest resumable. One statement per file,
 * because ingestion runs it thousands of times a second.
 */
export function recordSource(
  db: Db,
  s: { path: string; size: number; mtimeMs: number; hash?: string | null; kind: SourceKind },
  status: SourceStatus,
  objects: number,
  at: string = nowIso(),
): number {
  const row = stmt<unknown[], { id: number }>(
    db,
    `INSERT INTO sources (path, size, mtime_ms, hash, kind, status, objects, ingested_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
       hash = excluded.hash, kind = excluded.kind, status = excluded.status,
       objects = excluded.objects, ingested_at = excluded.ingested_at
     RETURNING id`,
  ).get(s.path, s.size, s.mtimeMs, s.hash ?? null, s.kind, status, objects, at);
  return row!.id;
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

/** Whether anything was ever ingested: a new project's first run can skip resume checks. */
export function hasSources(db: Db): boolean {
  return stmt<[], { one: number }>(db, 'SELECT 1 AS one FROM sources LIMIT 1').get() !== undefined;
}

/** The kinds of source the project's objects came from (fits, image, catalogue, generated). */
export function objectSourceKinds(db: Db): SourceKind[] {
  return stmt<[], { kind: SourceKind }>(
    db,
    'SELECT DISTINCT s.kind FROM objects o JOIN sources s ON s.id = o.source_id',
  )
    .all()
    .map((r) => r.kind);
}
