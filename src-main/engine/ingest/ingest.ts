import { BackgroundCheckpointer } from '../store/checkpointer';
import type { Project } from '../store/project';
import { addIngestError, hasSources, recordSource } from '../store/sources';
import { groupUnits } from './bands';
import { readCatalogue, type Catalogue } from './catalogue';
import {
  defaultWorkerCount,
  inlineDecoder,
  WorkerDecoder,
  type Decoder,
  type DecodingWork,
} from './decoder';
import { EarlyWorkers } from './early-workers';
import { IngestError } from './errors';
import { importLabels, readLabelsFile } from './labels';
import type { DecodeSettings } from './messages';
import { alreadyIngested, makeChunks, planUnit } from './plan';
import { pumpChunks } from './pump';
import { scanPaths } from './scan';
import type { IngestIssue, IngestOptions, IngestSummary, Unit } from './types';
import { writeChunk } from './write';

/**
 * Below this much work worker start-up (~0.5 s under tsx) costs more than it saves: a few
 * dozen files, or, with a catalogue, a few thousand cutouts (a handful of frames can hold
 * 10^5 of them).
 */
const INLINE_BELOW_FILES = 48;
const INLINE_BELOW_CUTOUTS = 4096;
const MAX_REPORTED_ERRORS = 1000;

/**
 * Ingests folders/files into a project: scan → group bands → decode in worker threads →
 * write in batched transactions on this thread. Resumable (unchanged ingested files are
 * skipped), cancellable (options.signal; what was committed stays), and a bad file is
 * recorded as rejected with its reason while the run goes on. Inputs that make the whole
 * run meaningless (a path or catalogue that does not exist, a malformed catalogue) throw
 * IngestError before anything is written.
 */
export async function ingest(
  project: Project,
  paths: string[],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  // Started before the files' kinds are known: as many as FITS wants (JPEGs add one).
  const early = new EarlyWorkers(options.workers ?? defaultWorkerCount('fits'));
  try {
    return await runIngest(project, paths, options, early);
  } finally {
    await early.take(-1); // started for a run that did not use them (it failed, or was small)
  }
}

