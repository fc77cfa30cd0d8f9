import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCatalogue,
  CLASSES_FILE,
  exportModel,
  importScores,
  parseCsv,
  scoreWithModelFolder,
} from '../../src-main/engine/export';
import { loadImages } from '../../src-main/engine/store/image-batches';
import { disposeModel, loadModel } from '../../src-main/engine/learn/model';
import { loadModelFolder, loadOnnxRuntime } from '../../src-main/engine/learn/onnx';
import { scoreImages } from '../../src-main/engine/learn/score';
import type { ModelSpec } from '../../src-main/engine/learn/types';
import { createProject, getScore, latestModel } from '../../src-main/engine/store';
import { livedProject, OBJECTS, SIZE, tempDir, type Fixture, removeTempDirs } from './helpers';

/** CSV text → header + rows of strings. */
function readCsv(file: string): { header: string[]; rows: string[][] } {
  const { columns, rows: records, problem: error } = parseCsv(readFileSync(file, 'utf8'));
  const rows = [columns, ...records];
  expect(error).toBeNull();
  const [header, ...body] = rows;
  return { header: header!, rows: body };
}

afterAll(removeTempDirs);

describe('model export, scoring with the folder, importing scores', () => {
  let f: Fixture;
  let modelDir: string;
  let expected: Float32Array; // the stored checkpoint's probabilities for every object, by tfjs
  beforeAll(async () => {
    f = await livedProject();
    modelDir = join(tempDir(), 'model');
    const row = latestModel(f.project.db)!;
    const model = loadModel({
      spec: JSON.parse(row.architecture) as Required<ModelSpec>,
      weights: row.weights,
    });
    expected = (await scoreImages(model, loadImages(f.project.db, f.ids, { size: SIZE, bands: 1 })))
      .probs;
    disposeModel(model);
  });
  afterAll(() => {
    f.project.close();
    rmSync(f.dir, { recursive: true, force: true });
  });

  it('writes tfjs + ONNX + manifest + classes JSON for the latest checkpoint', async () => {
    const result = await exportModel(f.project, modelDir);
    expect(result.modelId).toBe(f.modelIds[1]);
    expect(readdirSync(modelDir).sort()).toEqual([
      CLASSES_FILE,
      'ahunt-model.json',
      'model.json',
      'model.onnx',
      'weights.bin',
    ]);
    const classes = JSON.parse(readFileSync(join(modelDir, CLASSES_FILE), 'utf8'));
    expect(classes.model).toMatchObject({ id: f.modelIds[1], round: 2 });
    expect(classes.reserve).toBe(1);
    expect(classes.normalisation.method).toBe('asinh-percentile-per-object-band');
    expect(
      classes.outputs.map(
        (o: { name: string; kind: string; liveName: string; interest: number }) => [
          o.name,
          o.kind,
          o.liveName,
          o.interest,
        ],
      ),
    ).toEqual([
      ['normal', 'normal', 'normal', 0],
      ['unknown', 'reserve', 'unknown', 1],
      ['merger', 'anomaly', 'merger', 1],
      ['tidal', 'anomaly', 'merger', 0], // merged: counts through merger's column only
      ['ring, arc', 'anomaly', 'ring, arc', 1],
    ]);
    const loaded = await loadModelFolder(modelDir);
    expect(loaded.meta.classes).toEqual(['normal', 'unknown', 'merger', 'tidal', 'ring, arc']);
    expect(loaded.meta.interest).toEqual([0, 1, 1, 0, 1]);
    expect(loaded.manifest.input).toMatchObject({ size: SIZE, bands: 1 });
    disposeModel(loaded.model);
  });

  for (const engine of ['tfjs', 'auto'] as const) {
    it(`scores every object with the folder (${engine}) as the stored checkpoint does`, async () => {
      const out = join(tempDir(), `scores-${engine}.csv`);
      const result = await scoreWithModelFolder(f.project, modelDir, { out, engine, batchSize: 7 });
      expect(result.rows).toBe(OBJECTS);
      // Without onnxruntime-node on this platform, 'auto' falls back to tfjs.
      const ort = await loadOnnxRuntime().then(
        () => true,
        () => false,
      );
      expect(result.backend).toBe(engine === 'auto' && ort ? 'onnxruntime' : 'tfjs-wasm');
      const { header, rows } = readCsv(out);
      expect(header).toEqual([
        'uid',
        'score',
        'p_normal',
        'p_unknown',
        'p_merger',
        'p_tidal',
        'p_ring_arc',
      ]);
      expect(rows.map((r) => r[0])).toEqual(f.uids);
      rows.forEach((r, i) => {
        const p = r.slice(2).map(Number);
        p.forEach((v, c) => expect(v).toBeCloseTo(expected[i * 5 + c]!, 5));
        expect(Number(r[1])).toBeCloseTo(p[1]! + p[2]! + p[4]!, 6);
      });
    });
  }

  it("imports scores computed elsewhere as the latest model's, and the catalogue shows them", () => {
    const file = join(tempDir(), 'from-spark.csv');
    // Columns in another order, another case: what a Spark job might write.
    const lines = ['P_RING_ARC,uid,p_tidal,score,p_merger,p_unknown,p_normal'];
    f.uids.forEach((uid, i) => {
      const q = (i + 1) / 100;
      lines.push([0.1, `"${uid.replace(/"/g, '""')}"`, 0.2, q, 0.3, 0.15, 0.25].join(','));
    });
    writeFileSync(file, `${lines.join('\n')}\n`);
    const result = importScores(f.project, file);
    expect(result).toMatchObject({ rows: OBJECTS, modelId: f.modelIds[1] });
    const stored = getScore(f.project.db, f.ids[3]!)!;
    expect(stored.score).toBeCloseTo(0.04, 12);
    expect(Array.from(stored.probs)).toEqual([0.25, 0.15, 0.3, 0.2, 0.1].map(Math.fround));
    const table = buildCatalogue(f.project);
    const col = (name: string) => table.columns.find((c) => c.name === name)!.values;
    expect(col('score_round').every((r) => r === 2)).toBe(true);
    expect(col('p_merger')[0]).toBe(Math.fround(Math.fround(0.3) + Math.fround(0.2)));
    expect(col('p_ring_arc')[0]).toBe(Math.fround(0.1));
  });

  it('refuses a scores file that does not fit, naming the file and what is wrong, and changes nothing', () => {
    const before = getScore(f.project.db, f.ids[0]!)!;
    const bad = (name: string, text: string) => {
      const file = join(tempDir(), name);
      writeFileSync(file, text);
      return () => importScores(f.project, file);
    };
    const header = 'uid,score,p_normal,p_unknown,p_merger,p_tidal,p_ring_arc';
    expect(bad('a.csv', 'uid,score,p_normal\nobj-0,1,1\n')).toThrow(
      /a\.csv: lacks the column\(s\) p_unknown, p_merger, p_tidal, p_ring_arc/,
    );
    expect(bad('b.csv', `${header},p_spiral\nobj-0,1,1,0,0,0,0,0\n`)).toThrow(
      /b\.csv: has probability column\(s\) p_spiral/,
    );
    expect(bad('c.csv', `${header}\nobj-0,1,1,0,0,0,0\nnobody,1,1,0,0,0,0\n`)).toThrow(
      /c\.csv: line 3: "nobody" is not an object/,
    );
    expect(bad('d.csv', `${header}\nobj-0,high,1,0,0,0,0\n`)).toThrow(
      /d\.csv: line 2: score "high" is not a number/,
    );
    expect(bad('e.csv', `${header}\nobj-0,1,1,0,0\n`)).toThrow(
      /e\.csv: line 2 has 5 fields but the header has 7/,
    );
    expect(bad('f.csv', `${header}\n"obj-0,1,1,0,0,0,0\n`)).toThrow(
      /f\.csv: line \d+: a quoted field \("\) is never closed/,
    );
    expect(getScore(f.project.db, f.ids[0]!)).toEqual(before);
  });

  it('says what to do when the project has no model yet', async () => {
    const empty = createProject(tempDir());
    await expect(exportModel(empty, join(tempDir(), 'm'))).rejects.toThrow(
      /has no trained model yet; finish a round/,
    );
    expect(() => importScores(empty, '/nonexistent.csv')).toThrow(
      /has no model to attach scores to/,
    );
    empty.close();
  });
});
