import { statSync } from 'node:fs';
import { dirname, sep } from 'node:path';
import type { Db } from '../store/open';
import {
  deleteNewObjects,
  getObjectByUid,
  getPixels,
  insertNewObject,
  sourceOfUid,
  uidNameTakenByOther,
} from '../store/objects';
import { nowIso } from '../store/statement';
import { addIngestError, findSource, recordSource } from '../store/sources';
import type { ChunkResult, UnitOutcome } from './messages';
import { stampOf } from './stamp';
import type { FileStamp, IngestIssue, Unit } from './types';
import { unitName } from './uid';

export interface WriteCounts {
  ingestedFiles: number;
  rejectedFiles: number;
  /** Object rows this chunk wrote (an object already stored is not counted again). */
  objects: number;
}

export interface WriteSettings {
  size: number;
  /** Objects are catalogue positions: a frame cut again may add some beside the stored ones. */
  catalogue: boolean;
}

/**
 * Writes one decoded chunk in ONE transaction: every file's source row, its objects, and
 * its final status commit together, so a crash or kill leaves each file either fully
 * ingested or untouched (and a re-run redoes exactly the untouched ones). A source is
 * recorded under its real path (see ScannedFile). A file changed since it was ingested
 * whose pixels differ is refused here and its earlier row and objects are left as they were
 * (see planUnit).
 */
export function writeChunk(
  db: Db,
  units: Unit[],
  result: ChunkResult,
  settings: WriteSettings,
  issues: IngestIssue[],
): WriteCounts {
  const counts: WriteCounts = { ingestedFiles: 0, rejectedFiles: 0, objects: 0 };
  const pending: IngestIssue[] = [];
  const at = nowIso();
  db.transaction(() => {
    for (const outcome of result.outcomes) {
      const unit = units[outcome.index]!;
      if (unit.changedSince !== undefined) {
        const refusal =
          outcome.rejected ??
          (differsFromStored(db, unit, outcome, result, settings) ? unit.changedSince : null);
        if (refusal !== null) {
          // The earlier version stays as it was: its row, its objects, their labels.
          const path = unit.files[0]!.path;
          addIngestError(db, path, refusal);
          pending.push({ path, reason: refusal });
          counts.rejectedFiles += unit.files.length;
          continue;
        }
      }
      const status = outcome.rejected === null ? 'ingested' : 'rejected';
      const ids = unit.files.map((f, i) => {
        const stamp = outcome.stamps?.[i] ?? stampOrZero(f.path);
        return recordSource(
          db,
          { ...stamp, path: f.recorded ?? f.real, kind: f.kind },
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
      const written = insertObjects(db, unit, outcome, result, ids[0]!, settings.size, at);
      counts.ingestedFiles += unit.files.length;
      counts.objects += written;
    }
  })();
  // Only after the commit: a rolled-back chunk must not report errors it never recorded.
  issues.push(...pending);
  return counts;
}

/**
 * Inserts a unit's objects and returns how many rows were written. Objects are named after
 * their unit (see unitName), and that name may already belong to another source's objects:
 * `night1/frame.fits` and `night2/frame.fits` ingested as files are both `frame.fits`. The
 * first uid found taken by another source makes the whole unit start again under a name of
 * its own (see ownName), its rows so far taken back: never dropped as a duplicate, never
 * half under one name. Optimistic, because a collision is rare and a check per unit costs
 * the writer 10–15% (two index seeks beside one insert). A uid taken by this source's own
 * object is not written again: a catalogue cut again over a frame already cut, or a file
 * touched but unchanged.
 */
function insertObjects(
  db: Db,
  unit: Unit,
  outcome: UnitOutcome,
  result: ChunkResult,
  sourceId: number,
  size: number,
  at: string,
): number {
  let uidOf = (uid: string) => uid;
  let renamed = false;
  const written: number[] = [];
  for (let i = 0; i < outcome.objects.length; i++) {
    const o = outcome.objects[i]!;
    const uid = uidOf(o.uid);
    const id = insertNewObject(db, {
      uid,
      sourceId,
      hdu: o.hdu,
      x: o.x,
      y: o.y,
      ra: o.ra,
      dec: o.dec,
      bands: o.bands,
      bandNames: o.bandNames,
      size,
      pixelFormat: o.format,
      pixels: objectPixels(result, o),
      lo: o.lo,
      hi: o.hi,
      meta: o.meta,
      createdAt: at,
    });
    if (id !== null) written.push(id);
    else if (!renamed && sourceOfUid(db, uid) !== sourceId) {
      deleteNewObjects(db, written);
      written.length = 0;
      uidOf = uidNamer(db, unit, sourceId);
      renamed = true;
      i = -1;
    }
  }
  return written.length;
}

function objectPixels(result: ChunkResult, o: { offset: number; length: number }): Buffer {
  return Buffer.from(result.pixels.buffer, result.pixels.byteOffset + o.offset, o.length);
}

/**
 * The uid each decoded object of a unit is stored under: its own, unless another source's
 * objects carry the unit's name. Then the name is qualified with the folders the file
 * really is in, nearest first (`night2/frame.fits`), failing that numbered
 * (`frame.fits~2`). Decided in the transaction that writes the objects, from what is
 * committed, so a run resumed after a kill names them the same way.
 */
function uidNamer(db: Db, unit: Unit, sourceId: number): (uid: string) => string {
  const name = unitName(unit);
  const own = ownName(db, unit, name, sourceId);
  return own === name ? (uid) => uid : (uid) => own + uid.slice(name.length);
}

function ownName(db: Db, unit: Unit, name: string, sourceId: number): string {
  if (!uidNameTakenByOther(db, name, sourceId)) return name;
  const leaf = name.slice(name.lastIndexOf('/') + 1);
  const folders = dirname(unit.files[0]!.real)
    .split(sep)
    .filter((part) => part !== '');
  for (let k = 1; k <= folders.length; k++) {
    const candidate = `${folders.slice(-k).join('/')}/${leaf}`;
    if (candidate.length > name.length && !uidNameTakenByOther(db, candidate, sourceId))
      return candidate;
  }
  for (let n = 2; ; n++) {
    if (!uidNameTakenByOther(db, `${name}~${n}`, sourceId)) return `${name}~${n}`;
  }
}

/**
 * Whether a file changed since it was ingested now decodes to other objects than those
 * stored from it: a stored object with other pixels or scale, or (outside a catalogue, where
 * new positions may add objects) a different set of objects. Runs only for such files.
 */
function differsFromStored(
  db: Db,
  unit: Unit,
  outcome: UnitOutcome,
  result: ChunkResult,
  settings: WriteSettings,
): boolean {
  const first = unit.files[0]!;
  const row = findSource(db, first.recorded ?? first.real);
  if (!row) return false; // a band set whose first file is new: nothing stored to differ from
  if (!settings.catalogue && row.objects !== outcome.objects.length) return true;
  const uidOf = uidNamer(db, unit, row.id);
  for (const o of outcome.objects) {
    const stored = getObjectByUid(db, uidOf(o.uid));
    if (!stored || stored.source_id !== row.id) {
      if (settings.catalogue) continue;
      return true;
    }
    const pixels = getPixels(db, stored.id)?.pixels;
    if (!pixels || stored.lo !== o.lo || stored.hi !== o.hi) return true;
    if (!pixels.equals(objectPixels(result, o))) return true;
  }
  return false;
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
