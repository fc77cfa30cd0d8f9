// Narrow imports: the worker bundles only what a table needs (not the model or ONNX exports).
import { buildCatalogue } from '../export/build-catalogue';
import { writeTable } from '../export/catalogue';
import type { ExportTable } from '../export/table';
import { listClasses } from '../store/classes';
import { openProject } from '../store/project';

/** Which rows of the catalogue to send, and where to write them. */
export interface TableJob {
  dir: string;
  /** Where to write the table as a VOTable, when a listener needs one. */
  votable: string | null;
  /** Where to write it as a FITS binary table, when a listener takes table.load.fits. */
  fits: string | null;
  labelledOnly: boolean;
  /** Only this class's objects. */
  classId?: number;
  /** Only these objects. */
  objectIds?: number[];
}

export type TableJobResult =
  | {
      ok: true;
      /** The files written (a VOTable is added when FITS would lose characters; see below). */
      votable: string | null;
      fits: string | null;
      /** The table has text FITS cannot hold (only printable ASCII): its FITS file has '?'s. */
      fitsLossy: boolean;
      rows: number;
      what: string;
      objectIds: number[];
    }
  | { ok: false; message: string };

/**
 * Builds the catalogue (or one class of it, or a selection) and writes it as a VOTable and/or
 * a FITS table (whichever the listeners take; see SampLink.sendTable), on its
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
    const fits = job.fits === null ? null : writeTable(table, 'fits', job.fits).path;
    // FITS strings are printable ASCII; a class named "Spirale à bras" would arrive with a
    // '?', so a peer that also reads VOTable gets the VOTable instead.
    const fitsLossy = fits !== null && !asciiOnly(table);
    const votablePath = job.votable ?? (fitsLossy ? job.fits!.replace(/\.fits$/, '.vot') : null);
    const votable = votablePath === null ? null : writeTable(table, 'votable', votablePath).path;
    return {
      ok: true,
      votable,
      fits,
      fitsLossy,
      rows: table.rows,
      what,
      objectIds: table.objectIds ?? [],
    };
  } finally {
    project.close();
  }
}

/**
 * Every text cell is printable ASCII without trailing spaces: what a FITS string column holds
 * as it is (readers strip the padding, and with it any trailing space of our own).
 */
export function asciiOnly(table: ExportTable): boolean {
  const lossy = /[^\x20-\x7e]| $/;
  return table.columns.every(
    (c) => c.type !== 'string' || c.values.every((v) => typeof v !== 'string' || !lossy.test(v)),
  );
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
