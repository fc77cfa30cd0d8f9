import { resolve } from 'node:path';
import { readRegularFile } from '../file-io';
import { createClass, findClassByName, nextFreeHotkey, type ClassRow } from '../store/classes';
import { currentLabel, recordLabels, type LabelInput } from '../store/labels';
import type { Db } from '../store/open';
import { objectFileKeys, objectIdKeys } from '../store/object-keys';
import { columnIndex, parseCsv } from '../csv-table';
import { IngestError, unreadableInput } from './errors';
import type { IngestIssue, LabelsOptions } from './types';

export interface LabelRow {
  line: number;
  key: string;
  label: string;
}

export interface LabelsFile {
  path: string;
  by: 'file' | 'id';
  rows: LabelRow[];
}

/**
 * Reads a labels CSV before any ingestion starts, so a wrong column name costs nothing.
 * Objects are matched by a `file` column (path relative to the ingested folder, or a
 * basename) or an `id` column (catalogue id or object uid). The label is the `label_name`
 * column when present (Galaxy Zoo style: numbers with names), else `label`.
 */
export function readLabelsFile(options: LabelsOptions): LabelsFile {
  const path = resolve(options.path);
  let text: string;
  try {
    text = readRegularFile(path).bytes.toString('utf8');
  } catch (error) {
    throw unreadableInput('The labels file', path, error);
  }
  return parseLabels(text, { ...options, path });
}

export function parseLabels(text: string, options: LabelsOptions): LabelsFile {
  const file = options.path;
  const { columns, rows, lines, problem } = parseCsv(text);
  const fail = (message: string): never => {
    throw new IngestError('bad-labels', file, `Labels file ${file}: ${message}`);
  };
  if (problem !== null) fail(problem);
  if (columns.length === 0) fail('it is empty; it needs a header row such as "file,label".');
  const need = (name: string, what: string): number => {
    const i = columnIndex(columns, name);
    if (i < 0)
      fail(`has no column "${name}" for ${what} (its columns are: ${columns.join(', ')}).`);
    return i;
  };
  let by: 'file' | 'id';
  let keyColumn: number;
  if (options.id !== undefined) {
    by = 'id';
    keyColumn = need(options.id, 'object ids');
  } else if (options.file !== undefined || columnIndex(columns, 'file') >= 0) {
    by = 'file';
    keyColumn = need(options.file ?? 'file', 'file names');
  } else if (columnIndex(columns, 'id') >= 0) {
    by = 'id';
    keyColumn = columnIndex(columns, 'id');
  } else {
    return fail(
      `needs a "file" or "id" column to find each object (its columns are: ${columns.join(', ')}).`,
    );
  }
  let labelColumn: number;
  if (options.label !== undefined) labelColumn = need(options.label, 'labels');
  else {
    labelColumn = columnIndex(columns, 'label_name');
    if (labelColumn < 0) labelColumn = columnIndex(columns, 'label');
    if (labelColumn < 0)
      fail(`needs a "label_name" or "label" column (its columns are: ${columns.join(', ')}).`);
  }
  const out: LabelRow[] = [];
  const seen = new Map<string, LabelRow>();
  rows.forEach((fields, i) => {
    const key = fields[keyColumn] ?? '';
    const label = fields[labelColumn] ?? '';
    if (key === '') fail(`line ${lines[i]}: the ${columns[keyColumn]} column is empty.`);
    // An empty label means "not labelled": common in exported spreadsheets, not an error.
    if (label === '') return;
    // The same object twice with the same label is harmless (a concatenated export); with
    // two labels nobody can tell which one the user meant, so the file is refused.
    const before = seen.get(key);
    if (before && before.label !== label) {
      fail(
        `line ${lines[i]}: ${by} "${key}" is labelled "${label}" but line ${before.line} labels it ` +
          `"${before.label}"; keep one row per object.`,
      );
    }
    if (before) return;
    const row = { line: lines[i]!, key, label };
    seen.set(key, row);
    out.push(row);
  });
  return { path: file, by, rows: out };
}

export interface LabelImport {
  imported: number;
  unmatched: number;
  classesCreated: string[];
}

/**
 * Records the labels as round-0 'import' events. Names new to the project become anomaly
 * classes (or normal classes when listed in normalClasses). Re-importing is harmless: an
 * object that already carries the same class is left alone, so a resumed ingest does not
 * duplicate history.
 */
export function importLabels(
  db: Db,
  labels: LabelsFile,
  options: Pick<LabelsOptions, 'normalClasses'>,
  issues: IngestIssue[],
): LabelImport {
  const normal = new Set((options.normalClasses ?? []).map((n) => n.trim().toLowerCase()));
  const lookup = objectLookup(db, labels.by);
  const classes = new Map<string, ClassRow>();
  const created: string[] = [];
  const events: LabelInput[] = [];
  let unmatched = 0;
  const plan = () => {
    for (const row of labels.rows) {
      const matches = lookup(row.key);
      if (matches.length !== 1) {
        unmatched++;
        const why =
          matches.length === 0
            ? `no ingested object for ${labels.by} "${row.key}"`
            : `${labels.by} "${row.key}" matches ${matches.length} objects; label them by id instead`;
        issues.push({ path: labels.path, reason: `line ${row.line}: ${why}` });
        continue;
      }
      const klass = classFor(row.label);
      if (currentLabel(db, matches[0]!) === klass.id) continue;
      events.push({
        objectId: matches[0]!,
        classId: klass.id,
        round: 0,
        origin: 'import',
        kind: 'import',
      });
    }
    recordLabels(db, events);
  };
  const classFor = (name: string): ClassRow => {
    let klass = classes.get(name);
    if (klass) return klass;
    klass = findClassByName(db, name);
    if (!klass) {
      const isNormal = normal.has(name.toLowerCase());
      klass = createClass(db, {
        name,
        kind: isNormal ? 'normal' : 'anomaly',
        ...(isNormal ? { hotkey: nextFreeHotkey(db) } : {}),
      });
      created.push(name);
    }
    classes.set(name, klass);
    return klass;
  };
  db.transaction(plan)();
  return { imported: events.length, unmatched, classesCreated: created };
}

/** Object ids for a label key. Built once: 10^5 labels must not each scan the objects table. */
function objectLookup(db: Db, by: 'file' | 'id'): (key: string) => number[] {
  const index = new Map<string, number[]>();
  const add = (k: string, id: number) => {
    const list = index.get(k);
    if (!list) index.set(k, [id]);
    else if (!list.includes(id)) list.push(id);
  };
  if (by === 'id') {
    for (const r of objectIdKeys(db)) {
      add(r.uid, r.id);
      if (r.cid !== null) add(String(r.cid), r.id);
    }
    return (key) => index.get(key) ?? [];
  }
  const rows = objectFileKeys(db);
  const pathOf = new Map<number, string>();
  for (const r of rows) {
    const path = r.path.replace(/\\/g, '/');
    add(path.slice(path.lastIndexOf('/') + 1), r.id);
    if (r.rel) add(r.rel, r.id);
    pathOf.set(r.id, path);
  }
  return (key) => {
    const k = key.replace(/\\/g, '/').replace(/^\.\//, '');
    const direct = index.get(k);
    if (direct) return direct;
    // Folders in the key that differ from the ingested root: same basename, path suffix.
    const base = index.get(k.slice(k.lastIndexOf('/') + 1)) ?? [];
    return base.filter((id) => pathOf.get(id)!.endsWith(`/${k}`));
  };
}
