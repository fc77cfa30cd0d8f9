import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { latestModel, saveScores } from '../store/models';
import type { Project } from '../store/project';
import { objectIdOfUid } from '../store/uids';
import { parseCsv } from './csv';
import { ExportError } from './errors';
import { modelOutputs } from './model';
import { outputColumnNames } from './score-project';

export interface ImportScoresResult {
  path: string;
  rows: number;
  modelId: number;
}

/**
 * Loads scores computed elsewhere (e.g. Spark/Ray workers running the exported model.onnx)
 * into the project, as the latest model's opinion: the next round and export use them. The
 * file is CSV with a header: uid, score, and one p_<class> column per output of the latest
 * model, named as `ahunt score` names them (column order free, names case-insensitive).
 * All or nothing: any bad row refuses the whole file, naming the line.
 * The imported rows carry no latent vectors (the latent map needs a local scoring pass).
 */
export function importScores(project: Project, file: string): ImportScoresResult {
  const path = resolve(file);
  const fail = (why: string) => new ExportError(`${path}: ${why}`, path);
  const model = latestModel(project.db);
  if (!model) {
    throw fail(
      `the project in ${project.dir} has no model to attach scores to; finish a round (or export and train a model) first.`,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw fail(`cannot be read (${(error as Error).message}).`);
  }
  const parsed = parseCsv(text);
  if (parsed.error) throw fail(`${parsed.error}; the file is incomplete.`);
  const [header, ...rows] = parsed.rows;
  if (!header) throw fail('is empty; expected a header row "uid,score,p_<class>,…".');
  const at = new Map(header.map((name, i) => [name.trim().toLowerCase(), i]));
  const outputs = modelOutputs(project.db, model);
  const expected = outputColumnNames(outputs.map((o) => o.name));
  const missing = ['uid', 'score', ...expected].filter((n) => !at.has(n.toLowerCase()));
  if (missing.length > 0) {
    throw fail(
      `lacks the column(s) ${missing.join(', ')}. The latest model (round ${model.round ?? '?'}) has outputs ${expected.join(', ')}; score with the model exported from this project.`,
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
  const seen = new Set<number>();
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
  saveScores(project.db, model.id, toSave);
  return { path, rows: toSave.length, modelId: model.id };
}
