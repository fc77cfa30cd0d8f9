import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { ingest } from '../../../engine/ingest/ingest';
import { findClassByName } from '../../../engine/store/classes';
import { classCounts, countLabelled } from '../../../engine/store/labels';
import { getObject } from '../../../engine/store/objects';
import { createProject } from '../../../engine/store/project';
import { getRound, nextQuestion } from '../../../engine/store/rounds';
import { projectImageShape } from '../../../engine/hunt/images';
import { unlabelledBatches } from '../../../engine/store/image-batches';
import type { TrainingState } from '../../../contract/contract';
import type { ModelRunner } from '../../../engine/hunt/runner';
import { HuntSession } from '../../../engine/hunt/session';
import { classViews } from '../../../engine/hunt/views';
import { createWorkerRunner } from '../../../engine/hunt/worker-runner';
import { atLeast, atMost, SCALE_FLOORS, type FloorCheck, type ScaleFloors } from './floors';
import { generateScaleSurvey, isRing } from './survey';
import { timeCalls, type QueryTiming } from './timing';
import { scoringPrecision, type ScoringPrecision } from '../../../engine/learn/worker/fast-scorer';

export interface ScaleBenchOptions {
  /** Objects to generate and hunt through (default 1,000,000). */
  objects?: number;
  /** Keep the project in this folder instead of deleting it afterwards (must not be a project yet). */
  keep?: string;
  /** Where the temporary survey and project go (default the OS temp folder). */
  tmpDir?: string;
  /** Calls per UI query timing (default 200). */
  queryCalls?: number;
  /** Ingest decoding threads (default: ingest's own choice, see defaultWorkerCount). */
  workers?: number;
  floors?: Partial<ScaleFloors>;
  runner?: ModelRunner;
  /** Objects whose latent vectors a round keeps (default the session's, 20,000). */
  latentSample?: number;
  log?: (line: string) => void;
}

export interface ScaleBenchResult {
  benchmark: 'scale';
  objects: number;
  cores: number;
  /** 1/5/15-minute load averages before and after: the machine is shared, read figures beside them. */
  loadBefore: number[];
  loadAfter: number[];
  backend: string | null;
  /** The model workers' scoring graph (AHUNT_SCORING_PRECISION): run once each way to compare. */
  scoringPrecision: ScoringPrecision;
  ingest: {
    frames: number;
    generateSeconds: number;
    seconds: number;
    objects: number;
    rejected: number;
    objectsPerSecond: number;
  };
  coldStartRound: { seconds: number; questions: number };
  trainedRound: {
    /** From finishing round 1 to round 2's questions being ready: training + scoring + picking. */
    seconds: number;
    trainSeconds: number;
    scoreSeconds: number;
    scored: number;
    scoringObjectsPerSecond: number;
    /** Objects per CPU-second of the whole process (all threads) while pages were scored. */
    scoringObjectsPerCpuSecond: number | null;
    /** The scoring threads' CPU share while scoring: under 1 per core means other work had the cores. */
    scoringCpuCores: number | null;
    questions: number;
    labelsUsed: number;
  };
  queries: Record<'nextQuestion' | 'classCounts' | 'sessionState' | 'unlabelledPage', QueryTiming>;
  peakRssMB: number;
  /**
   * The project folder at rest (after closing): database, WAL, caches. Backups (whole copies
   * of the database kept for recovery) are counted apart in backupBytes, not per object.
   */
  storage: {
    bytes: number;
    bytesPerObject: number;
    bytesWhileOpen: number;
    backupBytes: number;
    files: Record<string, number>;
  };
  floors: {
    scoring: FloorCheck;
    queries: FloorCheck;
    peakRss: FloorCheck;
    storage: FloorCheck;
    allMet: boolean;
  };
  kept: string | null;
}

/**
 * `ahunt bench scale`: a synthetic survey of N 64×64 cutouts through the real product path —
 * ingest() with a catalogue over FITS frames, a HuntSession with the worker-thread model (the
 * desktop's runner), a cold-start round, the expert's answers (an oracle that knows where the
 * rings were painted), training, then the trained model scoring every unlabelled object and
 * picking the next questions — and the queries the window runs on every keystroke, timed.
 */
