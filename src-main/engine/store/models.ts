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

/**
 * The model the next training continues from: the latest one, the warm start's included (its
 * encoder is what the first trained round starts from; its softmax head was never trained).
 */
export function latestModel(db: Db): ModelRow | undefined {
  return stmt<[], ModelRow>(db, 'SELECT * FROM models ORDER BY id DESC LIMIT 1').get();
}

/**
 * The model whose opinion counts: the latest one a round trained (round set). The warm start's
 * model (round null) is left out: its head never saw a label, so its probabilities, scores and
 * exports would be noise presented as a ranking. Before a round has trained there is none, and
 * a round is asked from the pixels (the cold start), as in a project without a warm start.
 */
export function latestTrainedModel(db: Db): ModelRow | undefined {
  return stmt<[], ModelRow>(
    db,
    'SELECT * FROM models WHERE round IS NOT NULL ORDER BY id DESC LIMIT 1',
  ).get();
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
  const write = db.transaction(() => {
    for (const r of rows) {
      upsert.run(
        r.objectId,
        modelId,
        r.score,
        Buffer.from(r.probs.buffer, r.probs.byteOffset, r.probs.byteLength),
        r.latent ? Buffer.from(r.latent.buffer, r.latent.byteOffset, r.latent.byteLength) : null,
      );
    }
  });
  // Scores name objects read from the objects table a moment ago (objects are never deleted)
  // and a model saved before them. Checking each reference again reads the object's row, a
  // page of an 8 KB cutout per score: about 15 µs a score with the checks, 5 without (measured
  // at 200,000 objects), on the thread that answers the keyboard. Switched back before anything else can run on this
  // connection; inside a caller's transaction the pragma does nothing and the checks stay.
  if (db.inTransaction) {
    write();
    return;
  }
  db.pragma('foreign_keys = OFF');
  try {
    write();
  } finally {
    db.pragma('foreign_keys = ON');
  }
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

/** Output index → class id of a stored model, or [] when there is no such model. */
export function modelClassMap(db: Db, modelId: number): number[] {
  const row = stmt<[number], { class_map: string }>(
    db,
    'SELECT class_map FROM models WHERE id = ?',
  ).get(modelId);
  return row ? (JSON.parse(row.class_map) as number[]) : [];
}

export interface LatentRow {
  objectId: number;
  score: number;
  latent: Uint8Array;
  classId: number | null;
}

/** Objects with a latent vector: every labelled one first, then the highest scores, up to `limit`. */
/** Bytes of latent vectors stored (what keeping more of them costs the project). */
export function storedLatentBytes(db: Db): number {
  return stmt<[], { b: number }>(db, 'SELECT total(length(latent)) AS b FROM object_scores').get()!
    .b;
}

export function latentRows(db: Db, limit: number): LatentRow[] {
  return stmt<[number], LatentRow>(
    db,
    `SELECT s.object_id AS objectId, s.score AS score, s.latent AS latent, l.class_id AS classId
     FROM object_scores s LEFT JOIN object_labels l ON l.object_id = s.object_id
     WHERE s.latent IS NOT NULL
     ORDER BY (l.class_id IS NULL), s.score DESC LIMIT ?`,
  ).all(limit);
}

/**
 * The latent vectors a model wrote for objects `fromId`…`toId`, in object id order: the
 * "more like this" index reads them a range at a time (a rowid range: no other index needed).
 */
export function latentsOfModel(
  db: Db,
  modelId: number,
  fromId: number,
  toId: number,
): { objectId: number; latent: Uint8Array }[] {
  return stmt<[number, number, number], { objectId: number; latent: Uint8Array }>(
    db,
    `SELECT object_id AS objectId, latent FROM object_scores
     WHERE object_id BETWEEN ? AND ? AND model_id = ? AND latent IS NOT NULL ORDER BY object_id`,
  ).all(fromId, toId, modelId);
}
