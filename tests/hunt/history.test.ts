/**
 * The history view against the database: a session with questions left unanswered and asked
 * again, a relabel, undos and a label given outside the questions, every figure of
 * historyView recomputed here with SQL of its own.
 */
import { describe, expect, it } from 'vitest';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { HuntSession } from '../../src-main/engine/hunt/session';
import { historyView } from '../../src-main/engine/hunt/views';
import { findClassByName, type Db } from '../../src-main/engine/store';
import { tempDir } from '../store/helpers';
import { syntheticProject } from './synthetic';

/** Answered per the definition, in one SQL statement: the latest asking at or before a standing label. */
const ANSWERED_SQL = `
  SELECT q.round, q.object_id AS objectId, c.kind AS kind
  FROM questions q
  LEFT JOIN object_labels l ON l.object_id = q.object_id
  LEFT JOIN classes c ON c.id = l.class_id
  WHERE EXISTS (
    SELECT 1 FROM label_history e
    WHERE e.object_id = q.object_id AND e.kind = 'label' AND e.undone_by IS NULL
      AND e.round >= q.round
      AND NOT EXISTS (SELECT 1 FROM questions q2
                      WHERE q2.object_id = q.object_id AND q2.round > q.round AND q2.round <= e.round))`;

function sqlFigures(db: Db) {
  const rounds = db.prepare('SELECT number FROM rounds ORDER BY number').all() as {
    number: number;
  }[];
  const answered = db.prepare(ANSWERED_SQL).all() as {
    round: number;
    objectId: number;
    kind: string | null;
  }[];
  const count = (sql: string, ...args: unknown[]) =>
    (db.prepare(sql).get(...args) as { n: number }).n;
  return {
    rounds: rounds.map(({ number }) => {
      const mine = answered.filter((a) => a.round === number);
      const classCounts: Record<number, number> = {};
      // The round of the standing event of each labelled object, taken from label_history.
      for (const row of db
        .prepare(
          `SELECT l.class_id AS classId FROM object_labels l
           WHERE (SELECT e.round FROM label_history e
                  WHERE e.object_id = l.object_id AND e.kind != 'undo' AND e.undone_by IS NULL
                  ORDER BY e.id DESC LIMIT 1) = ?`,
        )
        .all(number) as { classId: number }[]) {
        classCounts[row.classId] = (classCounts[row.classId] ?? 0) + 1;
      }
      const asked = count('SELECT count(*) AS n FROM questions WHERE round = ?', number);
      return {
        number,
        asked,
        answered: mine.length,
        skipped: asked - mine.length,
        reasked: count(
          `SELECT count(*) AS n FROM questions q WHERE q.round = ? AND EXISTS
             (SELECT 1 FROM questions p WHERE p.object_id = q.object_id AND p.round < q.round)`,
          number,
        ),
        anomaliesFound: mine.filter((a) => a.kind === 'anomaly').length,
        classCounts,
      };
    }),
    labelled: count('SELECT count(*) AS n FROM object_labels'),
    anomalies: count(
      `SELECT count(*) AS n FROM object_labels l JOIN classes c ON c.id = l.class_id
       WHERE c.kind = 'anomaly'`,
    ),
    answered: answered.length,
    found: answered.filter((a) => a.kind === 'anomaly').length,
  };
}

function expectHistoryMatchesSql(db: Db) {
  const view = historyView(db);
  const sql = sqlFigures(db);
  expect(view.rounds.map((r) => r.number)).toEqual(sql.rounds.map((r) => r.number));
  view.rounds.forEach((r, i) => {
    const s = sql.rounds[i]!;
    expect({ round: r.number, ...r }).toMatchObject({ round: s.number, ...s });
    expect(r.trueCandidatePercent).toBe(r.answered ? (100 * r.anomaliesFound) / r.answered : null);
  });
  // The discovery curve: one point per answered question, ending on the database's totals.
  expect(view.discovery).toHaveLength(sql.answered);
  expect(view.discovery.at(-1) ?? { asked: 0, found: 0 }).toEqual({
    asked: sql.answered,
    found: sql.found,
  });
  expect(view.totals).toEqual({
    labelled: sql.labelled,
    anomalies: sql.anomalies,
    answered: sql.answered,
    found: sql.found,
    otherLabels: sql.labelled - sql.answered,
    imported: 0,
  });
  // Per-round class counts are per round: together they are the labels standing now.
  const perRound = view.rounds.flatMap((r) => Object.values(r.classCounts));
  expect(perRound.reduce((a, b) => a + b, 0)).toBe(sql.labelled);
  return view;
}