export async function benchScale(opts: ScaleBenchOptions = {}): Promise<ScaleBenchResult> {
  const say = opts.log ?? (() => {});
  // Each progress line carries the resident memory so far: the floor is on the peak.
  const log = (line: string) =>
    say(`${line}  [peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MB]`);
  const objects = opts.objects ?? 1_000_000;
  if (!Number.isInteger(objects) || objects < 100) {
    throw new Error('The scale benchmark needs a whole number of objects, at least 100.');
  }
  const floors = { ...SCALE_FLOORS, ...opts.floors };
  const loadBefore = loadavg().map(round2);
  const scratch = mkdtempSync(join(opts.tmpDir ?? tmpdir(), 'ahunt-bench-scale-'));
  const projectDir = opts.keep ? resolve(opts.keep) : join(scratch, 'project');
  let session: HuntSession | null = null;
  let closed = false;
  const project = createProject(projectDir, { name: `scale bench (${objects} objects)` });
  try {
    log(`generating ${objects} objects as FITS frames + catalogues…`);
    let started = performance.now();
    const survey = generateScaleSurvey(join(scratch, 'survey'), objects);
    const generateSeconds = seconds(started);

    log(`ingesting ${survey.frames} frames…`);
    started = performance.now();
    let ingested = 0;
    let rejected = 0;
    for (const chunk of survey.chunks) {
      const summary = await ingest(project, [chunk.frames], {
        catalogue: { path: chunk.catalogue },
        ...(opts.workers === undefined ? {} : { workers: opts.workers }),
      });
      ingested += summary.objects;
      rejected += summary.rejected;
      const s = seconds(started);
      log(`  ${ingested} objects in ${s.toFixed(1)} s (${Math.round(ingested / s)}/s)`);
    }
    const ingestSeconds = seconds(started);
    rmSync(join(scratch, 'survey'), { recursive: true, force: true });

    const errors: string[] = [];
    // Scoring reports progress page by page: wall and CPU time between the first and the last
    // page give the rate and what it costs in CPU (on a shared machine, objects per CPU-second
    // × cores is what idle cores would reach).
    let pages: { first: ScoringMark; last: ScoringMark } | null = null;
    session = await HuntSession.open(
      project,
      opts.runner ?? createWorkerRunner(),
      (event, p) => {
        if (event === 'engine.error') errors.push((p as { message: string }).message);
        if (event === 'training.progress' && (p as TrainingState).phase === 'scoring') {
          const mark = scoringMark((p as TrainingState).batch);
          pages = pages ? { ...pages, last: mark } : { first: mark, last: mark };
        }
      },
      opts.latentSample === undefined ? {} : { latentSample: opts.latentSample },
    );
    const fail = () => {
      if (errors.length > 0) throw new Error(`The round failed: ${errors.join('; ')}`);
    };

    log('round 1 (cold start: isolation forest on pooled pixels)…');
    started = performance.now();
    const first = await session.startRound();
    fail();
    const coldSeconds = seconds(started);

    // The expert: rings (painted at known places) are the anomaly, everything else normal.
    const ring = session.createClass('ring', 'anomaly');
    const normal = findClassByName(project.db, 'normal')!;
    for (const q of first.questions) {
      const o = getObject(project.db, q.objectId)!;
      const hit = isRing(survey, basename(o.source_path), o.x! + 1, o.y! + 1);
      session.label(q.objectId, hit ? ring.id : normal.id);
    }
    const labelsUsed = countLabelled(project.db);

    log(`round 1 answered (${labelsUsed} labels); training, then scoring every object…`);
    pages = null;
    started = performance.now();
    session.finishRound();
    await session.idle();
    fail();
    const trainedSeconds = seconds(started);
    const state = session.state();
    const trained = getRound(project.db, state.round!.number)!;
    const coldRound = getRound(project.db, first.round!.number)!;
    const scored = ingested - labelsUsed;
    const scoreSeconds = trained.score_seconds ?? NaN;
    const pageRate = scoringRates(pages);

    log('timing the per-keystroke queries…');
    const calls = opts.queryCalls ?? 200;
    const shape = projectImageShape(project.db)!;
    const db = project.db;
    const live = session;
    const queries = {
      nextQuestion: timeCalls(calls, () => nextQuestion(db, trained.number)),
      classCounts: timeCalls(calls, () => {
        classCounts(db);
        classViews(db);
      }),
      sessionState: timeCalls(calls, () => live.state()),
      unlabelledPage: timeCalls(calls, () => unlabelledBatches(db, shape, 64).next()),
    };
    const backend = state.backend?.name ?? null;
    await session.close();
    session = null;
    // Measured while open (the WAL at its high-water mark) and at rest (closing checkpoints it).
    const whileOpen = folderBytes(projectDir);
    project.close();
    closed = true;
    const storage = folderBytes(projectDir);
    const bytesPerObject = Math.round(storage.bytes / Math.max(1, ingested));
    const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
    const scoringObjectsPerSecond = Math.round(scored / scoreSeconds);
    // The floor is for what a keystroke waits on; a page of 64 cutouts' pixels is reported beside.
    const worstQuery = Math.max(
      queries.nextQuestion.p95,
      queries.classCounts.p95,
      queries.sessionState.p95,
    );
    const checks = {
      scoring: atLeast(scoringObjectsPerSecond, floors.scoringObjectsPerSecond),
      queries: atMost(worstQuery, floors.queryMs),
      peakRss: atMost(peakRssMB, floors.peakRssMB),
      storage: atMost(bytesPerObject, floors.bytesPerObject),
    };
    return {
      benchmark: 'scale',
      objects,
      cores: availableParallelism(),
      loadBefore,
      loadAfter: loadavg().map(round2),
      backend,
      scoringPrecision: scoringPrecision(),
      ingest: {
        frames: survey.frames,
        generateSeconds: round2(generateSeconds),
        seconds: round2(ingestSeconds),
        objects: ingested,
        rejected,
        objectsPerSecond: Math.round(ingested / ingestSeconds),
      },
      coldStartRound: { seconds: round2(coldSeconds), questions: first.questions.length },
      trainedRound: {
        seconds: round2(trainedSeconds),
        trainSeconds: round2(coldRound.train_seconds ?? NaN),
        scoreSeconds: round2(scoreSeconds),
        scored,
        scoringObjectsPerSecond,
        ...pageRate,
        questions: state.questions.length,
        labelsUsed,
      },
      queries,
      peakRssMB,
      storage: {
        ...storage,
        bytesPerObject,
        bytesWhileOpen: whileOpen.bytes,
        backupBytes: storage.backupBytes,
      },
      floors: { ...checks, allMet: Object.values(checks).every((c) => c.met) },
      kept: opts.keep ? projectDir : null,
    };
  } finally {
    await session?.close();
    if (!closed) project.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

interface ScoringMark {
  objects: number;
  wall: number;
  cpu: number;
}

function scoringMark(objects: number): ScoringMark {
  const cpu = process.cpuUsage();
  return { objects, wall: performance.now(), cpu: (cpu.user + cpu.system) / 1000 };
}

function scoringRates(pages: { first: ScoringMark; last: ScoringMark } | null): {
  scoringObjectsPerCpuSecond: number | null;
  scoringCpuCores: number | null;
} {
  const objects = pages ? pages.last.objects - pages.first.objects : 0;
  if (!pages || objects <= 0) return { scoringObjectsPerCpuSecond: null, scoringCpuCores: null };
  const cpuMs = pages.last.cpu - pages.first.cpu;
  const wallMs = pages.last.wall - pages.first.wall;
  return {
    scoringObjectsPerCpuSecond: Math.round((objects * 1000) / cpuMs),
    scoringCpuCores: round2(cpuMs / wallMs),
  };
}

/** Every file in the project folder (database, WAL, shared memory, caches), by name; backups apart. */
function folderBytes(dir: string): {
  bytes: number;
  backupBytes: number;
  files: Record<string, number>;
} {
  const files: Record<string, number> = {};
  let bytes = 0;
  let backupBytes = 0;
  const walk = (folder: string, prefix: string) => {
    if (!existsSync(folder)) return;
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path, `${prefix}${entry.name}/`);
      else if (entry.isFile()) {
        const size = statSync(path).size;
        files[`${prefix}${entry.name}`] = size;
        if (prefix.startsWith('backups/')) backupBytes += size;
        else bytes += size;
      }
    }
  };
  walk(dir, '');
  return { bytes, backupBytes, files };
}

function seconds(since: number): number {
  return (performance.now() - since) / 1000;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Makes sure a --keep folder can take a new project before hours of work start. */
export function checkKeepFolder(dir: string): void {
  const target = resolve(dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new Error(`${target} is not empty; give --keep a new or empty folder.`);
  }
  mkdirSync(target, { recursive: true });
}
