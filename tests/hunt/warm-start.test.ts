import { describe, expect, it } from 'vitest';
import type { TrainingState } from '../../src-main/contract/contract';
import { HuntSession } from '../../src-main/engine/hunt/session';
import { writeSettings } from '../../src-main/engine/hunt/settings';
import { loadWarmStartCheckpoint } from '../../src-main/engine/hunt/warm-start';
import {
  findClassByName,
  openProject,
  setRoundStatus,
  type Project,
} from '../../src-main/engine/store';
import type { ModelRow } from '../../src-main/engine/store/models';
import { tempDir } from '../store/helpers';
import { runners } from './runners';
import { syntheticProject } from './synthetic';

const models = (project: Project) =>
  project.db.prepare('SELECT * FROM models ORDER BY id').all() as ModelRow[];

/** The round of the model behind each stored score (null: the warm start's model). */
const scoredBy = (project: Project) =>
  (
    project.db
      .prepare(
        'SELECT DISTINCT m.round AS round FROM object_scores s JOIN models m ON m.id = s.model_id',
      )
      .all() as { round: number | null }[]
  ).map((r) => r.round);

describe.each(runners)('the warm start before the first round (%s)', (_name, makeRunner) => {
  it('runs once, is kept as the first model, and a cancel resumes from its checkpoint', async () => {
    const { project } = syntheticProject(tempDir(), 96, 6);
    writeSettings(project.db, { warmStart: 12 });
    const progress: TrainingState[] = [];
    const session = await HuntSession.open(project, makeRunner(), (event, payload) => {
      if (event === 'training.progress') progress.push(payload as TrainingState);
    });
    const state = await session.startRound();
    const normal = findClassByName(project.db, 'normal')!;
    for (const q of state.questions) session.label(q.objectId, normal.id, 1);

    // Cancelled in its second epoch or soon after (the worker runs on while the cancel travels):
    // the round goes back to the expert, the checkpoint stays.
    session.finishRound();
    while (!progress.some((p) => p.phase === 'warm-start' && p.epoch === 2)) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(session.cancelTraining()).toEqual({ cancelled: true });
    await session.idle();
    expect(session.state().round).toMatchObject({ number: 1, phase: 'asking' });
    const saved = loadWarmStartCheckpoint(project.db, { size: 16, bands: 1 });
    expect(saved?.epoch).toBeGreaterThanOrEqual(1);
    // Made on 16 px cutouts: objects ingested again at another size start afresh.
    expect(loadWarmStartCheckpoint(project.db, { size: 32, bands: 1 })).toBeNull();
    expect(models(project)).toHaveLength(0);

    // Finishing again resumes where it stopped, then trains the round from the warmed model.
    progress.length = 0;
    session.finishRound();
    await session.idle();
    const warm = progress.filter((p) => p.phase === 'warm-start');
    expect(warm[0]?.epoch).toBe(saved!.epoch + 1);
    expect(warm.at(-1)).toMatchObject({ epoch: 12, epochs: 12 });
    expect(progress.some((p) => p.phase === 'training')).toBe(true);
    const rows = models(project);
    expect(rows.map((m) => m.round)).toEqual([null, 1]);
    const metrics = JSON.parse(rows[0]!.metrics!) as { warmStart: { losses: number[] } };
    expect(metrics.warmStart.losses).toHaveLength(12);
    expect(loadWarmStartCheckpoint(project.db)).toBeNull();

    // Never again: the second round trains without a warm start.
    const next = session.state();
    for (const q of next.questions) session.label(q.objectId, normal.id, 1);
    progress.length = 0;
    session.finishRound();
    await session.idle();
    expect(progress.some((p) => p.phase === 'warm-start')).toBe(false);
    expect(models(project).map((m) => m.round)).toEqual([null, 1, 2]);
    await session.close();
    project.close();
  }, 60_000);

  it('never scores with the head nobody trained, after a close mid-training or mid-scoring', async () => {
    const dir = tempDir();
    const { project } = syntheticProject(dir, 96, 6);
    writeSettings(project.db, { warmStart: 2, epochs: 40 });
    const progress: TrainingState[] = [];
    const onProgress = (event: string, payload: unknown) => {
      if (event === 'training.progress') progress.push(payload as TrainingState);
    };
    let session = await HuntSession.open(project, makeRunner(), onProgress);
    await session.startRound();

    // Round 1 finished without an answer: the warm start runs, but no head is trained, so the
    // second round is asked from the pixels, like the first.
    session.finishRound();
    await session.idle();
    expect(models(project).map((m) => m.round)).toEqual([null]);
    expect(session.state().round).toMatchObject({ number: 2, phase: 'asking' });
    expect(session.state().questions[0]!.why).toMatch(/isolation forest/);
    expect(scoredBy(project)).toEqual([]);

    // The app stops while it scores round 2 (the round is still marked scoring) and reopens:
    // the scoring is redone, still without the warm start's untrained head.
    await session.close();
    setRoundStatus(project.db, 2, 'scoring');
    project.close();
    let reopened = openProject(dir);
    session = await HuntSession.open(reopened, makeRunner(), onProgress);
    await session.idle();
    expect(session.state().round).toMatchObject({ number: 2, phase: 'asking' });
    expect(session.state().questions[0]!.why).toMatch(/isolation forest/);
    expect(scoredBy(reopened)).toEqual([]);
    // Nor is it the model "more like this" compares with.
    await expect(session.similar(session.state().questions[0]!.objectId, 3)).rejects.toThrow(
      /finish a round first/,
    );

    // Answered, then closed while the round trains: the round goes back to the expert.
    const normal = findClassByName(reopened.db, 'normal')!;
    for (const q of session.state().questions) session.label(q.objectId, normal.id, 1);
    progress.length = 0;
    session.finishRound();
    while (!progress.some((p) => p.phase === 'training')) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await session.close();
    reopened.close();
    reopened = openProject(dir);
    session = await HuntSession.open(reopened, makeRunner(), onProgress);
    expect(session.state().round).toMatchObject({ number: 2, phase: 'asking' });
    expect(scoredBy(reopened)).toEqual([]);

    // Finished: the round trains from the warm start, and its model scores round 3.
    writeSettings(reopened.db, { epochs: 2 });
    session.finishRound();
    await session.idle();
    expect(models(reopened).map((m) => m.round)).toEqual([null, 2]);
    expect(session.state().round).toMatchObject({ number: 3, phase: 'asking' });
    expect(scoredBy(reopened)).toEqual([2]);
    await session.close();
    reopened.close();
  }, 120_000);
});
