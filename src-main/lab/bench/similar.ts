import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { latentStride } from '../../engine/hunt/latent-index';
import { LATENT_SAMPLE } from '../../engine/hunt/session';
import { SimilarSearch } from '../../engine/hunt/similar';
import { saveModel, saveScores, storedLatentBytes } from '../../engine/store/models';
import { insertObject } from '../../engine/store/objects';
import { checkpointFully, type Db } from '../../engine/store/open';
import { createProject } from '../../engine/store/project';
import { startRound } from '../../engine/store/rounds';
import { recordSource } from '../../engine/store/sources';
import { intOption, parse } from '../../cli/args';
import { UserError, type Command } from '../../cli/command';

const USAGE = 'ahunt bench similar [--objects N] [--queries N] [--json]';
const DIMS = 64;
/** Scores per transaction, as a round writes them. */
const WRITE_ROWS = 8192;

export interface SimilarBenchResult {
  objects: number;
  latentsKept: number;
  exact: boolean;
  loadBefore: number[];
  loadAfter: number[];
  /** One round's score writes, keeping the old 20,000-vector sample, then the current rule. */
  scoreWriteSeconds: { sample20k: number; current: number };
  /** Latent bytes stored, and the database file, under each rule. */
  latentMB: { sample20k: number; current: number };
  databaseMB: { sample20k: number; current: number };
  /** The first query after a round reads every vector into memory. */
  firstQueryMs: number;
  /** Later queries (the index in memory), k = 24. */
  queryMs: { p50: number; p95: number; max: number };
  indexMB: number;
  rssMB: number;
}

/**
 * `ahunt bench similar`: "more like this" on a project of N objects whose last round kept
 * latent vectors by the session's rule (every object's up to LATENT_SAMPLE, a sample beyond).
 * The vectors are synthetic (clusters + noise, seeded); the search, the store and the writes
 * are the real ones. Pixels are 4×4 (the latents live in their own table's rows).
 */
