import { describe, expect, it } from 'vitest';
import { loadImages, unlabelledBatches } from '../../src-main/engine/store/image-batches';
import type { ScoredPage } from '../../src-main/engine/hunt/runner';
import { scoreUnlabelledPages } from '../../src-main/engine/hunt/score-pages';
import { databasePath, findClassByName, recordLabel } from '../../src-main/engine/store';
import { objectIdBounds } from '../../src-main/engine/store/score-pages';
import { tempDir } from '../store/helpers';
import { runners } from './runners';
import { syntheticProject } from './synthetic';

describe.each(runners)('scoring pages read by the runner (%s model)', (_, makeRunner) => {
  it('gives the same scores, in id order, as scoring pixels read on this thread', async () => {
    const dir = tempDir();
    const { project } = syntheticProject(dir, 700, 10);
    const { db } = project;
    const normal = findClassByName(db, 'normal')!;
    // Labelled objects are never scored: a few at the start and in the middle of a page.
    for (const objectId of [1, 2, 3, 350, 351]) {
      recordLabel(db, { objectId, classId: normal.id, round: 0, origin: 'ui' });
    }
    const runner = makeRunner();
    await runner.init('wasm');
    await runner.load({ size: 16, bands: 1, classes: 3, seed: 5 }, null);

    // The old path: this thread reads and decodes the pages, the runner scores the pixels.
    const shape = { size: 16, bands: 1 };
    const expectedIds: number[] = [];
    const expectedProbs: number[] = [];
    const expectedLatent: number[] = [];
    for (const page of unlabelledBatches(db, shape, 1024)) {
      const result = await runner.score(page.images);
      expectedIds.push(...page.ids);
      expectedProbs.push(...result.probs);
      expectedLatent.push(...result.latent);
    }

    // The new path: id ranges of 300 (three pages, two replicas at once), read by the runner.
    const pages: ScoredPage[] = [];
    await scoreUnlabelledPages(
      runner,
      {
        source: { file: databasePath(dir), ...shape },
        bounds: () => objectIdBounds(db),
        rangeSize: 300,
        inFlight: 4,
      },
      (page) => pages.push(page),
    );
    expect(pages.map((p) => p.ids.length)).toEqual([297, 298, 100]);
    const ids = pages.flatMap((p) => [...p.ids]);
    expect(ids).toEqual(expectedIds);
    expect(ids).not.toContain(350);
    const probs = pages.flatMap((p) => [...p.probs]);
    const latent = pages.flatMap((p) => [...p.latent]);
    expect(probs).toHaveLength(expectedProbs.length);
    expect(latent).toHaveLength(expectedLatent.length);
    const worst = (a: number[], b: number[]) =>
      a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    expect(worst(probs, expectedProbs)).toBeLessThan(1e-5);
    expect(worst(latent, expectedLatent)).toBeLessThan(1e-4);

    // The single-object path (latents of asked objects) still scores pixels from this thread.
    const one = await runner.score(loadImages(db, [4], shape));
    expect(Math.abs(one.probs[0]! - expectedProbs[0]!)).toBeLessThan(1e-5);

    await runner.dispose();
    project.close();
  });
});
