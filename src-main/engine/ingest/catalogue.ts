import { basename, resolve } from 'node:path';
import { readRegularFile } from '../file-io';
import { columnIndex, firstColumn, parseCsv } from '../csv-table';
import { IngestError, unreadableInput } from './errors';
import type { CatalogueOptions } from './types';

/** One catalogue row, with positions already parsed and checked. */
export interface CatalogueEntry {
  /** 0-based row number among data rows: errors and object metadata refer to it. */
  row: number;
  line: number;
  id: string;
  ra: number | null;
  dec: number | null;
  /** 0-based pixel coordinates (converted from the catalogue's convention). */
  x: number | null;
  y: number | null;
  /** Frame the row belongs to (as written in the catalogue), or null for "every frame". */
  file: string | null;
}

export interface Catalogue {
  path: string;
  size: number;
  mtimeMs: number;
  system: 'world' | 'pixel';
  entries: CatalogueEntry[];
}

const RA_NAMES = ['ra', 'ra_deg', 'raj2000', '_raj2000', 'alpha_j2000', 'ra_icrs'];
const DEC_NAMES = ['dec', 'dec_deg', 'decj2000', 'dej2000', '_dej2000', 'delta_j2000', 'de_icrs'];
const X_NAMES = ['x', 'x_image', 'xcentroid', 'x_pix'];
const Y_NAMES = ['y', 'y_image', 'ycentroid', 'y_pix'];
const ID_NAMES = ['id', 'objid', 'obj_id', 'source_id', 'name', 'number'];
const FILE_NAMES = ['file', 'frame', 'image', 'filename'];

/** The column names a catalogue's columns are recognised by, when not named explicitly. */
export const CATALOGUE_COLUMN_NAMES = {
  ra: RA_NAMES,
  dec: DEC_NAMES,
  x: X_NAMES,
  y: Y_NAMES,
  id: ID_NAMES,
  file: FILE_NAMES,
} as const;

/**
 * Reads a catalogue of positions. RA/Dec columns win over x/y unless x/y are named
 * explicitly. Every row is checked before anything is ingested: a catalogue with one bad
 * row is refused as a whole, naming the line, because silently dropping rows would leave
 * holes the user cannot see.
 */
export function readCatalogue(options: CatalogueOptions): Catalogue {
  const path = resolve(options.path);
  let text: string;
  let stats;
  try {
    const read = readRegularFile(path);
    stats = read.stats;
    text = read.bytes.toString('utf8');
  } catch (error) {
    throw unreadableInput('The catalogue', path, error);
  }
  return parseCatalogue(text, { ...options, path }, stats.size, Math.trunc(stats.mtimeMs));
}

