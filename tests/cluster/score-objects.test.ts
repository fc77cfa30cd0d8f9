import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterScoringError, scoreObjects } from '../../src-main/engine/cluster';
import { scoreWithModelFolder } from '../../src-main/engine/export';
import type { Project } from '../../src-main/engine/store';
import { addModel, exportObjectList, ingestSurvey, SMALL, writeSurvey } from './survey';

// One task of a cluster job, without the cluster: the part it writes is the file local
// scoring writes, line for line, and what it refuses it refuses in one sentence.

describe('ahunt score-objects (one task of a cluster job)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ahunt-score-objects-'));
  const model = join(scratch, 'model');
  let project: Project;
  let list: string;
  beforeAll(async () => {
    const survey = writeSurvey(join(scratch, 'survey'), SMALL);
    project = await ingestSurvey(join(scratch, 'project'), survey, SMALL.size);
    await addModel(project, model, SMALL.size);
    list = exportObjectList(project, join(scratch, 'objects.csv'));
  });
  afterAll(() => {
    project.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  const lines = (file: string) =>
    readFileSync(file, 'utf8')
      .split('\r\n')
      .filter((l) => l !== '');

  it('writes the lines `ahunt score` writes for the same objects', async () => {
    const local = await scoreWithModelFolder(project, model, { out: join(scratch, 'local.csv') });
    const part = await scoreObjects(model, list, {
      out: join(scratch, 'part-00000.csv'),
      threads: 1,
      batchSize: 100,
    });
    expect(part.rows).toBe(local.rows);
    const [header, ...rows] = lines(part.path);
    const [localHeader, ...localRows] = lines(local.path);
    expect(header).toBe(localHeader);
    expect(header).toBe('uid,score,p_normal,p_unknown,p_ring');
    expect(rows.sort()).toEqual(localRows.sort());
  });

  it('refuses a list that names an object twice (the import would refuse the whole job)', async () => {
    const [head, first, ...rest] = lines(list);
    const twice = join(scratch, 'twice.csv');
    writeFileSync(twice, [head, first, ...rest.slice(0, 3), first].join('\n'));
    await expect(scoreObjects(model, twice, { out: join(scratch, 'x.csv') })).rejects.toThrow(
      /line 6: ".*" already appears on line 2; give each object once/,
    );
  });

  it('says what to install when onnxruntime-node does not load, instead of scoring otherwise', async () => {
    const error = await scoreObjects(model, list, {
      out: join(scratch, 'y.csv'),
      importRuntime: () =>
        Promise.reject(new Error('libonnxruntime.so.1: cannot open shared object file')),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ClusterScoringError);
    expect((error as Error).message).toMatch(
      /libonnxruntime\.so\.1.*Run `npm ci` in the AHUNT checkout on every worker/,
    );
  });
});
