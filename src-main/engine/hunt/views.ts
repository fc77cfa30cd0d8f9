import type {
  ClassView,
  HistoryView,
  ObjectView,
  QuestionView,
  RoundSummary,
} from '../../contract/contract';
import { currentAnnotation, uncertainInRound } from '../store/annotations';
import { listClasses, type ClassRow } from '../store/classes';
import { ProjectError } from '../store/errors';
import { classCounts, currentLabel, labelCountsByRound, labelHistory } from '../store/labels';
import { getScore } from '../store/models';
import { getObject } from '../store/objects';
import type { Db } from '../store/open';
import { listRounds, roundQuestions } from '../store/rounds';
import { answeredQuestions, labelTotals, type AnsweredQuestion } from '../store/round-answers';

/** Read-side projections of the store into the api's views. */

export function classViews(db: Db): ClassView[] {
  const counts = classCounts(db);
  return listClasses(db).map((c) => ({
    id: c.id,
    name: c.name,
    kind: c.kind,
    interest: c.interest,
    hotkey: c.hotkey,
    colour: c.colour,
    count: counts.get(c.id) ?? 0,
    createdRound: c.created_round,
  }));
}

export function questionViews(db: Db, round: number): QuestionView[] {
  const uncertain = uncertainInRound(db, round);
  return roundQuestions(db, round).map((q) => ({
    rank: q.rank,
    objectId: q.object_id,
    askedFor: q.class_id,
    score: q.score,
    why: q.why ?? '',
    labelId: currentLabel(db, q.object_id) ?? null,
    uncertain: uncertain.has(q.object_id),
  }));
}

/** Live classes by the softmax column they own (merged classes' columns map to their target). */
export function outputToClass(db: Db): Map<number, ClassRow> {
  const all = listClasses(db, { includeMerged: true });
  const byId = new Map(all.map((c) => [c.id, c]));
  const map = new Map<number, ClassRow>();
  for (const c of all) {
    if (c.output_index === null) continue;
    let live = c;
    for (let hops = 0; live.merged_into !== null && hops < 100; hops++)
      live = byId.get(live.merged_into)!;
    map.set(c.output_index, live);
  }
  return map;
}

export function objectView(db: Db, id: number): ObjectView {
  const o = getObject(db, id);
  if (!o) throw new ProjectError('not-found', `There is no object ${id} in this project.`);
  const score = getScore(db, id);
  const columns = outputToClass(db);
  const probabilities: { classId: number; p: number }[] = [];
  if (score) {
    const byClass = new Map<number, number>();
    score.probs.forEach((p, index) => {
      const c = columns.get(index);
      if (c) byClass.set(c.id, (byClass.get(c.id) ?? 0) + p);
    });
    for (const [classId, p] of byClass) probabilities.push({ classId, p });
  }
  const label = currentLabel(db, id);
  return {
    id: o.id,
    uid: o.uid,
    file: o.source_path,
    hdu: o.hdu,
    x: o.x,
    y: o.y,
    ra: o.ra,
    dec: o.dec,
    size: o.size,
    bands: o.bands,
    bandNames: o.band_names ? (JSON.parse(o.band_names) as string[]) : null,
    lo: o.lo,
    hi: o.hi,
    labelId: label ?? null,
    score: score?.score ?? null,
    probabilities,
    history: labelHistory(db, id).map((e) => ({
      at: e.at,
      round: e.round,
      classId: e.class_id,
      kind: e.kind,
      undone: e.undone_by !== null,
    })),
    ...currentAnnotation(db, id),
  };
}

/**
 * Rounds, their yield, and the discovery curve, each answer counted once (store/round-answers):
 * a question left unanswered and asked again is skipped in its first round and answered in
 * the round that got the answer; class counts are the labels each round gave that still stand.
 */
export function historyView(db: Db): HistoryView {
  const questions = answeredQuestions(db);
  const byRound = new Map<number, AnsweredQuestion[]>();
  for (const q of questions) {
    const list = byRound.get(q.round);
    if (list) list.push(q);
    else byRound.set(q.round, [q]);
  }
  const labelsByRound = new Map<number, Record<number, number>>();
  for (const row of labelCountsByRound(db)) {
    const counts = labelsByRound.get(row.round) ?? {};
    counts[row.classId] = (counts[row.classId] ?? 0) + row.n;
    labelsByRound.set(row.round, counts);
  }
  const discovery: { asked: number; found: number }[] = [];
  let answered = 0;
  let found = 0;
  const rounds: RoundSummary[] = listRounds(db).map((r) => {
    const asked = byRound.get(r.number) ?? [];
    let roundAnswered = 0;
    let roundFound = 0;
    for (const q of asked) {
      if (!q.answered) continue;
      roundAnswered++;
      answered++;
      if (q.classKind === 'anomaly') {
        roundFound++;
        found++;
      }
      discovery.push({ asked: answered, found });
    }
    return {
      number: r.number,
      status: r.status,
      strategy: r.strategy,
      queries: r.queries,
      asked: asked.length,
      answered: roundAnswered,
      skipped: asked.length - roundAnswered,
      reasked: asked.filter((q) => q.reasked).length,
      anomaliesFound: roundFound,
      trueCandidatePercent: roundAnswered > 0 ? (100 * roundFound) / roundAnswered : null,
      scoreSeconds: r.score_seconds,
      trainSeconds: r.train_seconds,
      backend: r.backend,
      classCounts: labelsByRound.get(r.number) ?? {},
    };
  });
  const stored = labelTotals(db);
  return {
    rounds,
    discovery,
    totals: {
      labelled: stored.labelled,
      anomalies: stored.anomalies,
      answered,
      found,
      otherLabels: stored.labelled - answered - stored.imported,
      imported: stored.imported,
    },
  };
}

/** A round's answers as the round's metrics record them when it is trained. */
export function roundYield(db: Db, round: number): { answered: number; found: number } {
  let answered = 0;
  let found = 0;
  for (const q of answeredQuestions(db)) {
    if (q.round !== round || !q.answered) continue;
    answered++;
    if (q.classKind === 'anomaly') found++;
  }
  return { answered, found };
}
