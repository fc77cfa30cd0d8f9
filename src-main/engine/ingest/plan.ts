import type { Db } from '../store/open';
import { findSource } from '../store/sources';
import type { ChunkJob } from './messages';
import type { Unit } from './types';

/** Unchanged since it was ingested (same size and modification time): a re-run skips it. */
export function alreadyIngested(
  db: Db,
  file: { path: string; size: number; mtimeMs: number },
): boolean {
  const row = findSource(db, file.path);
  return (
    row !== undefined &&
    row.status === 'ingested' &&
    row.size === file.size &&
    row.mtime_ms === file.mtimeMs
  );
}

/**
 * Cuts the work into chunks: at most `batchFiles` files (one database transaction each)
 * and at most ~64 MB of input, and small enough that every worker gets several chunks.
 */
export function makeChunks(units: Unit[], batchFiles: number, workers: number): ChunkJob[] {
  const totalFiles = units.reduce((n, u) => n + u.files.length, 0);
  const perChunk = Math.max(
    1,
    Math.min(batchFiles, Math.ceil(totalFiles / Math.max(1, workers * 4))),
  );
  const maxBytes = 64 * 1024 * 1024;
  const jobs: ChunkJob[] = [];
  let current: ChunkJob = { id: 0, units: [] };
  let files = 0;
  let bytes = 0;
  units.forEach((unit, index) => {
    const unitBytes = unit.files.reduce((n, f) => n + f.size, 0);
    if (
      current.units.length > 0 &&
      (files + unit.files.length > perChunk || bytes + unitBytes > maxBytes)
    ) {
      jobs.push(current);
      current = { id: jobs.length, units: [] };
      files = 0;
      bytes = 0;
    }
    current.units.push({ index, unit });
    files += unit.files.length;
    bytes += unitBytes;
  });
  if (current.units.length > 0) jobs.push(current);
  return jobs;
}
