import { describe, expect, it } from 'vitest';
import type { Db } from '../../src-main/engine/store';
import { memoryProject } from './helpers';

/** The plan SQLite chose, one line per step. */
function plan(db: Db, sql: string, ...params: unknown[]): string {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((r) => r.detail).join('\n');
}

// These are the queries the UI runs on every keystroke; each must be an index lookup, never a
// scan of objects or label_events (which grow to millions of rows).
describe('per-keystroke query plans', () => {
  const { db } = memoryProject(5);

  it('next question: primary-key range on questions + primary-key probe on object_labels', () => {
    const p = plan(
      db,
      `SELECT q.* FROM questions q WHERE q.round = ? AND q.rank > ?
       AND NOT EXISTS (SELECT 1 FROM object_labels l WHERE l.object_id = q.object_id)
       ORDER BY q.rank LIMIT 1`,
      1,
      -1,
    );
    expect(p).toMatch(/SEARCH q USING INDEX sqlite_autoindex_questions_1 \(round=\? AND rank>\?\)/);
    expect(p).toMatch(/SEARCH l USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(p).not.toMatch(/SCAN/);
  });

  it('label write: the current-label upsert and the history lookup use indexes', () => {
    expect(plan(db, 'SELECT class_id FROM object_labels WHERE object_id = ?', 1)).toMatch(
      /SEARCH object_labels USING INTEGER PRIMARY KEY/,
    );
    const restore = plan(
      db,
      `SELECT id, class_id FROM label_history WHERE object_id = ? AND kind != 'undo' AND undone_by IS NULL ORDER BY id DESC LIMIT 1`,
      1,
    );
    expect(restore).toMatch(/SEARCH e USING INDEX label_events_object \(object_id=\?\)/);
    expect(restore).toMatch(
      /SEARCH u USING COVERING INDEX sqlite_autoindex_label_events_1 \(undoes=\?\)/,
    );
  });

  it('class counts: a covering-index walk, no table scan', () => {
    const p = plan(db, 'SELECT class_id, count(*) AS n FROM object_labels GROUP BY class_id');
    expect(p).toMatch(/USING COVERING INDEX object_labels_class/);
    expect(p).not.toMatch(/TEMP B-TREE/);
  });

  it('unlabelled page (scoring and the batch view): rowid range + primary-key probe', () => {
    const p = plan(
      db,
      `SELECT o.id, o.pixel_format, o.pixels FROM objects o
       WHERE o.id > ? AND NOT EXISTS (SELECT 1 FROM object_labels l WHERE l.object_id = o.id)
       ORDER BY o.id LIMIT ?`,
      0,
      64,
    );
    expect(p).toMatch(/SEARCH o USING INTEGER PRIMARY KEY \(rowid>\?\)/);
    expect(p).toMatch(/SEARCH l USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(p).not.toMatch(/TEMP B-TREE/);
  });
});

// Per-round and per-state() queries that must stay O(log n) at 10^6 objects.
describe('query plans that must not touch every object', () => {
  const { db } = memoryProject(5);

  it('cutout shape: the objects_shape index, read from either end', () => {
    for (const order of ['size, bands', 'size DESC, bands DESC']) {
      const p = plan(db, `SELECT size, bands FROM objects ORDER BY ${order} LIMIT 1`);
      expect(p).toMatch(/SCAN objects USING COVERING INDEX objects_shape/);
      expect(p).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('object count upkeep: max(id) and the ids above it are rowid searches', () => {
    expect(plan(db, 'SELECT max(id) AS n FROM objects')).toMatch(/SEARCH objects/);
    expect(plan(db, 'SELECT count(*) AS n FROM objects WHERE id > ?', 3)).toMatch(
      /SEARCH objects USING INTEGER PRIMARY KEY \(rowid>\?\)/,
    );
  });
});
