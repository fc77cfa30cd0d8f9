import type { Db } from './open';

/** One label event as the history export sees it. */
export interface LabelHistoryRow {
  id: number;
  uid: string;
  round: number;
  kind: string;
  class_name: string | null;
  class_kind: string | null;
  live_name: string | null;
  undoes: number | null;
  undone_by: number | null;
  seconds: number | null;
  origin: string;
  at: string;
}

// The class an event names is kept as it was (history is never rewritten); live_class says
// what it stands for now, after merges (a recursive walk along merged_into).
const HISTORY_SQL = `
  WITH RECURSIVE live(id, live_id, hops) AS (
    SELECT id, id, 0 FROM classes
    UNION ALL
    SELECT live.id, c.merged_into, live.hops + 1 FROM live JOIN classes c ON c.id = live.live_id
    WHERE c.merged_into IS NOT NULL AND live.hops < 100
  ),
  resolved AS (SELECT id, live_id FROM live l WHERE hops = (SELECT max(hops) FROM live WHERE id = l.id))
  SELECT h.id, o.uid, h.round, h.kind, c.name AS class_name, c.kind AS class_kind,
         lc.name AS live_name, h.undoes, h.undone_by, h.seconds, h.origin, h.at
  FROM label_history h
  JOIN objects o ON o.id = h.object_id
  LEFT JOIN classes c ON c.id = h.class_id
  LEFT JOIN resolved r ON r.id = h.class_id
  LEFT JOIN classes lc ON lc.id = r.live_id
  ORDER BY h.id`;

/** Every label event in order, undo events included, with the class it names now. */
export function labelHistoryRows(db: Db): IterableIterator<LabelHistoryRow> {
  return db.prepare(HISTORY_SQL).iterate() as IterableIterator<LabelHistoryRow>;
}
