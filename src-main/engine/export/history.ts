import { annotationEventRows, type AnnotationEventRow } from '../store/annotations';
import { labelHistoryRows, type LabelHistoryRow } from '../store/label-history-rows';
import { assertSafeOutput } from '../store/output-guard';
import type { Project } from '../store/project';
import { exportMeta } from './build-catalogue';
import { writeTable, type ExportResult, type TableFormat } from './catalogue';
import type { ExportTable, TableColumn } from './table';

/**
 * Every label event, in order, for provenance: undo events are rows of their own (kind
 * "undo", naming the event they undo), and every event that was later undone is flagged
 * (undone = 1, undone_by = the undo event). Notes and uncertain flags are events too (kind
 * "annotation", numbered in their own sequence), merged in by time, each with the object's
 * note and flag after it; label rows leave those two columns empty.
 */
export function buildHistory(project: Project): ExportTable {
  const column = (c: Omit<TableColumn, 'values'>): TableColumn => ({ ...c, values: [] });
  const columns = [
    column({
      name: 'event',
      type: 'int',
      ucd: 'meta.id;meta.main',
      description: 'label event id (annotation event id for kind annotation)',
    }),
    column({ name: 'uid', type: 'string', ucd: 'meta.id', description: 'object id' }),
    column({ name: 'round', type: 'int', ucd: 'meta.number', description: 'round (0 = imported)' }),
    column({
      name: 'kind',
      type: 'string',
      ucd: 'meta.code',
      description: 'label, import, undo or annotation',
    }),
    column({
      name: 'class',
      type: 'string',
      ucd: 'src.class',
      description: 'class named by the event',
    }),
    column({ name: 'class_kind', type: 'string', ucd: 'meta.code.class', description: 'its kind' }),
    column({
      name: 'live_class',
      type: 'string',
      ucd: 'src.class',
      description: 'that class now, after merges',
    }),
    column({
      name: 'undoes',
      type: 'int',
      ucd: 'meta.id.cross',
      description: 'event this undo undoes',
    }),
    column({
      name: 'undone',
      type: 'int',
      ucd: 'meta.code',
      description: '1 when a later event undid this one',
    }),
    column({ name: 'undone_by', type: 'int', ucd: 'meta.id.cross', description: 'the undo event' }),
    column({
      name: 'seconds',
      type: 'double',
      unit: 's',
      ucd: 'time.duration',
      description: 'expert time',
    }),
    column({
      name: 'origin',
      type: 'string',
      ucd: 'meta.code',
      description: 'ui, cli, api, import or oracle',
    }),
    column({
      name: 'at',
      type: 'string',
      ucd: 'time.creation',
      description: 'time (ISO 8601 UTC)',
    }),
    column({
      name: 'note',
      type: 'string',
      ucd: 'meta.note',
      description: "annotation: the object's note after it",
    }),
    column({
      name: 'uncertain',
      type: 'int',
      ucd: 'meta.code.qual',
      description: 'annotation: 1 when the object is flagged uncertain after it',
    }),
  ];
  const [
    event,
    uid,
    round,
    kind,
    cls,
    classKind,
    liveClass,
    undoes,
    undone,
    undoneBy,
    seconds,
    origin,
    at,
    note,
    uncertain,
  ] = columns.map((c) => c.values);
  let rows = 0;
  for (const r of byTime(labelHistoryRows(project.db), annotationEventRows(project.db))) {
    rows++;
    if ('note' in r) {
      event!.push(r.id);
      uid!.push(r.uid);
      round!.push(r.round);
      kind!.push('annotation');
      for (const c of [cls, classKind, liveClass]) c!.push('');
      for (const c of [undoes, undone, undoneBy, seconds]) c!.push(null);
      origin!.push(r.origin);
      at!.push(r.at);
      note!.push(r.note);
      uncertain!.push(r.uncertain);
      continue;
    }
    event!.push(r.id);
    uid!.push(r.uid);
    round!.push(r.round);
    kind!.push(r.kind);
    cls!.push(r.class_name ?? '');
    classKind!.push(r.class_kind ?? '');
    liveClass!.push(r.live_name ?? '');
    undoes!.push(r.undoes);
    undone!.push(r.undone_by === null ? 0 : 1);
    undoneBy!.push(r.undone_by);
    seconds!.push(r.seconds);
    origin!.push(r.origin);
    at!.push(r.at);
    note!.push('');
    uncertain!.push(null);
  }
  return { kind: 'label-history', meta: exportMeta(project), columns, rows };
}

/** Two event streams, each in time order, as one (a label before an annotation at the same time). */
function* byTime(
  labels: Iterator<LabelHistoryRow>,
  annotations: Iterator<AnnotationEventRow>,
): Generator<LabelHistoryRow | AnnotationEventRow> {
  let l = labels.next();
  let a = annotations.next();
  while (!l.done || !a.done) {
    if (!l.done && (a.done || l.value.at <= a.value.at)) {
      yield l.value;
      l = labels.next();
    } else if (!a.done) {
      yield a.value;
      a = annotations.next();
    }
  }
}

/** The label history as a file (CSV unless told otherwise). */
export function exportHistory(
  project: Project,
  out: string,
  format: TableFormat = 'csv',
): ExportResult {
  return writeTable(buildHistory(project), format, assertSafeOutput(project, out, 'file'));
}
