import type { Db } from './open';
import { nowIso, stmt } from './statement';
import type { LabelOrigin } from './labels';

/** An object's note and "uncertain" flag as they stand now. */
export interface Annotation {
  note: string;
  uncertain: boolean;
}

export interface AnnotationEventRow {
  id: number;
  object_id: number;
  uid: string;
  note: string;
  uncertain: number;
  round: number;
  origin: string;
  at: string;
}

const none: Annotation = { note: '', uncertain: false };

export function currentAnnotation(db: Db, objectId: number): Annotation {
  const row = stmt<[number], { note: string; uncertain: number }>(
    db,
    'SELECT note, uncertain FROM object_annotations WHERE object_id = ?',
  ).get(objectId);
  return row ? { note: row.note, uncertain: row.uncertain === 1 } : { ...none };
}

/**
 * Appends an annotation event holding the object's whole annotation after the change (what
 * is not given stays as it was) and updates the derived current state, in one transaction.
 * A change to what already stands writes nothing: the history records changes, not key presses.
 */
export function recordAnnotation(
  db: Db,
  a: { objectId: number; note?: string; uncertain?: boolean; round: number; origin: LabelOrigin },
): { annotation: Annotation; eventId: number | null } {
  return db.transaction(() => {
    const before = currentAnnotation(db, a.objectId);
    const after: Annotation = {
      note: a.note ?? before.note,
      uncertain: a.uncertain ?? before.uncertain,
    };
    if (after.note === before.note && after.uncertain === before.uncertain) {
      return { annotation: after, eventId: null };
    }
    const event = stmt<unknown[], { id: number }>(
      db,
      `INSERT INTO annotation_events (object_id, note, uncertain, round, origin, at)
       VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
    ).get(a.objectId, after.note, after.uncertain ? 1 : 0, a.round, a.origin, nowIso())!;
    if (after.note === '' && !after.uncertain) {
      stmt(db, 'DELETE FROM object_annotations WHERE object_id = ?').run(a.objectId);
    } else {
      stmt(
        db,
        `INSERT INTO object_annotations (object_id, note, uncertain, event_id) VALUES (?, ?, ?, ?)
         ON CONFLICT(object_id) DO UPDATE SET note = excluded.note,
           uncertain = excluded.uncertain, event_id = excluded.event_id`,
      ).run(a.objectId, after.note, after.uncertain ? 1 : 0, event.id);
    }
    return { annotation: after, eventId: event.id };
  })();
}

/**
 * The round's asked objects whose label is flagged uncertain: one query for the whole grid,
 * since the round's state is read on every keystroke.
 */
export function uncertainInRound(db: Db, round: number): Set<number> {
  const rows = stmt<[number], { object_id: number }>(
    db,
    `SELECT a.object_id FROM object_annotations a JOIN questions q ON q.object_id = a.object_id
     WHERE q.round = ? AND a.uncertain = 1`,
  ).all(round);
  return new Set(rows.map((r) => r.object_id));
}

/** One object's annotation events, oldest first (the object's history). */
export function annotationHistory(db: Db, objectId: number): AnnotationEventRow[] {
  return stmt<[number], AnnotationEventRow>(
    db,
    `SELECT e.*, o.uid FROM annotation_events e JOIN objects o ON o.id = e.object_id
     WHERE e.object_id = ? ORDER BY e.id`,
  ).all(objectId);
}

/** Every annotation event in order, for the history export. */
export function annotationEventRows(db: Db): IterableIterator<AnnotationEventRow> {
  return db
    .prepare(
      `SELECT e.*, o.uid FROM annotation_events e JOIN objects o ON o.id = e.object_id
       ORDER BY e.id`,
    )
    .iterate() as IterableIterator<AnnotationEventRow>;
}
