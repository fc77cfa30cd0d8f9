import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchCommand } from '../../src-main/lab/bench/command';
import { UserError, type CliIo } from '../../src-main/cli/command';
import { benchScale, type ScaleBenchResult } from '../../src-main/lab/bench/survey-scale/bench';
import { openProject } from '../../src-main/engine/store/project';
import { tempDir } from '../store/helpers';

// The machinery of `ahunt bench scale` at a small N — counts, the JSON shape, floors judged
// both ways — not its timings, which belong to the 10^6 run on an idle machine.
describe('ahunt bench scale (3,000 objects)', () => {
  const scratch = tempDir('ahunt-scale-test-');
  const keep = join(scratch, 'kept');
  let result: ScaleBenchResult;
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('ingests, runs a cold-start and a trained round, and times the keystroke queries', async () => {
    const lines: string[] = [];
    result = await benchScale({
      objects: 3000,
      keep,
      tmpDir: scratch,
      queryCalls: 20,
      latentSample: 500,
      // Impossible scoring floor, generous others: one failing floor must show as failing.
      floors: { scoringObjectsPerSecond: 1e12, queryMs: 1e9, peakRssMB: 1e9, bytesPerObject: 1e9 },
      log: (line) => lines.push(line),
    });
    expect(lines.some((l) => l.startsWith('ingesting'))).toBe(true);
    expect(result.benchmark).toBe('scale');
    expect(result.ingest.objects).toBe(3000);
    expect(result.ingest.rejected).toBe(0);
    expect(result.coldStartRound.questions).toBe(16);
    expect(result.trainedRound.labelsUsed).toBe(16);
    expect(result.trainedRound.scored).toBe(3000 - 16);
    expect(result.trainedRound.questions).toBe(16);
    expect(result.trainedRound.scoringObjectsPerSecond).toBeGreaterThan(0);
    for (const name of ['nextQuestion', 'classCounts', 'sessionState', 'unlabelledPage']) {
      const timing = result.queries[name as keyof ScaleBenchResult['queries']];
      expect(timing.calls).toBe(20);
      expect(timing.p95).toBeGreaterThanOrEqual(timing.p50);
    }
    expect(result.storage.bytesPerObject).toBeGreaterThan(8192); // float16 64×64 pixels alone
    expect(result.peakRssMB).toBeGreaterThan(0);
    expect(result.kept).toBe(keep);
  }, 120_000);

  it('reports the failing floor as failing and the others as met', () => {
    expect(result.floors.scoring).toMatchObject({ floor: 1e12, kind: 'min', met: false });
    expect(result.floors.queries.met).toBe(true);
    expect(result.floors.peakRss.met).toBe(true);
    expect(result.floors.storage.met).toBe(true);
    expect(result.floors.allMet).toBe(false);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result); // plain JSON, nothing lost
  });

  it('kept the project: every object scored, latents for a sample, the asked and the labelled', () => {
    expect(existsSync(join(keep, 'ahunt.sqlite'))).toBe(true);
    const project = openProject(keep);
    try {
      const counts = project.db
        .prepare('SELECT count(*) AS scored, count(latent) AS latents FROM object_scores')
        .get() as { scored: number; latents: number };
      // Every object: the unlabelled ones by the round's pages, the 16 labelled ones after
      // them (so "more like this" finds them in the current latent space).
      expect(counts.scored).toBe(3000);
      expect(counts.latents).toBeGreaterThan(400);
      // The sample + this round's questions + the labelled objects.
      expect(counts.latents).toBeLessThanOrEqual(500 + 16 + 16);
      const askedWithout = project.db
        .prepare(
          `SELECT count(*) AS n FROM questions q JOIN object_scores s ON s.object_id = q.object_id
           WHERE q.round = (SELECT max(round) FROM questions) AND s.latent IS NULL`,
        )
        .get() as { n: number };
      expect(askedWithout.n).toBe(0);
    } finally {
      project.close();
    }
  });
});

describe('ahunt bench scale arguments', () => {
  const io: CliIo = { out: () => {}, err: () => {}, interactive: false };

  it('refuses too few objects and unknown options before doing any work', async () => {
    await expect(benchCommand.run(['scale', '--objects', '5'], io)).rejects.toThrow(UserError);
    await expect(benchCommand.run(['scale', '--frames', '5'], io)).rejects.toThrow();
  });
});
