import type { Db } from './open';
import { nowIso, stmt } from './statement';

export type RoundStatus = 'scoring' | 'asking' | 'training' | 'done' | 'cancelled';

export interface RoundRow {
  number: number;
  status: RoundStatus;
  strategy: string;
  queries: number;
  backend: string | null;
  started_at: string;
  finished_at: string | null;
  score_seconds: number | null;
  train_seconds: number | null;
  metrics: string | null;
}

export interface QuestionRow {
  round: number;
  rank: number;
  object_id: number;
  class_id: number | null;
  score: number;
  why: string | null;
}

export function startRound(
  db: Db,
  r: { strategy: string; queries: number; backend?: string | null },
): RoundRow {
  return stmt<unknown[], RoundRow>(
    db,
    `INSERT INTO rounds (number, status, strategy, queries, backend, started_at)
     VALUES ((SELECT coalesce(max(number), 0) + 1 FROM rounds), 'scoring', ?, ?, ?, ?)
     RETURNING *`,
  ).get(r.strategy, r.queries, r.backend ?? null, nowIso())!;
}

export function setRoundStatus(db: Db, round: number, status: RoundStatus): void {
  const finished = status === 'done' || status === 'cancelled' ? nowIso() : null;
  stmt(
    db,
    'UPDATE rounds SET status = ?, finished_at = coalesce(?, finished_at) WHERE number = ?',
  ).run(status, finished, round);
}

export function setRoundTimings(
  db: Db,
  round: number,
  t: { scoreSeconds?: number; trainSeconds?: number; backend?: string },
): void {
  stmt(
    db,
    `UPDATE rounds SET score_seconds = coalesce(?, score_seconds),
       train_seconds = coalesce(?, train_seconds), backend = coalesce(?, backend) WHERE number = ?`,
  ).run(t.scoreSeconds ?? null, t.trainSeconds ?? null, t.backend ?? null, round);
}

export function setRoundMetrics(db: Db, round: number, metrics: Record<string, unknown>): void {
  stmt(db, 'UPDATE rounds SET metrics = ? WHERE number = ?').run(JSON.stringify(metrics), round);
}

export function getRound(db: Db, round: number): RoundRow | undefined {
  return stmt<[number], RoundRow>(db, 'SELECT * FROM rounds WHERE number = ?').get(round);
}

export function latestRound(db: Db): RoundRow | undefined {
  return stmt<[], RoundRow>(db, 'SELECT * FROM rounds ORDER BY number DESC LIMIT 1').get();
}

export function listRounds(db: Db): RoundRow[] {
  return stmt<[], RoundRow>(db, 'SELECT * FROM rounds ORDER BY number').all();
}

export interface NewQuestion {
  objectId: number;
  classId: number | null;
  score: number;
  why?: string;
}

/** Stores a round's questions in rank order; they survive restarts until answered. */
export function setQuestions(db: Db, round: number, questions: NewQuestion[]): void {
  db.transaction(() => {
    stmt(db, 'DELETE FROM questions WHERE round = ?').run(round);
    const insert = stmt(
      db,
      'INSERT INTO questions (round, rank, object_id, class_id, score, why) VALUES (?, ?, ?, ?, ?, ?)',
    );
    questions.forEach((q, rank) =>
      insert.run(round, rank, q.objectId, q.classId, q.score, q.why ?? null),
    );
  })();
}

export function roundQuestions(db: Db, round: number): QuestionRow[] {
  return stmt<[number], QuestionRow>(
    db,
    'SELECT * FROM questions WHERE round = ? ORDER BY rank',
  ).all(round);
}

/** The first question of a round still unanswered — run after every label (auto-advance). */
export function nextQuestion(db: Db, round: number, afterRank = -1): QuestionRow | undefined {
  return stmt<[number, number], QuestionRow>(
    db,
    `SELECT q.* FROM questions q
     WHERE q.round = ? AND q.rank > ?
       AND NOT EXISTS (SELECT 1 FROM object_labels l WHERE l.object_id = q.object_id)
     ORDER BY q.rank LIMIT 1`,
  ).get(round, afterRank);
}
