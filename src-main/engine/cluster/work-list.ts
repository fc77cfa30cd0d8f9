import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCsv } from '../csv-table';
import { ClusterScoringError } from './errors';

/** One object to score: where ingest cut it from, as `ahunt export --format csv` lists it. */
export interface WorkRow {
  uid: string;
  /** The source file as this machine sees it (after the path map). */
  source: string;
  hdu: number | null;
  /** 0-based pixel position in the source image (catalogue objects need it). */
  x: number | null;
  y: number | null;
  /** 1-based line in the work list, for messages. */
  line: number;
}

/** `--path-map FROM=TO`: the survey lives under another folder on the workers than on the desktop. */
export type PathMap = readonly (readonly [from: string, to: string])[];

/** Parses `FROM=TO` arguments; throws a sentence for one without `=`. */
export function parsePathMap(args: readonly string[]): PathMap {
  return args.map((arg) => {
    const at = arg.indexOf('=');
    if (at <= 0) {
      throw new ClusterScoringError(
        `--path-map takes FROM=TO (the survey folder on the desktop = the same folder here), not "${arg}".`,
        arg,
      );
    }
    return [arg.slice(0, at), arg.slice(at + 1)] as const;
  });
}

function mapped(path: string, map: PathMap): string {
  for (const [from, to] of map) if (path.startsWith(from)) return to + path.slice(from.length);
  return path;
}

/**
 * Reads a work list: CSV with a header naming at least `uid` and `source` (and `hdu`, `x`,
 * `y` where ingest had them), i.e. the object list `ahunt export --format csv` writes, or any
 * slice of it; other columns are ignored.
 */
export function readWorkList(file: string, map: PathMap = []): WorkRow[] {
  const path = resolve(file);
  const fail = (why: string) => new ClusterScoringError(`${path}: ${why}`, path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw fail(`cannot be read (${(error as Error).message}).`);
  }
  const parsed = parseCsv(text);
  if (parsed.problem) throw fail(`${parsed.problem}; the work list is incomplete.`);
  const { columns: header, rows } = parsed;
  if (header.length === 0)
    throw fail('is empty; expected the header of `ahunt export --format csv`.');
  const at = new Map(header.map((name, i) => [name.trim().toLowerCase(), i]));
  const missing = ['uid', 'source'].filter((n) => !at.has(n));
  if (missing.length > 0) {
    throw fail(
      `lacks the column(s) ${missing.join(', ')}; give the object list of \`ahunt export <project> --format csv\` (or a slice of it with its header).`,
    );
  }
  const column = (cells: string[], name: string) => {
    const k = at.get(name);
    return k === undefined ? '' : (cells[k] ?? '').trim();
  };
  const work: WorkRow[] = [];
  rows.forEach((cells, i) => {
    const line = i + 2;
    if (cells.length === 1 && cells[0] === '') return; // a blank line
    if (cells.length !== header.length) {
      throw fail(`line ${line} has ${cells.length} fields but the header has ${header.length}.`);
    }
    const number = (name: string): number | null => {
      const text = column(cells, name);
      if (text === '') return null;
      const v = Number(text);
      if (!Number.isFinite(v)) throw fail(`line ${line}: ${name} "${text}" is not a number.`);
      return v;
    };
    const uid = cells[at.get('uid')!]!;
    const source = column(cells, 'source');
    if (uid === '' || source === '') throw fail(`line ${line} has no uid or no source.`);
    work.push({
      uid,
      source: mapped(source, map),
      hdu: number('hdu'),
      x: number('x'),
      y: number('y'),
      line,
    });
  });
  return work;
}
