import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCatalogue, exportCatalogue, type ExportTable } from '../../src-main/engine/export';
import { initBackend } from '../../src-main/engine/learn/backend';
import {
  buildModel,
  disposeModel,
  saveModel as checkpoint,
} from '../../src-main/engine/learn/model';
import { scoreImages } from '../../src-main/engine/learn/score';
import { loadImages } from '../../src-main/engine/store/image-batches';
import {
  createClass,
  createProject,
  findClassByName,
  insertObject,
  mergeClass,
  recordLabel,
  saveModel,
  saveScores,
  setQuestions,
  startRound,
  undoLastLabel,
  recordSource,
  type Project,
} from '../../src-main/engine/store';

export const SIZE = 8;
export const OBJECTS = 24;

const made: string[] = [];

/** Removes every folder tempDir made (each test file calls it in a top-level afterAll). */
export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A fresh folder under the system temp folder; see removeTempDirs. */
export function tempDir(prefix = 'ahunt-export-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** Deterministic pseudo-random numbers (mulberry32), so pixels and scores are reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Fixture {
  project: Project;
  dir: string;
  ids: number[];
  uids: string[];
  /** Class ids (merged ones included). */
  classes: { normal: number; unknown: number; merger: number; tidal: number; ringArc: number };
  modelIds: number[];
}

/** Closes a fixture's project and removes its folder. */
export function closeFixture(f: Fixture): void {
  f.project.close();
  rmSync(f.dir, { recursive: true, force: true });
}

/** A lived project (below) exported as a catalogue in `format` to `fileName` in a temp folder. */
export async function exportedCatalogue(
  format: 'fits' | 'votable',
  fileName: string,
): Promise<{ f: Fixture; table: ExportTable; file: string }> {
  const f = await livedProject();
  const table = buildCatalogue(f.project);
  const file = join(tempDir(), fileName);
  const rows = exportCatalogue(f.project, { format, out: file }).rows;
  if (rows !== OBJECTS) throw new Error(`exported ${rows} rows, expected ${OBJECTS}`);
  return { f, table, file };
}

/** uids that make every format work for its living: quotes, commas, a newline, non-ASCII. */
export function uidFor(i: number): string {
  if (i === 3) return 'obj "3", odd';
  if (i === 5) return 'obj-5-Ωmega';
  if (i === 7) return 'obj <7> & more';
  return `obj-${i}`;
}

/**
 * A project that has lived: two rounds, two models (the second with a class the first lacks),
 * a merged class, undone labels, relabels, imported labels, objects with and without RA/Dec
 * and questions in both rounds.
 *
 * Classes (output index): normal 0, unknown 1 (reserve), merger 2, tidal 3 — tidal is merged
 * into merger after model 1 — and "ring, arc" 4, created in round 2, after model 1.
 */
