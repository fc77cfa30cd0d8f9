import { catalogueRows } from '../store/catalogue-rows';
import { listClasses } from '../store/classes';
import { latestTrainedModel } from '../store/models';
import type { Project } from '../store/project';
import { latestRound } from '../store/rounds';
import { getMeta } from '../store/settings';
import {
  classColumnNames,
  SOFTWARE,
  type ExportMeta,
  type ExportTable,
  type TableColumn,
} from './table';
import { fixedColumns } from './catalogue-columns';
import { probabilityMapper } from './class-probabilities';

export interface CatalogueOptions {
  /** Only objects that currently have a label. */
  labelledOnly?: boolean;
}

/** What the export is about: project, latest round and model, software, time. */
export function exportMeta(project: Project): ExportMeta {
  const { db } = project;
  const model = latestTrainedModel(db);
  return {
    project: getMeta(db, 'name') ?? '',
    round: latestRound(db)?.number ?? null,
    model: model ? { id: model.id, round: model.round } : null,
    software: SOFTWARE,
    exportedAt: new Date().toISOString(),
  };
}

/**
 * The labelled catalogue: one row per object (or per labelled object). Definitions:
 * - class/class_kind: the current label, after merges (the live class); empty when unlabelled.
 * - label_round/labelled_at: round and time (ISO 8601 UTC) of the event that set the current label.
 * - seconds_spent: expert seconds over all the object's label events, undone ones included
 *   (the time was spent); null when no time was recorded.
 * - label_changes: events that are still in force (not undone), beyond the first; 0 when the
 *   object was labelled once or never.
 * - note/uncertain: the expert's note ('' when none) and flag (1 = uncertain, else 0), as they
 *   stand now; their changes are in the history export.
 * - asked_round/asked_rank: the latest round that asked about it and its rank there (1 = first).
 * - score/p_<class>: the stored opinion of the model that last scored the object (score_round
 *   says which round's model; labelled objects keep the score from before they were labelled).
 *   p_<class> is per live class: a merged class's column adds to the class it was merged into;
 *   a class the model predates has no probability (null).
 */
export function buildCatalogue(project: Project, options: CatalogueOptions = {}): ExportTable {
  const { db } = project;
  const live = listClasses(db);
  const probabilityOf = probabilityMapper(db, live);
  const rows = catalogueRows(db, options.labelledOnly ?? false);

  const fixed = fixedColumns();
  const pColumns: TableColumn[] = classColumnNames(
    'p_',
    live,
    fixed.map((c) => c.name),
  ).map((name, i) => ({
    name,
    type: 'float',
    ucd: 'stat.probability',
    description: `model probability of class ${live[i]!.name}`,
    values: [],
  }));
  const byName = new Map(fixed.map((c) => [c.name, c.values]));
  const push = (name: string, value: string | number | null) => byName.get(name)!.push(value);
  // Source paths and class names repeat on every row: keep one string each, not 10^6 copies.
  const interned = new Map<string, string>();
  const intern = (v: string) => interned.get(v) ?? (interned.set(v, v), v);
  let count = 0;
  const objectIds: number[] = [];
  for (const r of rows) {
    objectIds.push(r.object_id);
    push('uid', r.uid);
    push('source', intern(r.source));
    push('hdu', r.hdu);
    push('x', r.x);
    push('y', r.y);
    push('ra', finiteOrNull(r.ra));
    push('dec', finiteOrNull(r.dec));
    push('class', intern(r.class_name ?? ''));
    push('class_kind', intern(r.class_kind ?? ''));
    push('label_round', r.label_round);
    push('labelled_at', r.labelled_at ?? '');
    push('seconds_spent', r.seconds_spent);
    push('label_changes', Math.max(0, (r.effective_events ?? 0) - 1));
    push('note', r.note ?? '');
    push('uncertain', r.uncertain ?? 0);
    push('asked_round', r.asked_round);
    push('asked_rank', r.asked_rank === null ? null : r.asked_rank + 1);
    push('score', finiteOrNull(r.score));
    push('score_round', r.score_model === null ? null : r.score_round);
    const p = r.probs && r.score_model !== null ? probabilityOf(r.score_model, r.probs) : null;
    pColumns.forEach((column, i) => column.values.push(p ? p[i]! : null));
    count++;
  }
  return {
    kind: 'catalogue',
    meta: exportMeta(project),
    columns: [...fixed, ...pColumns],
    rows: count,
    objectIds,
  };
}

function finiteOrNull(v: number | null): number | null {
  return v === null || !Number.isFinite(v) ? null : v;
}
