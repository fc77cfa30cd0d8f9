import { statSync } from 'node:fs';
import type { Db } from '../store/open';
import { findSource, type SourceRow } from '../store/sources';
import type { ChunkJob } from './messages';
import { stampOf } from './stamp';
import type { FileStamp, ScannedFile, Unit } from './types';

/** Ingested before with exactly this size and modification time: a re-run skips it. */
export function alreadyIngested(db: Db, path: string, stamp: FileStamp): boolean {
  return ingestedAs(findSource(db, path), stamp);
}

/**
 * What the project knows of a scanned file: its row under the file's real path, or, for a
 * project ingested before sources were keyed by real path, under the path as walked.
 */
function knownSource(db: Db, file: ScannedFile): SourceRow | undefined {
  return (
    findSource(db, file.real) ?? (file.path !== file.real ? findSource(db, file.path) : undefined)
  );
}

/**
 * Whether a run may skip a unit the project may know already: every file ingested before
 * with the same size and modification time. Otherwise it is decoded, and when a file of it
 * was ingested before and its stamp has changed, `unit.changedSince` says so: the writer
 * then compares the new pixels with the stored ones (see writeChunk). The same pixels (a
 * file touched or copied back) only update the stamp; different ones are refused, because
 * its objects and their labels describe the earlier bytes, and decoding it again would
 * either keep those silently or put new pixels under labels given to the old ones. A file
 * is stat'ed only when the project knows its path: a resumed run pays for the files it may
 * skip, not the new ones.
 */
export function planUnit(db: Db, unit: Unit): 'skip' | 'decode' {
  let skip = true;
  for (const file of unit.files) {
    const row = file.problem ? undefined : knownSource(db, file);
    if (row && row.path !== file.real) file.recorded = row.path;
    if (row?.status !== 'ingested') {
      skip = false;
      continue;
    }
    let now: FileStamp;
    try {
      now = stampOf(statSync(file.path));
    } catch {
      skip = false; // gone or unreadable now: decoding it again reports why
      continue;
    }
    if (ingestedAs(row, now)) continue;
    skip = false;
    const prefix = unit.files.length > 1 ? `${file.rel}: ` : '';
    unit.changedSince ??= prefix + changedReason(row, now);
  }
  return skip ? 'skip' : 'decode';
}

function changedReason(row: SourceRow, now: FileStamp): string {
  const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
  return (
    `has changed since it was ingested (then ${row.size} bytes, modified ${when(row.mtime_ms)} UTC; ` +
    `now ${now.size} bytes, modified ${when(now.mtimeMs)} UTC) and its pixels differ, so it was not ingested again: ` +
    `its ${row.objects} objects from the earlier version are kept as they were, with their labels. ` +
    'To add this version as new objects, copy it under another name or folder and ingest that'
  );
}

function ingestedAs(row: SourceRow | undefined, stamp: FileStamp): boolean {
  return row?.status === 'ingested' && row.size === stamp.size && row.mtime_ms === stamp.mtimeMs;
}

/**
 * Cuts the work into chunks of at most `batchFiles` files (one database transaction each),
 * small enough that every worker gets several. Memory is bounded where it is spent: a
 * decoder ends a chunk early once its pixels pass MAX_CHUNK_PIXEL_BYTES (see decodeChunk),
 * since input sizes say little about output (a compressed frame tiles into far more).
 */
export function makeChunks(units: Unit[], batchFiles: number, workers: number): ChunkJob[] {
  const totalFiles = units.reduce((n, u) => n + u.files.length, 0);
  const perChunk = Math.max(
    1,
    Math.min(batchFiles, Math.ceil(totalFiles / Math.max(1, workers * 4))),
  );
  const jobs: ChunkJob[] = [];
  let current: ChunkJob = { id: 0, units: [] };
  let files = 0;
  units.forEach((unit, index) => {
    if (current.units.length > 0 && files + unit.files.length > perChunk) {
      jobs.push(current);
      current = { id: jobs.length, units: [] };
      files = 0;
    }
    current.units.push({ index, unit });
    files += unit.files.length;
  });
  if (current.units.length > 0) jobs.push(current);
  return jobs;
}
