import type { Db } from './open';
import { nowIso, stmt } from './statement';

export interface ModelRow {
  id: number;
  round: number | null;
  backend: string;
  architecture: string;
  class_map: string;
  weights: Buffer;
  metrics: string | null;
  created_at: string;
}

/** Checkpoints a model: a crash loses at most the round in progress. */
export function saveModel(
  db: Db,
  m: {
    round: number | null;
    backend: string;
    architecture: unknown;
    classMap: number[];
    weights: Uint8Array;
    metrics?: unknown;
  },
): number {
  return stmt<unknown[], { id: number }>(
    db,
    `INSERT INTO models (round, backend, architecture, class_map, weights, metrics, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
  ).get(
    m.round,
    m.backend,
    JSON.stringify(m.architecture),
    JSON.stringify(m.classMap),
    m.weights,
    m.metrics === undefined ? null : JSON.stringify(m.metrics),
    nowIso(),
  )!.id;
}

export function latestModel(db: Db): ModelRow | undefined {
  return stmt<[], ModelRow>(db, 'SELECT * FROM models ORDER BY id DESC LIMIT 1').get();
}

export function countModels(db: Db): number {
  return stmt<[], { n: number }>(db, 'SELECT count(*) AS n FROM models').get()!.n;
}

/** Stores the latest opinion of the model about objects (probs/latent as float32 little-endian). */
export function saveScores(
  db: Db,
  modelId: number,
  rows: { objectId: number; score: number; probs: Float32Array; latent?: Float32Array }[],
): void {
  const upsert = stmt(
    db,
    `INSERT INTO object_scores (object_id, model_id, score, probs, latent) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT(object_id) DO UPDATE SET model_id = excluded.model_id, score = excluded.score,
       probs = excluded.probs, latent = excluded.latent`,
  );
  db.transaction(() => {
    for (const r of rows) {
      upsert.run(
        r.objectId,
        modelId,
        r.score,
        Buffer.from(r.probs.buffer, r.probs.byteOffset, r.probs.byteLength),
        r.latent ? Buffer.from(r.latent.buffer, r.latent.byteOffset, r.latent.byteLength) : null,
      );
    }
  })();
}

export function getScore(
  db: Db,
  objectId: number,
): { score: number; probs: Float32Array; modelId: number } | undefined {
  const row = stmt<[number], { score: number; probs: Buffer; model_id: number }>(
    db,
    'SELECT score, probs, model_id FROM object_scores WHERE object_id = ?',
  ).get(objectId);
  if (!row) return undefined;
  const probs = new Float32Array(new Uint8Array(row.probs).buffer);
  return { score: row.score, probs, modelId: row.model_id };
}

/** Sets the latent vectors of objects that already have a score row (the rest are skipped). */
export function saveLatents(db: Db, rows: { objectId: number; latent: Float32Array }[]): void {
  const update = stmt(db, 'UPDATE object_scores SET latent = ? WHERE object_id = ?');
  db.transaction(() => {
    for (const r of rows) {
      update.run(
        Buffer.from(r.latent.buffer, r.latent.byteOffset, r.latent.byteLength),
        r.objectId,
      );
    }
  })();
}
