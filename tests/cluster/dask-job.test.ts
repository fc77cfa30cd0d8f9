import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importScores, parseCsv, scoreWithModelFolder } from '../../src-main/engine/export';
import { allObjectIds } from '../../src-main/engine/store/objects';
import { getScore, type Project } from '../../src-main/engine/store';
import { uidOfObjectId } from '../../src-main/engine/store/uids';
import { addModel, exportObjectList, ingestSurvey, writeSurvey, type SurveyShape } from './survey';

// The cluster job of scripts/cluster/dask_score.py against a real Dask cluster on loopback: a
// scheduler and two worker processes, one of them killed while it scores a part. The scores
// that come home must be every object's, once, and the very numbers local scoring gives.

const PYTHON = '/usr/bin/python3';
const JOB = resolve('scripts/cluster/dask_score.py');
const hasDask = spawnSync(PYTHON, ['-c', 'import distributed'], { stdio: 'ignore' }).status === 0;
const inCi = process.env.CI === 'true';

/** 3 frames × 900 catalogue windows + 2 frames × 25 tiles + 40 cutouts: 2,790 objects. */
const SHAPE: SurveyShape = {
  size: 32,
  catalogueFrames: 3,
  step: 6,
  frameSide: 180,
  gridFrames: 2,
  cutouts: 40,
};

interface Row {
  uid: string;
  score: number;
  probs: number[];
}

function readScores(file: string): Row[] {
  const { rows } = parseCsv(readFileSync(file, 'utf8'));
  return rows
    .filter((r) => r.length > 1)
    .map(([uid, score, ...probs]) => ({
      uid: uid!,
      score: Number(score),
      probs: probs.map(Number),
    }));
}

/** Uids of the highest `n` scores, ties broken by uid, so the comparison is well defined. */
function top(rows: Row[], n: number): string[] {
  return [...rows]
    .sort((a, b) => b.score - a.score || (a.uid < b.uid ? -1 : 1))
    .slice(0, n)
    .map((r) => r.uid);
}

