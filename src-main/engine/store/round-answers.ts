import type { Db } from './open';
import { stmt } from './statement';

/** One question as the history sees it: whether its round got an answer, and what it is now. */
export interface AnsweredQuestion {
  round: number;
  rank: number;
  objectId: number;
  /** The object was asked in an earlier round too (left unanswered there). */
  reasked: boolean;
  /**
   * This question is the one the object's standing label answers: the label was given in this
   * round or later, before the object was asked again. An object answers one question at most.
   */
  answered: boolean;
  /** The object's current (live) class and its kind; null while it has no label. */
  classId: number | null;
  classKind: string | null;
}

/**
 * Every question ever asked, in round and rank order, each attributed its answer once.
 *
 * An unanswered question can be asked again in a later round; the label the expert finally
 * gives answers only the latest asking before it, so the earlier round counts it as skipped
 * instead of answered. Undone labels answer nothing. Two queries over the questions (small:
 * rounds × batch size) and the label events of asked objects (the object index), joined here.
 */
export function answeredQuestions(db: Db): AnsweredQuestion[] {
  const questions = stmt<
    [],
    { round: number; rank: number; objectId: number; classId: number | null; kind: string | null }
  >(
    db,
    `SELECT q.round, q.rank, q.object_id AS objectId, l.class_id AS classId, c.kind
     FROM questions q
     LEFT JOIN object_labels l ON l.object_id = q.object_id
     LEFT JOIN classes c ON c.id = l.class_id
     ORDER BY q.round, q.rank`,
  ).all();
  const labelRounds = stmt<[], { objectId: number; round: number }>(
    db,
    `SELECT DISTINCT e.object_id AS objectId, e.round
     FROM label_events e
     WHERE e.kind = 'label' AND e.object_id IN (SELECT object_id FROM questions)
       AND NOT EXISTS (SELECT 1 FROM label_events u WHERE u.undoes = e.id)`,
  ).all();

  const askedIn = new Map<number, number[]>();
  for (const q of questions) {
    const rounds = askedIn.get(q.objectId);
    if (rounds) rounds.push(q.round);
    else askedIn.set(q.objectId, [q.round]);
  }
  // The question a standing label answers: the object's latest asking at or before its round.
  const answeredKeys = new Set<string>();
  for (const { objectId, round } of labelRounds) {
    const asked = askedIn.get(objectId) ?? [];
    let answeredRound: number | null = null;
    for (const r of asked) if (r <= round) answeredRound = r;
    if (answeredRound !== null) answeredKeys.add(`${answeredRound}:${objectId}`);
  }
  const seen = new Set<number>();
  return questions.map((q) => {
    const reasked = seen.has(q.objectId);
    seen.add(q.objectId);
    const answered = answeredKeys.has(`${q.round}:${q.objectId}`);
    return {
      round: q.round,
      rank: q.rank,
      objectId: q.objectId,
      reasked,
      answered,
      classId: q.classId,
      classKind: q.kind,
    };
  });
}

/** Labelled objects now, and how many of them came with the data (imported, round 0). */
export function labelTotals(db: Db): { labelled: number; anomalies: number; imported: number } {
  return stmt<[], { labelled: number; anomalies: number; imported: number }>(
    db,
    `SELECT count(*) AS labelled,
            coalesce(sum(c.kind = 'anomaly'), 0) AS anomalies,
            coalesce(sum(e.kind = 'import'), 0) AS imported
     FROM object_labels l
     JOIN classes c ON c.id = l.class_id
     JOIN label_events e ON e.id = l.event_id`,
  ).get()!;
}
