/** The fusion strategy in the workstation's rounds, on a real engine session. */
import { describe, expect, it } from 'vitest';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { HuntSession } from '../../src-main/engine/hunt/session';
import { findClassByName, labelHistory, roundQuestions } from '../../src-main/engine/store';
import { validate } from '../../src-main/contract/contract';
import { fusionInput } from '../../src-main/engine/hunt/fusion-round';
import { latentNovelty } from '../../src-main/engine/learn/fusion';
import { tempDir } from '../store/helpers';
import { syntheticProject } from './synthetic';

/** Round 1 (cold start) answered by the truth, trained; returns round 2's questions. */
async function secondRound(latentSample?: number) {
  const { project, ringIds } = syntheticProject(tempDir(), 240, 12);
  const session = await HuntSession.open(project, createLocalRunner(), undefined, {
    seed: 3,
    ...(latentSample ? { latentSample } : {}),
  });
  await session.updateSettings({ strategy: 'fusion' });
  const first = await session.startRound();
  expect(first.round).toMatchObject({ number: 1, strategy: 'fusion' });
  const normal = findClassByName(project.db, 'normal')!;
  const ring = session.createClass('ring');
  for (const q of first.questions)
    session.label(q.objectId, ringIds.has(q.objectId) ? ring.id : normal.id);
  session.finishRound();
  await session.idle();
  const state = session.state();
  const labelled = new Set(labelHistory(project.db).map((e) => e.object_id));
  const questions = roundQuestions(project.db, 2);
  await session.close();
  project.close();
  return { state, labelled, questions };
}

describe('fusionInput', () => {
  it('gives latentNovelty row for row, scored in chunks, on the kept rows only', async () => {
    const count = 10_000;
    const dims = 8;
    let seed = 3;
    const latents = Float32Array.from(
      { length: count * dims },
      () => (seed = (seed * 16807) % 2147483647) / 2147483647,
    );
    const rows = Int32Array.from({ length: count }, (_, i) => 2 * i + 1);
    const got = await fusionInput(latents, count, dims, rows, 2 * count + 1, {
      seed: 9,
      reserve: 1,
    });
    const want = latentNovelty(latents, count, dims, 9);
    expect(got!.candidates).toEqual(rows);
    expect(Array.from(rows, (r) => got!.novelty[r])).toEqual(Array.from(want));
    expect(got!.novelty[0]).toBe(0);
    expect(
      await fusionInput(latents, count, dims, rows, 2 * count + 1, { seed: 9, reserve: null }),
    ).toBeNull();
  });
});

describe('the fusion strategy in a round', () => {
  it('is a setting the contract accepts', () => {
    expect(validate('settings.set', { strategy: 'fusion' }).ok).toBe(true);
  });

  it('asks by unusualness in the latent space, never about a labelled object, reproducibly', async () => {
    const a = await secondRound();
    expect(a.state.round).toMatchObject({ number: 2, phase: 'asking', strategy: 'fusion' });
    expect(a.state.questions).toHaveLength(8);
    for (const q of a.state.questions) {
      expect(a.labelled.has(q.objectId)).toBe(false);
      expect(q.why).toMatch(/most unusual objects in the model's latent space/);
    }
    // The reserve class's questions come from the forest alone ("a kind not seen yet").
    expect(a.state.questions.some((q) => /a kind not seen yet/.test(q.why))).toBe(true);
    // The same project and seed ask the same questions (training is seeded, dropout too).
    const b = await secondRound();
    expect(b.questions.map((q) => q.object_id)).toEqual(a.questions.map((q) => q.object_id));
  });

  it('takes its questions from the latent sample when the project is larger than it', async () => {
    const { state, labelled } = await secondRound(60);
    expect(state.questions).toHaveLength(8);
    // 232 unlabelled objects, one page in id order: every 4th keeps its vector (≤ 60).
    const unlabelled = Array.from({ length: 240 }, (_, i) => i + 1).filter(
      (id) => !labelled.has(id),
    );
    const sample = new Set(unlabelled.filter((_, i) => i % 4 === 0));
    for (const q of state.questions) {
      expect(q.why).toMatch(/latent space/);
      expect(sample.has(q.objectId)).toBe(true);
    }
  });
});
