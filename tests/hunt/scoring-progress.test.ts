/** While a round is scored, progress says objects scored of the total and a time left. */
import { describe, expect, it } from 'vitest';
import type { TrainingState } from '../../src-main/contract/contract';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { HuntSession } from '../../src-main/engine/hunt/session';
import { tempDir } from '../store/helpers';
import { syntheticProject } from './synthetic';

describe('scoring progress', () => {
  it('counts objects scored out of those unlabelled, with a rate and an ETA', async () => {
    const { project } = syntheticProject(tempDir(), 3000, 30);
    const progress: TrainingState[] = [];
    const session = await HuntSession.open(project, createLocalRunner(), (event, payload) => {
      if (event === 'training.progress') progress.push(payload as TrainingState);
    });
    await session.updateSettings({ epochs: 1 });
    const state = await session.startRound();
    const scoring = progress.filter((p) => p.phase === 'scoring');
    expect(scoring.length).toBeGreaterThan(0);
    const last = scoring.at(-1)!;
    expect(last).toMatchObject({ batch: 3000, batches: 3000, eta: 0 });
    expect(last.imagesPerSecond).toBeGreaterThan(0);
    for (const p of scoring) {
      expect(p.batches).toBe(3000);
      expect(p.batch).toBeLessThanOrEqual(p.batches);
      expect(p.eta).not.toBeNull();
    }
    // After a label, the next round scores the rest: the total shrinks by what is labelled.
    session.label(state.questions[0]!.objectId, 1);
    progress.length = 0;
    session.finishRound();
    await session.idle();
    const next = progress.filter((p) => p.phase === 'scoring');
    expect(next.at(-1)).toMatchObject({ batch: 2999, batches: 2999 });
    await session.close();
    project.close();
  });
});