describe('the history view counts every answer once', () => {
  it('re-asked questions, relabels, undos and a label outside the questions', async () => {
    // 12 objects and 8 questions a round: round 2 must ask again what round 1 left open.
    const { project, ringIds } = syntheticProject(tempDir(), 12, 3);
    const db = project.db;
    const session = await HuntSession.open(project, createLocalRunner());
    await session.updateSettings({ queries: 8, epochs: 1 });
    const normal = findClassByName(db, 'normal')!;
    const ring = session.createClass('ring');

    // Round 1: three answers (one relabelled), one undone, one label outside the questions.
    let state = await session.startRound();
    const round1 = state.questions.map((q) => q.objectId);
    expect(round1).toHaveLength(8);
    session.label(round1[0]!, normal.id);
    session.label(round1[1]!, ring.id);
    session.label(round1[2]!, normal.id);
    session.label(round1[2]!, ring.id); // relabel: still one answer
    session.label(round1[3]!, ring.id);
    expect(session.undo().objectId).toBe(round1[3]);
    const outside = [...Array(12).keys()].map((i) => i + 1).find((id) => !round1.includes(id))!;
    session.label(outside, ringIds.has(outside) ? ring.id : normal.id);
    let view = expectHistoryMatchesSql(db);
    expect(view.rounds[0]).toMatchObject({ asked: 8, answered: 3, skipped: 5, anomaliesFound: 2 });
    expect(view.totals).toMatchObject({ labelled: 4, answered: 3, otherLabels: 1 });

    session.finishRound();
    await session.idle();
    state = session.state();
    expect(state.round).toMatchObject({ number: 2, phase: 'asking' });
    const round2 = state.questions.map((q) => q.objectId);
    const reasked = round2.filter((id) => round1.includes(id));
    // 8 unlabelled objects left, all asked: round 1's five open questions come back.
    expect(reasked).toHaveLength(5);

    // Round 2: answer two re-asked objects (one undone and answered again), relabel a round-1
    // answer (it stays round 1's answer; its class count moves to round 2).
    session.label(reasked[0]!, ring.id);
    session.label(reasked[1]!, ring.id);
    expect(session.undo().objectId).toBe(reasked[1]);
    session.label(reasked[1]!, normal.id);
    session.label(round1[0]!, ring.id);
    view = expectHistoryMatchesSql(db);
    expect(view.rounds[0]).toMatchObject({ asked: 8, answered: 3, skipped: 5, anomaliesFound: 3 });
    expect(view.rounds[1]).toMatchObject({
      asked: 8,
      answered: 2,
      skipped: 6,
      reasked: 5,
      anomaliesFound: 1,
    });
    expect(view.totals).toMatchObject({ labelled: 6, answered: 5, found: 4, otherLabels: 1 });
    expect(view.rounds[1]!.classCounts).toEqual({ [ring.id]: 2, [normal.id]: 1 });

    session.finishRound();
    await session.idle();
    // Round 3 asks what is left; the stored metrics of round 2 agree with the view.
    view = expectHistoryMatchesSql(db);
    expect(view.rounds).toHaveLength(3);
    expect(view.rounds[2]!.answered).toBe(0);
    const metrics = JSON.parse(
      (db.prepare('SELECT metrics FROM rounds WHERE number = 2').get() as { metrics: string })
        .metrics,
    ) as { asked: number; found: number };
    expect(metrics).toMatchObject({ asked: 2, found: 1 });
    await session.close();
    project.close();
  });
});
