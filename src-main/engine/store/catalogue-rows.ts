import type { Db } from './open';

/** One object as the exported catalogue sees it (export/build-catalogue.ts defines the columns). */
export interface CatalogueRow {
  object_id: number;
  uid: string;
  source: string;
  hdu: number | null;
  x: number | null;
  y: number | null;
  ra: number | null;
  dec: number | null;
  class_name: string | null;
  class_kind: string | null;
  label_round: number | null;
  labelled_at: string | null;
  seconds_spent: number | null;
  effective_events: number | null;
  note: string | null;
  uncertain: number | null;
  asked_round: number | null;
  asked_rank: number | null;
  score: number | null;
  probs: Buffer | null;
  score_model: number | null;
  score_round: number | null;
}

// One pass over the objects. Per-object aggregates come from grouped sub-queries so that a
// 10^6-object project is one sequential scan per table rather than a query per object.
const CATALOGUE_SQL = `
  SELECT o.id AS object_id, o.uid, s.path AS source, o.hdu, o.x, o.y, o.ra, o.dec,
         c.name AS class_name, c.kind AS class_kind,
         e.round AS label_round, e.at AS labelled_at,
         h.seconds_spent, h.effective_events, an.note, an.uncertain,
         q.round AS asked_round, q.rank AS asked_rank,
         sc.score, sc.probs, sc.model_id AS score_model, m.round AS score_round
  FROM objects o
  JOIN sources s ON s.id = o.source_id
  LEFT JOIN object_labels l ON l.object_id = o.id
  LEFT JOIN classes c ON c.id = l.class_id
  LEFT JOIN label_events e ON e.id = l.event_id
  LEFT JOIN (
    SELECT object_id,
           sum(CASE WHEN kind = 'label' THEN seconds END) AS seconds_spent,
           sum(CASE WHEN undone_by IS NULL THEN 1 ELSE 0 END) AS effective_events
    FROM label_history WHERE kind != 'undo' GROUP BY object_id
  ) h ON h.object_id = o.id
  LEFT JOIN (
    -- SQLite takes the bare columns (rank) from the row that holds max(round).
    SELECT object_id, max(round) AS round, rank FROM questions GROUP BY object_id
  ) q ON q.object_id = o.id
  LEFT JOIN object_annotations an ON an.object_id = o.id
  LEFT JOIN object_scores sc ON sc.object_id = o.id
  LEFT JOIN models m ON m.id = sc.model_id
  WHERE (? = 0 OR l.object_id IS NOT NULL)
  ORDER BY o.id`;

/** Every object (or every labelled one) with its label, time spent, question and score, by id. */
export function catalogueRows(db: Db, labelledOnly: boolean): IterableIterator<CatalogueRow> {
  return db.prepare(CATALOGUE_SQL).iterate(labelledOnly ? 1 : 0) as IterableIterator<CatalogueRow>;
}
