import { liveClassId } from './classes';
import { ProjectError } from './errors';
import type { Db } from './open';
import { nowIso, stmt } from './statement';

export type LabelOrigin = 'ui' | 'cli' | 'api' | 'import' | 'oracle';

export interface LabelInput {
  objectId: number;
  classId: number;
  round: number;
  seconds?: number | null;
  origin: LabelOrigin;
  kind?: 'label' | 'import';
}

export interface LabelEventRow {
  id: number;
  object_id: number;
  class_id: number | null;
  round: number;
  kind: 'label' | 'import' | 'undo';
  undoes: number | null;
  seconds: number | null;
  origin: string;
  at: string;
  undone_by: number | null;
}

/**
 * Appends a label event and updates the derived current label, in one transaction that is
 * committed (in the WAL: safe from a crash of the app) before this returns.
 */
export function recordLabel(db: Db, l: LabelInput): number {
  return db.transaction(() => {
    const classId = liveClassId(db, l.classId);
    const event = stmt<unknown[], { id: number }>(
      db,
      `INSERT INTO label_events (object_id, class_id, round, kind, seconds, origin, at)
       VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    ).get(l.objectId, classId, l.round, l.kind ?? 'label', l.seconds ?? null, l.origin, nowIso())!;
    stmt(
      db,
      `INSERT INTO object_labels (object_id, class_id, event_id) VALUES (?, ?, ?)
       ON CONFLICT(object_id) DO UPDATE SET class_id = excluded.class_id, event_id = excluded.event_id`,
    ).run(l.objectId, classId, event.id);
    return event.id;
  })();
}

/** Many labels in one transaction (imports, simulations): same rules as recordLabel. */
export function recordLabels(db: Db, labels: LabelInput[]): void {
  db.transaction(() => {
    for (const l of labels) recordLabel(db, l);
  })();
}

/**
 * Undoes the most recent label event that is not itself undone (optionally only among
 * events of one origin/round). The object's current label becomes whatever the newest
 * remaining event says, or none. Returns the undone event, or undefined when nothing is left.
 */
export function undoLastLabel(
  db: Db,
  filter: { round?: number; origin?: LabelOrigin } = {},
): LabelEventRow | undefined {
  return db.transaction(() => {
    const last = stmt<unknown[], LabelEventRow>(
      db,
      `SELECT * FROM label_history
       WHERE kind != 'undo' AND undone_by IS NULL AND kind != 'import'
         AND (? IS NULL OR round = ?) AND (? IS NULL OR origin = ?)
       ORDER BY id DESC LIMIT 1`,
    ).get(filter.round ?? null, filter.round ?? null, filter.origin ?? null, filter.origin ?? null);
    if (!last) return undefined;
    const undo = stmt<unknown[], { id: number }>(
      db,
      `INSERT INTO label_events (object_id, class_id, round, kind, undoes, origin, at)
       VALUES (?, NULL, ?, 'undo', ?, ?, ?) RETURNING id`,
    ).get(last.object_id, last.round, last.id, last.origin, nowIso())!;
    restoreCurrentLabel(db, last.object_id);
    return { ...last, undone_by: undo.id };
  })();
}

function restoreCurrentLabel(db: Db, objectId: number): void {
  const previous = stmt<[number], { id: number; class_id: number }>(
    db,
    `SELECT id, class_id FROM label_history
     WHERE object_id = ? AND kind != 'undo' AND undone_by IS NULL
     ORDER BY id DESC LIMIT 1`,
  ).get(objectId);
  if (previous) {
    stmt(
      db,
      'INSERT OR REPLACE INTO object_labels (object_id, class_id, event_id) VALUES (?, ?, ?)',
    ).run(objectId, liveClassId(db, previous.class_id), previous.id);
  } else {
    stmt(db, 'DELETE FROM object_labels WHERE object_id = ?').run(objectId);
  }
}

export function currentLabel(db: Db, objectId: number): number | undefined {
  return stmt<[number], { class_id: number }>(
    db,
    'SELECT class_id FROM object_labels WHERE object_id = ?',
  ).get(objectId)?.class_id;
}

/** Labelled objects per live class — the taxonomy sidebar runs this after every keystroke. */
export function classCounts(db: Db): Map<number, number> {
  const rows = stmt<[], { class_id: number; n: number }>(
    db,
    'SELECT class_id, count(*) AS n FROM object_labels GROUP BY class_id',
  ).all();
  return new Map(rows.map((r) => [r.class_id, r.n]));
}

/** Current labels per class, by the round of the event that set them (the history plots). */
export function labelCountsByRound(db: Db): { round: number; classId: number; n: number }[] {
  return stmt<[], { round: number; classId: number; n: number }>(
    db,
    `SELECT e.round AS round, l.class_id AS classId, count(*) AS n
     FROM object_labels l JOIN label_events e ON e.id = l.event_id GROUP BY e.round, l.class_id`,
  ).all();
}

export function countLabelled(db: Db): number {
  return stmt<[], { n: number }>(db, 'SELECT count(*) AS n FROM object_labels').get()!.n;
}

export function labelHistory(db: Db, objectId?: number): LabelEventRow[] {
  if (objectId === undefined) {
    return stmt<[], LabelEventRow>(db, 'SELECT * FROM label_history ORDER BY id').all();
  }
  return stmt<[number], LabelEventRow>(
    db,
    'SELECT * FROM label_history WHERE object_id = ? ORDER BY id',
  ).all(objectId);
}

/** All current labels (object id → live class id), for building a training set. */
export function currentLabels(db: Db): { objectId: number; classId: number }[] {
  return stmt<[], { objectId: number; classId: number }>(
    db,
    'SELECT object_id AS objectId, class_id AS classId FROM object_labels ORDER BY object_id',
  ).all();
}

export function assertObjectExists(db: Db, objectId: number): void {
  const row = stmt<[number], { id: number }>(db, 'SELECT id FROM objects WHERE id = ?').get(
    objectId,
  );
  if (!row) throw new ProjectError('not-found', `There is no object ${objectId} in this project.`);
}