async function runIngest(
  project: Project,
  paths: string[],
  options: IngestOptions,
  early: EarlyWorkers,
): Promise<IngestSummary> {
  const started = performance.now();
  const { db } = project;
  const size = checkSize(options.size ?? 64);
  const catalogue = options.catalogue ? readCatalogue(options.catalogue) : null;
  const labels = options.labels ? readLabelsFile(options.labels) : null;
  const settings: DecodeSettings = {
    size,
    layout: options.layout ?? 'auto',
    hdu: options.hdu ?? null,
    catalogue: catalogue ? { system: catalogue.system, entries: catalogue.entries } : null,
  };
  const files = await scanPaths(paths, (listed) => {
    if (listed >= INLINE_BELOW_FILES && !options.signal?.aborted) early.start(settings);
  });
  const units = groupUnits(files, options.bands ?? 'auto');

  // A changed catalogue means new positions on old frames: every frame is cut again.
  const catalogueUnchanged = catalogue ? alreadyIngested(db, catalogue.path, catalogue) : true;
  // A first run into a new project has nothing to skip or refuse: no lookup per file.
  const known = hasSources(db);
  const todo: Unit[] = [];
  let skipped = 0;
  for (const unit of units) {
    if (known && planUnit(db, unit) === 'skip' && catalogueUnchanged) skipped += unit.files.length;
    else todo.push(unit);
  }
  const todoFiles = todo.reduce((n, u) => n + u.files.length, 0);
  const small =
    todoFiles < INLINE_BELOW_FILES && (catalogue?.entries.length ?? 0) < INLINE_BELOW_CUTOUTS;
  const workers = options.workers ?? (small ? 0 : defaultWorkerCount(decodingWork(todo)));
  // With a catalogue one frame can hold thousands of cutouts (25 MB of pixels per 512×512
  // frame at 8-pixel spacing): a chunk is then one frame, or the chunks in flight would hold
  // gigabytes. Without one a decoder ends a chunk early once it holds enough pixels.
  const jobs = makeChunks(todo, catalogue ? 1 : (options.batchFiles ?? 256), workers);

  const issues: IngestIssue[] = [];
  const summary: IngestSummary = {
    ingested: 0,
    skipped,
    rejected: 0,
    objects: 0,
    errors: [],
    seconds: 0,
    cancelled: false,
    labels: null,
  };
  const placed = new Set<number>();
  let done = skipped;
  const report = () => {
    const seconds = (performance.now() - started) / 1000;
    options.onProgress?.({
      done,
      total: files.length,
      ingested: summary.ingested,
      skipped,
      rejected: summary.rejected,
      objects: summary.objects,
      filesPerSecond: seconds > 0 ? (done - skipped) / seconds : 0,
    });
  };
  report();
  const signal = options.signal;
  const decoder: Decoder | null =
    jobs.length === 0 || signal?.aborted
      ? null
      : workers === 0
        ? inlineDecoder(settings)
        : ((await early.take(workers)) ?? (await WorkerDecoder.start(settings, workers)));
  // A batch lost to a power cut before its checkpoint is simply redone by the next run (its
  // files were not marked ingested either).
  const checkpointer = decoder ? BackgroundCheckpointer.start(db, { takeOver: true }) : null;
  try {
    summary.cancelled = signal?.aborted ?? false;
    if (decoder) {
      summary.cancelled = await pumpChunks(decoder, jobs, signal, (result) => {
        const counts = writeChunk(
          db,
          todo,
          result,
          { size, catalogue: catalogue !== null },
          issues,
        );
        checkpointer?.wrote(result.pixels.byteLength);
        for (const o of result.outcomes) for (const row of o.placedRows) placed.add(row);
        summary.ingested += counts.ingestedFiles;
        summary.rejected += counts.rejectedFiles;
        summary.objects += counts.objects;
        done += counts.ingestedFiles + counts.rejectedFiles;
        report();
      });
    }
  } finally {
    await checkpointer?.stop();
    await decoder?.close();
  }

  // An unchanged catalogue was already checked against every frame when it was first ingested.
  if (catalogue && !catalogueUnchanged && !summary.cancelled)
    recordCatalogue(project, catalogue, placed, issues);
  if (labels && !summary.cancelled) {
    summary.labels = importLabels(db, labels, options.labels ?? {}, issues);
  }
  summary.errors = issues.slice(0, MAX_REPORTED_ERRORS);
  if (issues.length > MAX_REPORTED_ERRORS) {
    summary.errors.push({
      path: '',
      reason: `… and ${issues.length - MAX_REPORTED_ERRORS} more (see the project's ingest errors)`,
    });
  }
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/** JPEG/PNG decoding outweighs the writes when a run has any; otherwise FITS's balance holds. */
function decodingWork(units: Unit[]): DecodingWork {
  return units.some((u) => u.files[0]!.kind === 'image') ? 'image' : 'fits';
}

function checkSize(size: number): number {
  if (!Number.isInteger(size) || size < 8 || size > 1024) {
    throw new IngestError(
      'bad-option',
      null,
      `The cutout size must be a whole number of pixels from 8 to 1024, not ${size}.`,
    );
  }
  return size;
}

/** Rows that landed on no frame are reported, and the catalogue is remembered for resuming. */
function recordCatalogue(
  project: Project,
  catalogue: Catalogue,
  placed: Set<number>,
  issues: IngestIssue[],
): void {
  const { db } = project;
  db.transaction(() => {
    for (const e of catalogue.entries) {
      if (placed.has(e.row)) continue;
      const where =
        e.ra !== null
          ? `RA ${e.ra.toFixed(6)}, Dec ${e.dec!.toFixed(6)}`
          : `x ${e.x! + 1}, y ${e.y! + 1} (1-based)`;
      const reason = `line ${e.line}: object ${e.id} at ${where} is off every frame${e.file ? ` (${e.file})` : ''}`;
      addIngestError(db, catalogue.path, reason);
      issues.push({ path: catalogue.path, reason });
    }
    recordSource(
      db,
      {
        path: catalogue.path,
        size: catalogue.size,
        mtimeMs: Math.trunc(catalogue.mtimeMs),
        kind: 'catalogue',
      },
      'ingested',
      placed.size,
    );
  })();
}
