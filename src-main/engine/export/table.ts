/**
 * The in-memory table every export format is written from: named, typed columns with units
 * and UCDs, stored column-wise (what a FITS binary table wants) plus what the file is about.
 */

/** int: 32-bit integers (null allowed); float: float32; double: float64; string: UTF-8 text. */
export type ColumnType = 'string' | 'int' | 'float' | 'double';

/** Cell value: null when unknown (numbers), '' for an empty string. NaN never appears. */
export type Cell = string | number | null;

export interface TableColumn {
  name: string;
  type: ColumnType;
  unit?: string;
  /** IVOA UCD1+ (checked against astropy's controlled vocabulary in the tests). */
  ucd?: string;
  description: string;
  values: Cell[];
}

export interface ExportMeta {
  /** The project's name. */
  project: string;
  /** The latest round number, or null before the first round. */
  round: number | null;
  /** The latest model checkpoint, or null when none was trained yet. */
  model: { id: number; round: number | null } | null;
  /** Software that wrote the file, e.g. "ahunt 0.1.0". */
  software: string;
  /** When the export was made (ISO 8601 UTC). */
  exportedAt: string;
}

export interface ExportTable {
  /** What the table holds, e.g. "catalogue" or "label-history". */
  kind: string;
  meta: ExportMeta;
  columns: TableColumn[];
  rows: number;
  /** The project object of each row, where rows are objects (SAMP maps a highlighted row back). */
  objectIds?: number[];
}

export const SOFTWARE = 'ahunt 0.1.0';

/**
 * Integer columns hold rounds, ranks, HDU numbers and counts, all ≥ 0, so −1 can stand for
 * "no value" where a format needs an in-band null (FITS TNULL, VOTable VALUES null).
 */
export const INT_NULL = -1;

/** Turns a class name into a column-name fragment: letters, digits and underscores only. */
export function sanitiseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9_]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Column names for per-class values, prefixed and unique ignoring case (FITS readers and
 * astropy look columns up case-insensitively); a clash or an empty name gets the class id.
 */
export function classColumnNames(
  prefix: string,
  classes: readonly { id: number; name: string }[],
  taken: readonly string[] = [],
): string[] {
  const used = new Set(taken.map((n) => n.toLowerCase()));
  return classes.map((c) => {
    const base = sanitiseName(c.name);
    let name = base ? `${prefix}${base}` : `${prefix}class${c.id}`;
    if (used.has(name.toLowerCase())) name = `${name}_${c.id}`;
    for (let n = 2; used.has(name.toLowerCase()); n++) name = `${prefix}${base}_${c.id}_${n}`;
    used.add(name.toLowerCase());
    return name;
  });
}