async function waitFor<T>(what: string, probe: () => T | undefined, seconds: number): Promise<T> {
  const until = Date.now() + seconds * 1000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// Without python3-distributed the file is skipped, except in CI, where it must run (and fail).
describe.runIf(hasDask || inCi)(
  'scoring on a Dask cluster (scheduler + 2 workers on 127.0.0.1)',
  () => {
    const scratch = mkdtempSync(join(tmpdir(), 'ahunt-dask-'));
    const processes: ChildProcess[] = [];
    let project: Project;
    let objects: number;
    let local: Row[];

    /** A Python process of ours, stopped in afterAll if still running. */
    function python(args: string[]): ChildProcess {
      const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: scratch });
      let text = '';
      child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
      Object.defineProperty(child, 'output', { get: () => text });
      processes.push(child);
      return child;
    }
    const output = (child: ChildProcess) => (child as ChildProcess & { output: string }).output;

    beforeAll(async () => {
      expect(hasDask, "the cluster test needs Debian's python3-distributed").toBe(true);
      const survey = writeSurvey(join(scratch, 'survey'), SHAPE);
      objects = survey.objects;
      project = await ingestSurvey(join(scratch, 'project'), survey, SHAPE.size);
      await addModel(project, join(scratch, 'model'), SHAPE.size);
      exportObjectList(project, join(scratch, 'objects.csv'));
      const scored = await scoreWithModelFolder(project, join(scratch, 'model'), {
        out: join(scratch, 'local.csv'),
      });
      expect(scored.backend).toBe('onnxruntime');
      local = readScores(scored.path);
    }, 180_000);

    afterAll(() => {
      for (const child of processes) if (child.exitCode === null) child.kill('SIGKILL');
      project?.close();
      rmSync(scratch, { recursive: true, force: true });
    });

    it('scores every object once, as local scoring does, though a worker is killed mid-job', async () => {
      const schedulerFile = join(scratch, 'scheduler.json');
      const common = ['--no-dashboard', '--host', '127.0.0.1'];
      const scheduler = python([
        '-m',
        'distributed.cli.dask_scheduler',
        ...common,
        '--port',
        '0',
        '--scheduler-file',
        schedulerFile,
      ]);
      await waitFor('the scheduler', () => (existsSync(schedulerFile) ? true : undefined), 60);
      const workers = ['w1', 'w2'].map((name) =>
        python([
          '-m',
          'distributed.cli.dask_worker',
          ...common,
          '--scheduler-file',
          schedulerFile,
          '--nthreads',
          '1',
          '--no-nanny',
          '--name',
          name,
          '--local-directory',
          join(scratch, name),
        ]),
      );
      const victim = workers[0]!;
      const attempts = join(scratch, 'attempts');
      const out = join(scratch, 'scores');
      mkdirSync(attempts);
      const job = python([
        JOB,
        '--scheduler-file',
        schedulerFile,
        '--min-workers',
        '2',
        '--model',
        join(scratch, 'model'),
        '--objects',
        join(scratch, 'objects.csv'),
        '--out',
        out,
        '--part-size',
        '300',
        '--attempts-dir',
        attempts,
        '--json',
      ]);
      const exited = new Promise<number | null>((done) => job.on('exit', (code) => done(code)));

      // Kill the first worker while it runs a task: its attempt marker is written as the task
      // starts `ahunt score-objects`, which then takes a second or more to cut and score.
      const killedPart = await waitFor(
        'a task on the first worker',
        () => readdirSync(attempts).find((m) => m.split('.').at(-2) === String(victim.pid)),
        120,
      );
      await new Promise((r) => setTimeout(r, 100));
      expect(existsSync(join(out, killedPart.split('.csv')[0] + '.csv'))).toBe(false);
      victim.kill('SIGKILL');

      const code = await Promise.race([
        exited,
        new Promise<never>((_, fail) =>
          setTimeout(() => fail(new Error(`job timed out:\n${output(job)}`)), 180_000),
        ),
      ]);
      expect(code, output(job)).toBe(0);
      expect(scheduler.exitCode).toBe(null);
      const summary = JSON.parse(output(job).trim().split('\n').at(-1)!) as {
        objects: number;
        parts: number;
        tasks: { part: string; worker: string }[];
      };
      expect(summary.objects).toBe(objects);
      expect(summary.parts).toBeGreaterThanOrEqual(7);

      // The killed task ran again, on the other worker, and wrote its part once.
      const part = killedPart.split('.csv')[0] + '.csv';
      const tries = readdirSync(attempts).filter((m) => m.startsWith(`${part}.`));
      expect(tries.length).toBeGreaterThanOrEqual(2);
      const rerun = summary.tasks.find((t) => t.part === part)!;
      expect(rerun.worker.endsWith(`:${workers[1]!.pid}`)).toBe(true);

      // Every object exactly once across the parts; the folder holds parts and _SUCCESS only.
      const names = readdirSync(out).sort();
      expect(names.filter((n) => !/^part-\d{5}\.csv$/.test(n))).toEqual(['_SUCCESS']);
      const rows = names.filter((n) => n.endsWith('.csv')).flatMap((n) => readScores(join(out, n)));
      expect(rows.length).toBe(objects);
      const uids = new Set(rows.map((r) => r.uid));
      expect(uids.size).toBe(objects);

      // Equal to local scoring: the same top 1 %, and (the inputs being bit-identical) the same
      // numbers, down to the last digit written.
      const byUid = new Map(local.map((r) => [r.uid, r]));
      let largest = 0;
      for (const row of rows) {
        const mine = byUid.get(row.uid)!;
        largest = Math.max(largest, Math.abs(row.score - mine.score));
        row.probs.forEach((p, c) => (largest = Math.max(largest, Math.abs(p - mine.probs[c]!))));
      }
      const onePercent = Math.ceil(objects / 100);
      expect(top(rows, onePercent)).toEqual(top(local, onePercent));
      expect(largest, 'largest difference between cluster and local scores').toBe(0);

      // Home: the import takes every part, and every object of the project has its score.
      const imported = importScores(project, out);
      expect(imported.rows).toBe(objects);
      for (const id of allObjectIds(project.db)) {
        const stored = getScore(project.db, id);
        expect(stored, uidOfObjectId(project.db, id)).toBeDefined();
        expect(stored!.score).toBeCloseTo(byUid.get(uidOfObjectId(project.db, id)!)!.score, 6);
      }
    }, 240_000);
  },
);