export async function benchSimilar(opts: {
  objects: number;
  queries: number;
  log: (line: string) => void;
}): Promise<SimilarBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'ahunt-bench-similar-'));
  const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
  try {
    const project = createProject(join(dir, 'project'));
    const { db } = project;
    const ids = insertObjects(db, opts.objects, opts.log);
    // A trained round's model: "more like this" compares with nothing else.
    const trainedRound = startRound(db, { strategy: 'most-anomalous', queries: 8 }).number;
    const modelId = saveModel(db, {
      round: trainedRound,
      backend: 'bench',
      architecture: {},
      classMap: [1, 2],
      weights: new Uint8Array(4),
    });
    const databaseFile = join(dir, 'project', 'ahunt.sqlite');
    const fileMB = () => {
      checkpointFully(db);
      return round(statSync(databaseFile).size / 1e6);
    };
    const latentMB = () => round(storedLatentBytes(db) / 1e6);
    opts.log('first scores (rows created, no latents)');
    writeScores(db, modelId, ids, 0);
    opts.log('a round keeping 20,000 latents');
    const oldSeconds = writeScores(db, modelId, ids, latentStride(ids.length, 20_000));
    const old = { latent: latentMB(), file: fileMB() };
    opts.log(`a round keeping latents by the current rule (${LATENT_SAMPLE})`);
    const stride = latentStride(ids.length, LATENT_SAMPLE);
    const newSeconds = writeScores(db, modelId, ids, stride);
    const now = { latent: latentMB(), file: fileMB() };

    const search = new SimilarSearch(
      db,
      () => ids.length,
      () => Promise.reject(new Error('the benchmark asks only about objects with a vector')),
    );
    const sampled = ids.filter((_, i) => i % stride === 0);
    let s = 99;
    const pick = () => sampled[(s = (s * 16807) % 2147483647) % sampled.length]!;
    let started = performance.now();
    const first = await search.similar(pick(), 24);
    const firstQueryMs = performance.now() - started;
    const times: number[] = [];
    for (let q = 0; q < opts.queries; q++) {
      started = performance.now();
      await search.similar(pick(), 24);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (p: number) =>
      round(times[Math.min(times.length - 1, Math.floor(p * times.length))]!);
    const index = search.loaded!;
    const result: SimilarBenchResult = {
      objects: ids.length,
      latentsKept: first.searched,
      exact: first.exact,
      loadBefore,
      loadAfter: loadavg().map((x) => Math.round(x * 100) / 100),
      scoreWriteSeconds: { sample20k: round(oldSeconds), current: round(newSeconds) },
      latentMB: { sample20k: old.latent, current: now.latent },
      databaseMB: { sample20k: old.file, current: now.file },
      firstQueryMs: round(firstQueryMs),
      queryMs: { p50: at(0.5), p95: at(0.95), max: round(times.at(-1) ?? 0) },
      indexMB: round((index.ids.byteLength + index.vectors.byteLength) / 1e6),
      rssMB: Math.round(process.memoryUsage().rss / 1e6),
    };
    project.close();
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function insertObjects(db: Db, n: number, log: (line: string) => void): number[] {
  const sourceId = recordSource(
    db,
    { path: '/bench/similar', size: 0, mtimeMs: 0, kind: 'generated' },
    'ingested',
    0,
  );
  const ids: number[] = [];
  const pixels = new Uint8Array(64);
  for (let start = 0; start < n; start += 50_000) {
    db.transaction(() => {
      for (let i = start; i < Math.min(n, start + 50_000); i++) {
        ids.push(
          insertObject(db, {
            uid: `b-${i}`,
            sourceId,
            bands: 1,
            size: 4,
            pixelFormat: 'f32',
            pixels,
          }),
        );
      }
    })();
    log(`objects: ${ids.length} / ${n}`);
  }
  return ids;
}

/** One round's score writes; every `stride`-th object keeps a latent (stride 0: none). */
function writeScores(db: Db, modelId: number, ids: number[], stride: number): number {
  let s = 7;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const centres = Array.from({ length: 32 }, () => Float32Array.from({ length: DIMS }, rand));
  const started = performance.now();
  for (let start = 0; start < ids.length; start += WRITE_ROWS) {
    const rows = ids.slice(start, start + WRITE_ROWS).map((objectId, j) => {
      const i = start + j;
      const keep = stride > 0 && i % stride === 0;
      const centre = centres[i % centres.length]!;
      return {
        objectId,
        score: rand(),
        probs: Float32Array.of(0.9, 0.1),
        ...(keep ? { latent: centre.map((c) => c + (rand() - 0.5) * 0.3) } : {}),
      };
    });
    saveScores(db, modelId, rows);
  }
  return (performance.now() - started) / 1000;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

export const benchSimilarCommand: Command = {
  name: 'bench similar',
  summary: '"more like this": latent storage, round write cost and query time at N objects',
  usage: [
    USAGE,
    '',
    'Builds a project of N (default 1,000,000) objects with synthetic latent vectors kept by the',
    "round's rule (every object's up to 200,000, an even sample beyond), times one round's score",
    'writes with the old 20,000-vector sample and with the current rule, the database growth,',
    'the first "more like this" query (reads every vector) and --queries more (default 100).',
    'The project is deleted afterwards.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parse(
      argv,
      { objects: { type: 'string' }, queries: { type: 'string' }, json: { type: 'boolean' } },
      { min: 0, max: 0, usage: USAGE },
    );
    const objects = intOption(values.objects, 'objects', 1_000_000);
    const queries = intOption(values.queries, 'queries', 100);
    if (objects < 100) throw new UserError('--objects must be at least 100.');
    if (queries < 1) throw new UserError('--queries must be at least 1.');
    const result = await benchSimilar({ objects, queries, log: (line) => io.err(line) });
    io.out(values.json ? JSON.stringify(result, null, 2) : formatSimilar(result));
    return 0;
  },
};

function formatSimilar(r: SimilarBenchResult): string {
  return [
    `objects            ${r.objects} (load ${r.loadBefore.join(' ')} → ${r.loadAfter.join(' ')})`,
    `latents kept       ${r.latentsKept} (${r.exact ? 'every object: exact' : 'a sample'})`,
    `round score writes ${r.scoreWriteSeconds.sample20k} s with a 20,000 sample, ${r.scoreWriteSeconds.current} s now`,
    `latent bytes       ${r.latentMB.sample20k} MB with a 20,000 sample, ${r.latentMB.current} MB now`,
    `database           ${r.databaseMB.sample20k} MB with a 20,000 sample, ${r.databaseMB.current} MB now`,
    `first query        ${r.firstQueryMs} ms (reads the vectors: ${r.indexMB} MB in memory)`,
    `queries (k = 24)   p50 ${r.queryMs.p50} ms, p95 ${r.queryMs.p95} ms, max ${r.queryMs.max} ms`,
    `RSS                ${r.rssMB} MB`,
  ].join('\n');
}
