import { statSync } from 'node:fs';
import type { Db } from '../store/open';
import { insertObject } from '../store/objects';
import { nowIso } from '../store/statement';
import { addIngestError, recordSource } from '../store/sources';
import type { ChunkResult } from './messages';
import { stampOf } from './stamp';
import type { FileStamp, IngestIssue, Unit } from './types';

export interface WriteCounts {
  ingestedFiles: number;
  rejectedFiles: number;
  objects: number;
}

/**
 * Writes one decoded chunk in ONE transaction: every file's source row, its objects, and
 * its final status commit together, so a crash or kill leaves each file either fully
 * ingested or untouched (and a re-run redoes exactly the untouched ones).
 */
export function writeChunk(
  db: Db,
  units: Unit[],
  result: ChunkResult,
  size: number,
  issues: IngestIssue[],
): WriteCounts {
  const counts: WriteCounts = { ingestedFiles: 0, rejectedFiles: 0, objects: 0 };
  const pending: IngestIssue[] = [];
  const at = nowIso();
  db.transaction(() => {
    for (const outcome of result.outcomes) {
      const unit = units[outcome.index]!;
      const status = outcome.rejected === null ? 'ingested' : 'rejected';
      const ids = unit.files.map((f, i) => {
        const stamp = outcome.stamps?.[i] ?? stampOrZero(f.path);
        return recordSource(
          db,
          { ...stamp, path: f.path, kind: f.kind },
          status,
          outcome.objects.length,
          at,
        );
      });
      if (outcome.rejected !== null) {
        const path = unit.files[0]!.path;
        addIngestError(db, path, outcome.rejected);
        pending.push({ path, reason: outcome.rejected });
        counts.rejectedFiles += unit.files.length;
        continue;
      }
      for (const o of outcome.objects) {
        insertObject(db, {
          uid: o.uid,
          sourceId: ids[0]!,
          hdu: o.hdu,
          x: o.x,
          y: o.y,
          ra: o.ra,
          dec: o.dec,
          bands: o.bands,
          bandNames: o.bandNames,
          size,
          pixelFormat: o.format,
          pixels: Buffer.from(result.pixels.buffer, result.pixels.byteOffset + o.offset, o.length),
          lo: o.lo,
          hi: o.hi,
          meta: o.meta,
          createdAt: at,
        });
      }
      counts.ingestedFiles += unit.files.length;
      counts.objects += outcome.objects.length;
    }
  })();
  // Only after the commit: a rolled-back chunk must not report errors it never recorded.
  issues.push(...pending);
  return counts;
}

/**
 * A refused file's stamp, taken now (it was not read through). Refused files are never
 * skipped by a re-run, so this only informs; a file that is gone or unreadable gets zeros.
 */
function stampOrZero(path: string): FileStamp {
  try {
    return stampOf(statSync(path));
  } catch {
    return { size: 0, mtimeMs: 0 };
  }
}
