import type { Db } from './open';
import { stmt } from './statement';

/** One reviewed object (labelled, or with a note or flag) as the review batch lists it. */
export interface FoundObjectRow {
  objectId: number;
  uid: string;
  file: string;
  labelId: number | null;
  labelledAt: string | null;
  note: string;
  uncertain: number;
}

export interface FindFilter {
  /** A live class: its labelled objects only, newest label first. */
  classId: number | null;
  /** A LIKE pattern (already escaped with \) matched against uid, file and note; null: any. */
  pattern: string | null;
  uncertainOnly: boolean;
  offset: number;
  limit: number;
}

// The same filter is written out in each statement: SQL here is fixed text (no pieces).
// A class gallery walks object_labels_class_newest backwards: newest label first, no sort.
const CLASS_PAGE_SQL = `
  SELECT l.object_id AS objectId, o.uid, s.path AS file, l.class_id AS labelId,
         e.at AS labelledAt, coalesce(a.note, '') AS note, coalesce(a.uncertain, 0) AS uncertain
  FROM object_labels l
  JOIN label_events e ON e.id = l.event_id
  JOIN objects o ON o.id = l.object_id
  JOIN sources s ON s.id = o.source_id
  LEFT JOIN object_annotations a ON a.object_id = l.object_id
  WHERE l.class_id = @classId
    AND (@uncertainOnly = 0 OR a.uncertain = 1)
    AND (@pattern IS NULL OR o.uid LIKE @pattern ESCAPE '\\' OR s.path LIKE @pattern ESCAPE '\\'
         OR a.note LIKE @pattern ESCAPE '\\')
  ORDER BY l.event_id DESC LIMIT @limit OFFSET @offset`;

const CLASS_COUNT_SQL = `
  SELECT count(*) AS n
  FROM object_labels l
  JOIN objects o ON o.id = l.object_id
  JOIN sources s ON s.id = o.source_id
  LEFT JOIN object_annotations a ON a.object_id = l.object_id
  WHERE l.class_id = @classId
    AND (@uncertainOnly = 0 OR a.uncertain = 1)
    AND (@pattern IS NULL OR o.uid LIKE @pattern ESCAPE '\\' OR s.path LIKE @pattern ESCAPE '\\'
         OR a.note LIKE @pattern ESCAPE '\\')`;

// Everything reviewed: labelled objects and annotated ones (a note or flag on an object not
// labelled yet), the most recently touched first. At 10^4 labels this is a pass over them and
// a primary-key probe per row, never a pass over the objects.
const ANY_PAGE_SQL = `
  SELECT t.object_id AS objectId, o.uid, s.path AS file, l.class_id AS labelId,
         e.at AS labelledAt, coalesce(a.note, '') AS note, coalesce(a.uncertain, 0) AS uncertain
  FROM (SELECT object_id FROM object_labels UNION SELECT object_id FROM object_annotations) t
  JOIN objects o ON o.id = t.object_id
  JOIN sources s ON s.id = o.source_id
  LEFT JOIN object_labels l ON l.object_id = t.object_id
  LEFT JOIN label_events e ON e.id = l.event_id
  LEFT JOIN object_annotations a ON a.object_id = t.object_id
  LEFT JOIN annotation_events ae ON ae.id = a.event_id
  WHERE (@uncertainOnly = 0 OR a.uncertain = 1)
    AND (@pattern IS NULL OR o.uid LIKE @pattern ESCAPE '\\' OR s.path LIKE @pattern ESCAPE '\\'
         OR a.note LIKE @pattern ESCAPE '\\')
  ORDER BY max(coalesce(e.at, ''), coalesce(ae.at, '')) DESC, t.object_id DESC
  LIMIT @limit OFFSET @offset`;

const ANY_COUNT_SQL = `
  SELECT count(*) AS n
  FROM (SELECT object_id FROM object_labels UNION SELECT object_id FROM object_annotations) t
  JOIN objects o ON o.id = t.object_id
  JOIN sources s ON s.id = o.source_id
  LEFT JOIN object_annotations a ON a.object_id = t.object_id
  WHERE (@uncertainOnly = 0 OR a.uncertain = 1)
    AND (@pattern IS NULL OR o.uid LIKE @pattern ESCAPE '\\' OR s.path LIKE @pattern ESCAPE '\\'
         OR a.note LIKE @pattern ESCAPE '\\')`;

/** One page of reviewed objects matching the filter, and how many match in all. */
export function findObjects(db: Db, f: FindFilter): { total: number; rows: FoundObjectRow[] } {
  const params = {
    classId: f.classId,
    pattern: f.pattern,
    uncertainOnly: f.uncertainOnly ? 1 : 0,
    limit: f.limit,
    offset: f.offset,
  };
  const { limit: _l, offset: _o, ...countParams } = params;
  if (f.classId !== null) {
    const total = stmt<[object], { n: number }>(db, CLASS_COUNT_SQL).get(countParams)!.n;
    return { total, rows: stmt<[object], FoundObjectRow>(db, CLASS_PAGE_SQL).all(params) };
  }
  const { classId: _c, ...anyCount } = countParams;
  const { classId: _c2, ...anyPage } = params;
  const total = stmt<[object], { n: number }>(db, ANY_COUNT_SQL).get(anyCount)!.n;
  return { total, rows: stmt<[object], FoundObjectRow>(db, ANY_PAGE_SQL).all(anyPage) };
}

/** `text` as a LIKE pattern that matches it anywhere, its own % _ \ taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
