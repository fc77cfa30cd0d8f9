import { describe, expect, it } from 'vitest';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import type { ModelRunner } from '../../src-main/engine/hunt/runner';
import { HuntSession } from '../../src-main/engine/hunt/session';
import { trainingBatchFor } from '../../src-main/engine/hunt/train-batch';
import { findClassByName, labelHistory } from '../../src-main/engine/store';
import { tempDir } from '../store/helpers';
import { syntheticProject } from './synthetic';

describe('a round whose training fails', () => {
  it('goes back to the expert with every answer saved and says why', async () => {
    const { project } = syntheticProject(tempDir());
    const local = createLocalRunner();
    // The backend dies mid-round, as the wasm heap did on 423 px cutouts.
    const runner: ModelRunner = {
      ...local,
      train: () => Promise.reject(new Error('RuntimeError: Aborted()')),
    };
    const errors: string[] = [];
    const session = await HuntSession.open(project, runner, (event, payload) => {
      if (event === 'engine.error') errors.push((payload as { message: string }).message);
    });
    const state = await session.startRound();
    const normal = findClassByName(project.db, 'normal')!;
    for (const q of state.questions) session.label(q.objectId, normal.id, 1);
    session.finishRound();
    await session.idle();
    expect(errors.some((m) => /Aborted/.test(m))).toBe(true);
    const after = session.state();
    expect(after.round).toMatchObject({ number: 1, phase: 'asking' });
    expect(after.questions.every((q) => q.labelId === normal.id)).toBe(true);
    expect(labelHistory(project.db)).toHaveLength(state.questions.length);
    await session.close();
    project.close();
  });
});

describe('trainingBatchFor', () => {
  it('keeps 128 where it fits and shrinks the batch for native-size cutouts on wasm', () => {
    expect(trainingBatchFor({ size: 64, bands: 3 }, 500, 'wasm')).toBe(128);
    const big = trainingBatchFor({ size: 423, bands: 3 }, 500, 'wasm');
    expect(big).toBeGreaterThan(0);
    expect(big).toBeLessThan(64);
    expect(trainingBatchFor({ size: 423, bands: 3 }, 500, 'tensorflow')).toBe(128);
  });
});
