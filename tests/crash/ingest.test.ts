import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateDemoSurvey } from '../../src-main/engine/demo/survey';
import { ingest } from '../../src-main/engine/ingest';
import { countObjects, createProject, openProject } from '../../src-main/engine/store';
import { tempDir } from '../store/helpers';
import { numbersAfter, runUntilKilled } from './kill';

const FILES = 2000;
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe('a SIGKILL while ingesting', () => {
  it('loses no committed batch, and a re-run skips what was done without duplicating it', async () => {
    const root = tempDir();
    roots.push(root);
    const survey = join(root, 'survey');
    generateDemoSurvey(survey, { count: FILES, side: 32, seed: 3 });
    const dir = join(root, 'project');
    createProject(dir).close();

    // Killed after a few committed batches, while the next ones are being decoded and written.
    const lines = await runUntilKilled('ingester.child.ts', [dir, survey], (line) =>
      line.startsWith('done ') ? Number(line.slice(5)) >= 500 : false,
    );
    const acknowledged = Math.max(...numbersAfter(lines, 'done'));
    expect(acknowledged).toBeGreaterThanOrEqual(500);
    expect(acknowledged).toBeLessThan(FILES);

    const project = openProject(dir);
    const { db } = project;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const before = countObjects(db);
    expect(before).toBeGreaterThanOrEqual(acknowledged);
    expect(before).toBeLessThan(FILES);

    const summary = await ingest(project, [survey], { size: 32, workers: 1 });
    // Exactly the files whose batch committed before the kill are skipped; the rest are added.
    expect(summary.skipped).toBe(before);
    expect(summary.ingested).toBe(FILES - before);
    expect(summary.rejected).toBe(0);
    const counts = db
      .prepare('SELECT count(*) AS n, count(DISTINCT uid) AS uids FROM objects')
      .get() as { n: number; uids: number };
    expect(counts).toEqual({ n: FILES, uids: FILES });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    project.close();
  });
});
