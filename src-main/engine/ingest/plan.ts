import { statSync } from 'node:fs';
import type { Db } from '../store/open';
import { findSource, type SourceRow } from '../store/sources';
import type { ChunkJob } from './messages';
import { stampOf } from './stamp';
import type { FileStamp, Unit } from './types';

/** Ingested before with exactly this size and modification time: a re-run skips it. */
export function alreadyIngested(db: Db, path: string, stamp: FileStamp): boolean {
  return ingestedAs(findSource(db, path), stamp);
}

/**
 * Whether a scanned file is unchanged since it was ingested. The file is stat'ed only when
 * the project knows its path: a resumed run pays for the files it may skip, not the new ones.
 */
export function fileAlreadyIngested(db: Db, path: string): boolean {
  const row = findSource(db, path);
  if (row?.status !== 'ingested') return false;
  try {
    return ingestedAs(row, stampOf(statSync(path)));
  } catch {
    return false; // gone or unreadable now: decoding it again reports why
  }
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