export async function livedProject(dir = tempDir()): Promise<Fixture> {
  // wasm: the backend CI has everywhere (the engine's 'auto' keeps whatever is running).
  await initBackend('wasm');
  const project = createProject(dir, { name: 'Test "survey", v1' });
  const { db } = project;
  const source = recordSource(
    db,
    {
      path: '/data/frames/a,b.fits',
      size: 1,
      mtimeMs: 1,
      kind: 'fits',
    },
    'ingested',
    0,
  );
  const random = rng(7);
  const ids: number[] = [];
  const uids: string[] = [];
  for (let i = 0; i < OBJECTS; i++) {
    const pixels = Float32Array.from({ length: SIZE * SIZE }, () => random());
    const uid = uidFor(i);
    uids.push(uid);
    ids.push(
      insertObject(db, {
        uid,
        sourceId: source,
        hdu: i % 3 === 0 ? null : i % 2,
        x: 10.5 + i,
        y: 200.25 - i,
        ra: i % 4 === 1 ? null : 150.1 + i * 1e-4,
        dec: i % 4 === 1 ? null : -2.5 - i * 1e-4,
        bands: 1,
        size: SIZE,
        pixelFormat: 'f32',
        pixels: new Uint8Array(pixels.buffer),
      }),
    );
  }
  const classes = {
    normal: findClassByName(db, 'normal')!.id,
    unknown: findClassByName(db, 'unknown')!.id,
    merger: createClass(db, { name: 'merger', kind: 'anomaly' }).id,
    tidal: createClass(db, { name: 'tidal', kind: 'anomaly', interest: 0.5 }).id,
    ringArc: 0,
  };

  // Prior knowledge: imported labels, round 0.
  recordLabel(db, {
    objectId: ids[0]!,
    classId: classes.normal,
    round: 0,
    origin: 'import',
    kind: 'import',
  });
  recordLabel(db, {
    objectId: ids[1]!,
    classId: classes.merger,
    round: 0,
    origin: 'import',
    kind: 'import',
  });

  // Round 1: questions, answers (one relabelled, one undone), model 1 with four outputs.
  const r1 = startRound(db, { strategy: 'most-anomalous', queries: 4 });
  setQuestions(
    db,
    r1.number,
    [2, 3, 4, 5].map((k) => ({ objectId: ids[k]!, classId: null, score: 1 - k / 10 })),
  );
  recordLabel(db, {
    objectId: ids[2]!,
    classId: classes.tidal,
    round: 1,
    origin: 'ui',
    seconds: 2.5,
  });
  recordLabel(db, {
    objectId: ids[3]!,
    classId: classes.normal,
    round: 1,
    origin: 'ui',
    seconds: 1.25,
  });
  recordLabel(db, {
    objectId: ids[3]!,
    classId: classes.merger,
    round: 1,
    origin: 'ui',
    seconds: 3,
  });
  recordLabel(db, {
    objectId: ids[4]!,
    classId: classes.normal,
    round: 1,
    origin: 'ui',
    seconds: 4,
  });
  undoLastLabel(db); // object 4 is unlabelled again
  recordLabel(db, {
    objectId: ids[5]!,
    classId: classes.merger,
    round: 1,
    origin: 'ui',
    seconds: 0.5,
  });
  const model1 = await storeModel(
    project,
    1,
    [classes.normal, classes.unknown, classes.merger, classes.tidal],
    11,
  );

  // Between rounds: tidal is merged into merger; a new class appears in round 2.
  mergeClass(db, classes.tidal, classes.merger);
  classes.ringArc = createClass(db, { name: 'ring, arc', kind: 'anomaly', round: 2 }).id;
  const r2 = startRound(db, { strategy: 'uncertainty', queries: 3 });
  setQuestions(
    db,
    r2.number,
    [6, 3, 8].map((k) => ({ objectId: ids[k]!, classId: null, score: 0.5 })),
  );
  recordLabel(db, {
    objectId: ids[6]!,
    classId: classes.ringArc,
    round: 2,
    origin: 'ui',
    seconds: 6,
  });
  recordLabel(db, { objectId: ids[8]!, classId: classes.normal, round: 2, origin: 'cli' });
  // Object 9: relabelled, then the relabel undone — back to its first answer, no change counted.
  recordLabel(db, {
    objectId: ids[9]!,
    classId: classes.normal,
    round: 2,
    origin: 'ui',
    seconds: 1,
  });
  recordLabel(db, {
    objectId: ids[9]!,
    classId: classes.ringArc,
    round: 2,
    origin: 'ui',
    seconds: 2,
  });
  undoLastLabel(db);
  const model2 = await storeModel(
    project,
    2,
    [classes.normal, classes.unknown, classes.merger, classes.tidal, classes.ringArc],
    12,
    // Objects 0..11 keep model 1's scores (as labelled objects do between rounds).
    ids.slice(12),
  );
  return { project, dir, ids, uids, classes, modelIds: [model1, model2] };
}

/** Trains nothing: a freshly built network is a perfectly good model to export and score with. */
async function storeModel(
  project: Project,
  round: number,
  classMap: number[],
  seed: number,
  scoreIds?: number[],
): Promise<number> {
  const { db } = project;
  const model = buildModel({ size: SIZE, bands: 1, classes: classMap.length, seed });
  try {
    const saved = checkpoint(model);
    const id = saveModel(db, {
      round,
      backend: 'cpu',
      architecture: saved.spec,
      classMap,
      weights: saved.weights,
    });
    const all = db.prepare('SELECT id FROM objects ORDER BY id').pluck().all() as number[];
    const targets = scoreIds ?? all;
    const result = await scoreImages(model, loadImages(db, targets, { size: SIZE, bands: 1 }));
    const k = classMap.length;
    saveScores(
      db,
      id,
      targets.map((objectId, i) => {
        const probs = result.probs.slice(i * k, (i + 1) * k);
        return { objectId, score: probs[2]! + 0.5 * (probs[3] ?? 0), probs };
      }),
    );
    return id;
  } finally {
    disposeModel(model);
  }
}

/** Debian's python with astropy (the pyenv python on PATH has none). */
export const PYTHON = '/usr/bin/python3';

export function hasAstropy(): boolean {
  return spawnSync(PYTHON, ['-c', 'import astropy'], { stdio: 'ignore' }).status === 0;
}

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/** Runs a python snippet with argv and returns its stdout parsed as JSON. */
export function python<T>(script: string, ...args: string[]): T {
  const out = execFileSync(PYTHON, ['-c', script, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return JSON.parse(out) as T;
}
