/** "More like this" on a real engine session: the latest model's vectors, labels included. */
import { describe, expect, it } from 'vitest';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { HuntSession } from '../../src-main/engine/hunt/session';
import { findClassByName } from '../../src-main/engine/store';
import { loadImages } from '../../src-main/engine/store/image-batches';
import { projectImageShape } from '../../src-main/engine/hunt/images';
import { tempDir } from '../store/helpers';
import { syntheticProject } from './synthetic';

describe('objects.similar in a hunt session', () => {
  it('needs a model, then searches every object with the latest model, labelled ones too', async () => {
    const { project, ringIds } = syntheticProject(tempDir(), 240, 12);
    const runner = createLocalRunner();
    const session = await HuntSession.open(project, runner);
    const state = await session.startRound();
    const someone = state.questions[0]!.objectId;
    await expect(session.similar(someone, 5)).rejects.toThrow(/finish a round first/);

    const normal = findClassByName(project.db, 'normal')!;
    const ring = session.createClass('ring');
    for (const q of state.questions)
      session.label(q.objectId, ringIds.has(q.objectId) ? ring.id : normal.id);
    session.finishRound();
    await session.idle();
    expect(session.state().round).toMatchObject({ number: 2, phase: 'asking' });

    const labelled = state.questions[0]!.objectId;
    const got = await session.similar(labelled, 239);
    // Every other object, labelled or not, nearest first, with the current labels.
    expect(got).toMatchObject({ objectId: labelled, searched: 240, exact: true });
    expect(got.items).toHaveLength(239);
    expect(got.items.some((i) => i.objectId === labelled)).toBe(false);
    const distances = got.items.map((i) => i.distance);
    expect(distances).toEqual([...distances].sort((a, b) => a - b));
    const answered = new Set(state.questions.map((q) => q.objectId));
    for (const item of got.items) {
      const want = answered.has(item.objectId)
        ? ringIds.has(item.objectId)
          ? ring.id
          : normal.id
        : null;
      expect(item.labelId).toBe(want);
    }

    // The stored vectors are the latest model's: running the model on the query object now
    // gives the distances the search reported.
    const shape = projectImageShape(project.db)!;
    const nearestId = got.items[0]!.objectId;
    const seen = await runner.score(loadImages(project.db, [labelled, nearestId], shape));
    const d = seen.latentSize;
    let d2 = 0;
    for (let j = 0; j < d; j++) d2 += (seen.latent[j]! - seen.latent[d + j]!) ** 2;
    expect(got.items[0]!.distance).toBeCloseTo(Math.sqrt(d2), 3);

    // After a reopen, a vector the store lacks is computed by the model, and the answer no
    // longer claims to have compared every object.
    await session.close();
    project.db.prepare('UPDATE object_scores SET latent = NULL WHERE object_id = ?').run(labelled);
    const reopened = await HuntSession.open(project, createLocalRunner());
    const recomputed = await reopened.similar(labelled, 5);
    expect(recomputed.items.map((i) => i.objectId)).toEqual(
      got.items.slice(0, 5).map((i) => i.objectId),
    );
    expect(recomputed).toMatchObject({ searched: 239, exact: false });
    await reopened.close();
    project.close();
  });
});
