/**
 * `csv:<file>`: a header row with at least `file` and `label` columns; paths are relative to
 * the CSV's folder. Labels may be names or numbers; an optional `label_name` column names
 * numeric labels (as in Galaxy Zoo's labels.csv). Class indices follow the sorted labels
 * (numerically when every label is a number).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../../engine/csv-table';
import { decodeImageFiles } from './image-files';
import { DatasetError } from './types';
import type { LabelledImages, LoadOptions } from './types';

export async function loadCsv(file: string, options: LoadOptions = {}): Promise<LabelledImages> {
  if (!existsSync(file)) throw new DatasetError(`CSV file ${file} does not exist.`);
  const table = parseCsv(readFileSync(file, 'utf8'));
  if (table.problem) throw new DatasetError(`${file}: ${table.problem}`);
  const header = table.columns.map((h) => h.toLowerCase());
  const fileCol = header.indexOf('file');
  const labelCol = header.indexOf('label');
  const nameCol = header.indexOf('label_name');
  if (fileCol < 0 || labelCol < 0) {
    throw new DatasetError(
      `${file} needs a header row with "file" and "label" columns; found: ${header.join(', ')}.`,
    );
  }
  const base = path.dirname(file);
  const rows: Array<{ path: string; label: string; name: string }> = [];
  table.rows.forEach((cells, i) => {
    const line = table.lines[i]!;
    const rel = cells[fileCol];
    const label = cells[labelCol];
    if (!rel || label === undefined || label === '') {
      throw new DatasetError(`${file} line ${line} lacks a file or a label.`);
    }
    const name = (nameCol >= 0 ? cells[nameCol] : undefined) || label;
    if (options.classes && !options.classes.includes(name) && !options.classes.includes(label))
      return;
    const full = path.resolve(base, rel);
    if (!existsSync(full))
      throw new DatasetError(`${file} line ${line}: image ${full} does not exist.`);
    rows.push({ path: full, label, name });
  });
  if (rows.length === 0)
    throw new DatasetError(`${file} lists no images (after the class filter).`);
  const distinct = Array.from(new Set(rows.map((r) => r.label)));
  const numeric = distinct.every((l) => /^-?\d+$/.test(l));
  distinct.sort(numeric ? (a, b) => Number(a) - Number(b) : undefined);
  const indexOf = new Map(distinct.map((l, i) => [l, i]));
  const nameOf = new Map(rows.map((r) => [r.label, r.name]));
  const classNames = distinct.map((l) => nameOf.get(l)!);
  const images = await decodeImageFiles(
    rows.map((r) => r.path),
    options,
  );
  const labels = Int32Array.from(rows.map((r) => indexOf.get(r.label)!));
  return { images, labels, classNames, source: `csv:${file}` };
}