export function parseCatalogue(
  text: string,
  options: CatalogueOptions,
  size = text.length,
  mtimeMs = 0,
): Catalogue {
  const file = options.path;
  const table = parseCsv(text);
  const { columns } = table;
  const fail = (message: string): never => {
    throw new IngestError('bad-catalogue', file, `Catalogue ${file}: ${message}`);
  };
  if (table.problem !== null) fail(table.problem);
  if (columns.length === 0) fail('it is empty; it needs a header row such as "id,ra,dec".');
  const pick = (explicit: string | undefined, names: readonly string[], what: string): number => {
    if (explicit === undefined) return firstColumn(columns, names);
    const i = columnIndex(columns, explicit);
    if (i < 0) {
      fail(`has no column "${explicit}" for ${what} (its columns are: ${columns.join(', ')}).`);
    }
    return i;
  };
  const pixelAsked = options.x !== undefined || options.y !== undefined;
  const worldAsked = options.ra !== undefined || options.dec !== undefined;
  let system: 'world' | 'pixel';
  let a: number;
  let b: number;
  if (pixelAsked && !worldAsked) {
    system = 'pixel';
    a = pick(options.x ?? 'x', X_NAMES, 'x');
    b = pick(options.y ?? 'y', Y_NAMES, 'y');
  } else {
    const ra = pick(options.ra, RA_NAMES, 'RA');
    const dec = pick(options.dec, DEC_NAMES, 'Dec');
    if (ra >= 0 && dec >= 0) {
      system = 'world';
      a = ra;
      b = dec;
    } else {
      system = 'pixel';
      a = firstColumn(columns, X_NAMES);
      b = firstColumn(columns, Y_NAMES);
      if (a < 0 || b < 0) {
        fail(
          `found no position columns: it needs RA and Dec (e.g. "ra","dec"; name them with ` +
            `--ra/--dec) or pixel x and y (--x/--y). Its columns are: ${columns.join(', ')}.`,
        );
      }
    }
  }
  const idColumn = pick(options.id, ID_NAMES, 'the object id');
  const fileColumn = pick(options.file, FILE_NAMES, 'the frame file');
  const origin = options.pixelOrigin ?? 1;
  const seenIds = new Map<string, number>();
  const entries: CatalogueEntry[] = table.rows.map((fields, row) => {
    const line = table.lines[row]!;
    const cell = (i: number) => (i >= 0 ? (fields[i] ?? '') : '');
    const name = (i: number) => columns[i] ?? '?';
    const id = idColumn >= 0 ? cell(idColumn) : String(row + 1);
    if (id === '') fail(`line ${line}: the ${name(idColumn)} column is empty.`);
    const first = seenIds.get(id);
    if (first !== undefined) {
      fail(`line ${line}: id "${id}" appears twice (also on line ${first}); ids must be unique.`);
    }
    seenIds.set(id, line);
    const frame = fileColumn >= 0 ? cell(fileColumn) || null : null;
    if (system === 'world') {
      const ra = parseRa(cell(a));
      const dec = parseDec(cell(b));
      if (ra === null) {
        fail(
          `line ${line}: ${name(a)} "${cell(a)}" is not a right ascension (degrees 0–360 or hh:mm:ss).`,
        );
      }
      if (dec === null) {
        fail(
          `line ${line}: ${name(b)} "${cell(b)}" is not a declination (degrees −90–90 or ±dd:mm:ss).`,
        );
      }
      return { row, line, id, ra, dec, x: null, y: null, file: frame };
    }
    const x = Number(cell(a));
    const y = Number(cell(b));
    if (cell(a) === '' || !Number.isFinite(x))
      fail(`line ${line}: ${name(a)} "${cell(a)}" is not a number.`);
    if (cell(b) === '' || !Number.isFinite(y))
      fail(`line ${line}: ${name(b)} "${cell(b)}" is not a number.`);
    return { row, line, id, ra: null, dec: null, x: x - origin, y: y - origin, file: frame };
  });
  if (entries.length === 0) fail('has a header but no rows.');
  return { path: file, size, mtimeMs, system, entries };
}

/** Decimal degrees, or sexagesimal hours "hh:mm:ss.s" / "hh mm ss.s". */
export function parseRa(text: string): number | null {
  const t = text.trim();
  const parts = sexagesimal(t);
  const degrees = parts ? 15 * (parts[0] + parts[1] / 60 + parts[2] / 3600) : decimal(t);
  if (degrees === null || degrees < 0 || degrees >= 360) return null;
  return degrees;
}

/** Decimal degrees, or sexagesimal "±dd:mm:ss.s". */
export function parseDec(text: string): number | null {
  const t = text.trim();
  const parts = sexagesimal(t.replace(/^[+-]/, ''));
  let degrees: number | null;
  if (parts) {
    const magnitude = parts[0] + parts[1] / 60 + parts[2] / 3600;
    degrees = t.startsWith('-') ? -magnitude : magnitude;
  } else degrees = decimal(t);
  if (degrees === null || degrees < -90 || degrees > 90) return null;
  return degrees;
}

function decimal(text: string): number | null {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return null;
  return Number(text);
}

function sexagesimal(text: string): [number, number, number] | null {
  const m = /^(\d{1,3})[:\s]+(\d{1,2})[:\s]+(\d{1,2}(?:\.\d*)?)$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[2]);
  const seconds = Number(m[3]);
  if (minutes >= 60 || seconds >= 60) return null;
  return [Number(m[1]), minutes, seconds];
}

/** Does a catalogue row's frame name refer to this file? Matches a relative path suffix or the basename. */
export function entryMatchesFile(entry: CatalogueEntry, path: string, rel: string): boolean {
  if (entry.file === null) return true;
  const wanted = entry.file.replace(/\\/g, '/');
  const normal = path.replace(/\\/g, '/');
  return (
    wanted === rel ||
    normal.endsWith(`/${wanted}`) ||
    (!wanted.includes('/') && wanted === basename(path))
  );
}
