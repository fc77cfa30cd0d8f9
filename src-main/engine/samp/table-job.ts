// Narrow imports: the worker bundles only what a table needs (not the model or ONNX exports).
import { buildCatalogue } from '../export/build-catalogue';
import { writeTable } from '../export/catalogue';
import type { ExportTable } from '../export/table';
import { listClasses } from '../store/classes';
import { openProject } from '../store/project';

/** Which rows of the catalogue to send, and where to write them. */
export interface TableJob {
  dir: string;
  out: string;
  labelledOnly: boolean;
  /** Only this class's objects. */
  classId?: number;
  /** Only these objects. */
  objectIds?: number[];
}

export type TableJobResult =
  | { ok: true; path: string; rows: number; what: string; objectIds: number[] }
  | { ok: false; message: string };

/**
 * Builds the catalogue (or one class of it, or a selection) and writes it as a VOTable, on its
 * own read-only connection: the work of a send, done in a worker thread (table-worker.ts) so
 * a 10^5-row table never holds up the thread that answers the keyboard.
 */
export function runTableJob(job: TableJob): TableJobResult {
  const project = openProject(job.dir, { readonly: true });
  try {
    let table = buildCatalogue(project, { labelledOnly: job.labelledOnly });
    let what = 'catalogue';
    if (job.classId !== undefined) {
      const cls = listClasses(project.db).find((c) => c.id === job.classId);
      if (!cls) return { ok: false, message: `There is no class ${job.classId}.` };
      const classes = table.columns.find((c) => c.name === 'class')!.values;
      table = keepRows(table, (row) => classes[row] === cls.name);
      what = `class ${cls.name}`;
    } else if (job.objectIds !== undefined) {
      const chosen = new Set(job.objectIds);
      const ids = table.objectIds ?? [];
      table = keepRows(table, (row) => chosen.has(ids[row]!));
      what = 'selection';
    }
    if (table.rows === 0) return { ok: false, message: `The ${what} has no objects to send.` };
    const { path } = writeTable(table, 'votable', job.out);
    return { ok: true, path, rows: table.rows, what, objectIds: table.objectIds ?? [] };
  } finally {
    project.close();
  }
}

/** A copy of the table with only the rows `keep` accepts. */
export function keepRows(table: ExportTable, keep: (row: number) => boolean): ExportTable {
  const rows: number[] = [];
  for (let r = 0; r < table.rows; r++) if (keep(r)) rows.push(r);
  return {
    ...table,
    columns: table.columns.map((c) => ({ ...c, values: rows.map((r) => c.values[r] ?? null) })),
    rows: rows.length,
    objectIds: rows.map((r) => table.objectIds![r]!),
  };
}
