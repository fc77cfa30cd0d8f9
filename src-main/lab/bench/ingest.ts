import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateDemoSurvey } from '../../engine/demo/survey';
import { ingest } from '../../engine/ingest/ingest';
import { countObjects } from '../../engine/store/objects';
import { checkpointFully } from '../../engine/store/open';
import { createProject, databasePath } from '../../engine/store/project';

export interface BenchIngestOptions {
  /** FITS cutouts to generate and ingest (default 10,000). */
  count?: number;
  workers?: number;
  /** Galaxy Zoo folder (default ../shared/datasets/galaxyzoo1 from the repository root); false to skip. */
  galaxyZoo?: string | false;
  /** Where the temporary survey and projects go (default the OS temp folder); removed afterwards. */
  tmpDir?: string;
  log?: (line: string) => void;
}

interface RunFigures {
  files: number;
  objects: number;
  rejected: number;
  seconds: number;
  filesPerSecond: number;
  megabytesPerSecond: number;
  /** Database (plus WAL) bytes divided by objects: pixels, metadata, indexes, everything. */
  bytesPerObject: number;
  /**
   * CPU seconds of the whole process (all threads). On a busy machine wall time says little;
   * files per CPU-second × cores is what idle cores could reach.
   */
  cpuSeconds: number;
  filesPerCpuSecond: number;
}

/**
 * The ingest benchmark behind `ahunt bench ingest --json`: 10,000 synthetic 64×64 float32
 * FITS cutouts (generated first, not timed) into a new project, then the Galaxy Zoo JPEGs
 * with their labels when the data set is present. Peak RSS covers the whole process
 * (worker threads included). The floor the product promises: 5,000 FITS files/s on 2 cores.
 */
export async function benchIngest(opts: BenchIngestOptions = {}): Promise<object> {
  const log = opts.log ?? (() => {});
  const count = opts.count ?? 10_000;
  const scratch = mkdtempSync(join(opts.tmpDir ?? tmpdir(), 'ahunt-bench-ingest-'));
  try {
    log(`generating ${count} FITS cutouts…`);
    const generateStart = performance.now();
    const survey = generateDemoSurvey(join(scratch, 'survey'), { count, seed: 7 });
    const generateSeconds = (performance.now() - generateStart) / 1000;
    const inputBytes = survey.files.reduce((n, f) => n + statSync(f).size, 0);
    log('ingesting FITS…');
    const fits = await timedIngest(
      join(scratch, 'fits-project'),
      [survey.dir],
      inputBytes,
      opts.workers,
    );
    const result: Record<string, unknown> = {
      benchmark: 'ingest',
      cores: (await import('node:os')).availableParallelism(),
      fits: {
        ...fits,
        generateSeconds,
        inputBytes,
        floorFilesPerSecond: 5000,
        meetsFloor: fits.filesPerSecond >= 5000,
      },
    };
    const zoo =
      opts.galaxyZoo === false
        ? null
        : resolve(opts.galaxyZoo ?? resolve(repoRoot(), '../shared/datasets/galaxyzoo1'));
    if (zoo && existsSync(join(zoo, 'images'))) {
      log('ingesting Galaxy Zoo JPEGs with labels…');
      const images = join(zoo, 'images');
      const bytes = readdirSync(images).reduce((n, f) => n + statSync(join(images, f)).size, 0);
      const run = await timedIngest(
        join(scratch, 'zoo-project'),
        [zoo],
        bytes,
        opts.workers,
        join(zoo, 'labels.csv'),
      );
      result.jpeg = run;
    } else {
      result.jpeg = { skipped: `Galaxy Zoo not found at ${zoo ?? '(disabled)'}` };
    }
    result.peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
    return result;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function timedIngest(
  dir: string,
  paths: string[],
  inputBytes: number,
  workers: number | undefined,
  labels?: string,
): Promise<RunFigures & { labelsImported?: number }> {
  const project = createProject(dir);
  const cpuBefore = process.cpuUsage();
  try {
    const summary = await ingest(project, paths, {
      ...(workers === undefined ? {} : { workers }),
      ...(labels ? { labels: { path: labels } } : {}),
    });
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const objects = countObjects(project.db);
    checkpointFully(project.db);
    const dbFile = databasePath(dir);
    const dbBytes =
      statSync(dbFile).size + (existsSync(`${dbFile}-wal`) ? statSync(`${dbFile}-wal`).size : 0);
    const files = summary.ingested + summary.rejected;
    return {
      files,
      objects,
      rejected: summary.rejected,
      seconds: round(summary.seconds),
      filesPerSecond: Math.round(files / summary.seconds),
      megabytesPerSecond: round(inputBytes / 1e6 / summary.seconds),
      bytesPerObject: Math.round(dbBytes / Math.max(1, objects)),
      cpuSeconds: round(cpuSeconds),
      filesPerCpuSecond: Math.round(files / cpuSeconds),
      ...(summary.labels ? { labelsImported: summary.labels.imported } : {}),
    };
  } finally {
    project.close();
  }
}

function repoRoot(): string {
  return resolve(new URL('.', import.meta.url).pathname, '../../..');
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
