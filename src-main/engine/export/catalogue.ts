import { resolve } from 'node:path';
import { assertSafeOutput } from '../store/output-guard';
import type { Project } from '../store/project';
import { writeFileAtomic } from './atomic-write';
import { buildCatalogue, type CatalogueOptions } from './build-catalogue';
import { writeCsv } from './csv';
import { ExportError } from './errors';
import { writeFitsTable } from './fits';
import { writeJson } from './json';
import type { ExportTable } from './table';
import { writeVoTable } from './votable';

import { tableFormats, type TableFormat } from '../../contract/contract';

export type { TableFormat };
export const TABLE_FORMATS: readonly TableFormat[] = tableFormats;

export interface ExportResult {
  /** Absolute path of the file written. */
  path: string;
  rows: number;
}

export interface CatalogueExportOptions extends CatalogueOptions {
  format: TableFormat;
  out: string;
}

/** Writes the project's labelled catalogue (see buildCatalogue for what each column means). */
export function exportCatalogue(project: Project, options: CatalogueExportOptions): ExportResult {
  const out = assertSafeOutput(project, options.out, 'file');
  return writeTable(buildCatalogue(project, options), options.format, out);
}

/** Writes any export table in one of the four formats, atomically. */
export function writeTable(table: ExportTable, format: TableFormat, out: string): ExportResult {
  const path = resolve(out);
  if (!TABLE_FORMATS.includes(format)) {
    throw new ExportError(
      `"${String(format)}" is not an export format; use one of ${TABLE_FORMATS.join(', ')}.`,
      path,
    );
  }
  writeFileAtomic(path, (sink) => {
    if (format === 'csv') writeCsv(table, sink);
    else if (format === 'fits') writeFitsTable(table, sink, path);
    else if (format === 'votable') writeVoTable(table, sink);
    else writeJson(table, sink);
  });
  return { path, rows: table.rows };
}
