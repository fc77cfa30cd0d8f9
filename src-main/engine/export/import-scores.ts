import { readdirSync, statSync } from 'node:fs';
import { readRegularFile } from '../file-io';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { latestTrainedModel, saveScores } from '../store/models';
import type { Project } from '../store/project';
import { objectIdOfUid } from '../store/uids';
import { parseCsv } from '../csv-table';
import { ExportError } from './errors';
import { modelOutputs } from './model-outputs';
import { outputColumnNames } from './score-columns';

export interface ImportScoresResult {
  path: string;
  rows: number;
  modelId: number;
}

/**
 * Loads scores computed elsewhere (the Dask job of scripts/cluster, or any Spark/Ray job)
 * into the project, as the latest model's opinion: the next round and export use them. The
 * input is one CSV file, or the folder a cluster job wrote: every `*.csv` (or `*.csv.gz`) part
 * in it, each with its own header; Spark's `_SUCCESS` and `.crc` files are skipped. A part has
 * a header: uid, score, and one p_<class> column per output of the latest model, named as
 * `ahunt score` names them (column order free, names case-insensitive). All or nothing: any
 * bad row in any part refuses the whole import, naming the file and line, and nothing is
 * written. Parts are read one at a time, so memory follows the largest part, not the survey.
 * The imported rows carry no latent vectors (the latent map needs a local scoring pass).
 */
export function importScores(project: Project, fileOrFolder: string): ImportScoresResult {
  const path = resolve(fileOrFolder);
  const model = latestTrainedModel(project.db);
  if (!model) {
    throw new ExportError(
      `${path}: the project in ${project.dir} has no model to attach scores to; finish a round (or export and train a model) first.`,
      path,
    );
  }
  const parts = scoreParts(path);
  const expected = outputColumnNames(modelOutputs(project.db, model).map((o) => o.name));
  const seen = new Set<number>();
  let rows = 0;
  // One transaction around every part: a bad line in the last part leaves no score behind.
  project.db.transaction(() => {
    for (const part of parts) {
      const toSave = readPart(project, part, model.round, expected, seen);
      saveScores(project.db, model.id, toSave);
      rows += toSave.length;
    }
  })();
  return { path, rows, modelId: model.id };
}

/** The files to read: the file itself, or a folder's CSV parts in name order. */
function scoreParts(path: string): string[] {
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    throw new ExportError(`${path}: cannot be read (${(error as Error).message}).`, path);
  }
  if (!info.isDirectory()) return [path];
  const parts = readdirSync(path)
    .filter((name) => !name.startsWith('.') && !name.startsWith('_') && PART.test(name))
    .sort()
    .map((name) => join(path, name));
  if (parts.length === 0) {
    throw new ExportError(
      `${path}: the folder holds no .csv or .csv.gz part files (a cluster job writes part-*.csv there).`,
      path,
    );
  }
  return parts;
}

const PART = /\.csv(\.gz)?$/i;
/** Larger than any part a job writes (≈ 100 bytes a row), within what one string can hold. */
const MAX_PART_BYTES = 256 * 2 ** 20;

function readPart(
  project: Project,
  path: string,
  modelRound: number | null,
  expected: string[],
  seen: Set<number>,
): { objectId: number; score: number; probs: Float32Array }[] {
  const fail = (why: string) => new ExportError(`${path}: ${why}`, path);
  let text: string;
  try {
    // A regular file only (a pipe would hang the read), and a .gz inflated only up to what a
    // string can hold: a small bomb must not take the machine's memory.
    const { bytes } = readRegularFile(path);
    text = (
      path.toLowerCase().endsWith('.gz')
        ? gunzipSync(bytes, { maxOutputLength: MAX_PART_BYTES })
        : bytes
    ).toString('utf8');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === 'ERR_BUFFER_TOO_LARGE')
      throw fail(
        `inflates to more than ${MAX_PART_BYTES / 2 ** 20} MB; split it into smaller parts.`,
      );
    throw fail(`cannot be read (${e.message}).`);
  }
  const parsed = parseCsv(text);
  if (parsed.problem) throw fail(`${parsed.problem}; the file is incomplete.`);
  const { columns: header, rows } = parsed;
  if (header.length === 0) throw fail('is empty; expected a header row "uid,score,p_<class>,…".');
  const at = new Map(header.map((name, i) => [name.trim().toLowerCase(), i]));
  const missing = ['uid', 'score', ...expected].filter((n) => !at.has(n.toLowerCase()));
  if (missing.length > 0) {
    throw fail(
      `lacks the column(s) ${missing.join(', ')}. The latest model (round ${modelRound ?? '?'}) has outputs ${expected.join(', ')}; score with the model exported from this project.`,
    );
  }
  const extra = header.filter(
    (n) =>
      n.trim().toLowerCase().startsWith('p_') &&
      !expected.some((e) => e.toLowerCase() === n.trim().toLowerCase()),
  );
  if (extra.length > 0) {
    throw fail(
      `has probability column(s) ${extra.join(', ')} that the latest model does not have (${expected.join(', ')}).`,
    );
  }
  const uidAt = at.get('uid')!;
  const scoreAt = at.get('score')!;
  const probAt = expected.map((n) => at.get(n.toLowerCase())!);
  const toSave: { objectId: number; score: number; probs: Float32Array }[] = [];
  rows.forEach((cells, i) => {
    const line = i + 2;
    if (cells.length === 1 && cells[0] === '') return; // a blank line
    if (cells.length !== header.length) {
      throw fail(`line ${line} has ${cells.length} fields but the header has ${header.length}.`);
    }
    const uid = cells[uidAt]!;
    const objectId = objectIdOfUid(project.db, uid);
    if (objectId === undefined)
      throw fail(`line ${line}: "${uid}" is not an object of this project.`);
    if (seen.has(objectId)) throw fail(`line ${line}: "${uid}" appears twice.`);
    seen.add(objectId);
    const number = (text: string, what: string) => {
      const v = text.trim() === '' ? NaN : Number(text);
      if (!Number.isFinite(v)) throw fail(`line ${line}: ${what} "${text}" is not a number.`);
      return v;
    };
    toSave.push({
      objectId,
      score: number(cells[scoreAt]!, 'score'),
      probs: Float32Array.from(probAt, (k, c) => number(cells[k]!, expected[c]!)),
    });
  });
  return toSave;
}
