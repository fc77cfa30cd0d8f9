/**
 * Cuts objects out of their source files again, on a machine that has the files but not the
 * project, with ingest's own code: each source is decoded by the same decodeFitsUnit /
 * decodeImageUnit that ingest ran, normalised by the same normaliseBand, packed to the same
 * float16 (or 8-bit) values, and read back by the same decodePixelsInto the store uses. So the
 * numbers a cluster worker feeds the model are, bit for bit, the ones a local round feeds it.
 *
 * What the work list says about an object is enough to rebuild ingest's input: the uid is
 * `<name>[<hdu>]` followed by nothing (the whole image), `@x0,y0/size` (a grid tile) or
 * `#<id>` (a catalogue window around x, y), where <name> is the file's path relative to the
 * folder ingested (or `dir/prefix_{j,h,k}.fits` for a band set, see ingest/uid.ts).
 */
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { reasonOf } from '../ingest/errors';
import { decodeFitsUnit } from '../ingest/fits-unit';
import { decodeImageUnit } from '../ingest/image-unit';
import type { DecodeSettings, UnitOutcome } from '../ingest/messages';
import { PixelSink } from '../ingest/pixel-sink';
import { fileKind } from '../ingest/scan';
import type { ScannedFile, Unit } from '../ingest/types';
import { decodePixelsInto } from '../store/image-batches';
import { ClusterScoringError } from './errors';
import type { WorkRow } from './work-list';

/** How ingest placed an object: the whole image, a tile of a grid, or a catalogue window. */
type Cut = 'whole' | 'grid' | 'catalogue';

interface Group {
  unit: Unit;
  cut: Cut;
  hdu: number | null;
  rows: WorkRow[];
  /** The uid's text after `[hdu]`, per row (the catalogue id follows its `#`). */
  suffixes: string[];
}

/** Cut objects, in the order of the rows given: their uids and float32 NHWC pixels. */
export interface CutBatch {
  rows: WorkRow[];
  /** count × size × size × bands float32 values. */
  data: Float32Array;
}

/** Objects per batch handed out: a dense frame's 10^5 windows never sit in float32 at once. */
const MAX_BATCH = 1024;

/**
 * The objects of `rows`, cut again source by source (rows of one source are decoded together,
 * so a frame is read once however many of its objects a part holds), in batches of at most
 * MAX_BATCH objects.
 */
export async function* recutObjects(
  rows: readonly WorkRow[],
  size: number,
  bands: number,
  maxBatch = MAX_BATCH,
): AsyncGenerator<CutBatch> {
  for (const group of groupBySource(rows)) {
    const cut = await cutGroup(group, size, bands);
    for (let start = 0; start < group.rows.length; start += maxBatch) {
      yield cut.batch(start, Math.min(group.rows.length, start + maxBatch));
    }
  }
}

function groupBySource(rows: readonly WorkRow[]): Group[] {
  const groups = new Map<string, Group>();
  for (const row of rows) {
    const place = placeOf(row);
    const key = [place.cut, row.hdu, ...place.files.map((f) => f.path)].join('\0');
    let group = groups.get(key);
    if (!group) {
      group = {
        unit: { key, files: place.files },
        cut: place.cut,
        hdu: row.hdu,
        rows: [],
        suffixes: [],
      };
      groups.set(key, group);
    }
    group.rows.push(row);
    group.suffixes.push(place.suffix);
  }
  return [...groups.values()];
}

type UnitFile = ScannedFile & { band: string | null };

/** The unit (files, with the relative names ingest saw) and the cut an object's uid describes. */
function placeOf(row: WorkRow): { files: UnitFile[]; cut: Cut; suffix: string } {
  const fail = (why: string) =>
    new ClusterScoringError(`line ${row.line} ("${row.uid}"): ${why}`, row.source);
  const kind = fileKind(row.source);
  if (kind === null) {
    throw fail(`its source ${row.source} is not a FITS, JPEG or PNG file.`);
  }
  if (kind === 'image') {
    const files = unitFiles(row.uid, row.source, kind);
    if (!files) throw fail(`its uid does not name its source ${row.source}.`);
    return { files, cut: 'whole', suffix: '' };
  }
  if (row.hdu === null) throw fail('a FITS object needs its hdu (the column is empty).');
  const marker = `[${row.hdu}]`;
  for (let at = row.uid.indexOf(marker); at >= 0; at = row.uid.indexOf(marker, at + 1)) {
    const suffix = row.uid.slice(at + marker.length);
    const cut: Cut | null =
      suffix === '' ? 'whole' : suffix[0] === '@' ? 'grid' : suffix[0] === '#' ? 'catalogue' : null;
    if (cut === null) continue;
    const files = unitFiles(row.uid.slice(0, at), row.source, kind);
    if (!files) continue;
    if (cut === 'catalogue' && (row.x === null || row.y === null)) {
      throw fail('a catalogue object needs its x and y (the columns are empty).');
    }
    return { files, cut, suffix };
  }
  throw fail(
    `its uid is not "<file>[${row.hdu}]…" for its source ${row.source}; give the object list of the project the model came from.`,
  );
}

/**
 * The files of the unit called `name` whose (first) file is `source`: the file itself when
 * `name` is its path relative to the ingested folder, or every band of a set named
 * `dir/prefix_{j,h,k}.ext`, found beside the first. null when `name` does not fit `source`.
 */
function unitFiles(name: string, source: string, kind: UnitFile['kind']): UnitFile[] | null {
  const path = source.replace(/\\/g, '/');
  if (path === name || path.endsWith(`/${name}`)) {
    return [{ path: source, real: source, rel: name, kind, band: null }];
  }
  const set = /^(.*\/)?([^/]*)\{([^{}/]+)\}[^/]*$/.exec(name);
  if (!set) return null;
  const [, dir = '', prefix = '', list = ''] = set;
  const bands = list.split(',');
  const first = basename(source);
  if (!first.startsWith(prefix + bands[0]!)) return null;
  const tail = first.slice(prefix.length + bands[0]!.length);
  return bands.map((band) => ({
    path: join(dirname(source), prefix + band + tail),
    real: join(dirname(source), prefix + band + tail),
    rel: dir + prefix + band + tail,
    kind,
    band,
  }));
}

/** A decoded source: its objects' packed pixels, handed out as float32 batches of rows. */
interface CutGroup {
  batch(start: number, end: number): CutBatch;
}

async function cutGroup(group: Group, size: number, bands: number): Promise<CutGroup> {
  const { unit, rows } = group;
  const source = unit.files[0]!.path;
  const settings: DecodeSettings = {
    size,
    layout: group.cut === 'grid' ? 'grid' : 'cutout',
    hdu: group.hdu,
    catalogue:
      group.cut === 'catalogue'
        ? {
            system: 'pixel',
            entries: rows.map((r, i) => ({
              row: i,
              line: r.line,
              id: group.suffixes[i]!.slice(1),
              ra: null,
              dec: null,
              x: r.x,
              y: r.y,
              file: null,
            })),
          }
        : null,
  };
  for (const file of unit.files) {
    if (!existsSync(file.path)) {
      throw new ClusterScoringError(
        `${file.path} (line ${rows[0]!.line} of the work list) is not on this worker; every worker must read the survey at the path the list gives, or map the desktop's folder to the worker's with --path-map FROM=TO.`,
        file.path,
      );
    }
  }
  const sink = new PixelSink();
  let outcome: UnitOutcome;
  try {
    outcome =
      unit.files[0]!.kind === 'image'
        ? await decodeImageUnit(unit, 0, size, sink)
        : await decodeFitsUnit(unit, 0, settings, sink);
  } catch (error) {
    const why = reasonOf(error);
    throw new ClusterScoringError(
      `${why.startsWith(source) ? why : `${source}: ${why}`} (line ${rows[0]!.line} of the work list)`,
      source,
    );
  }
  const pixels = sink.finish();
  const byUid = new Map(outcome.objects.map((o) => [o.uid, o]));
  // Every row is checked before the first batch leaves: a part fails whole or not at all.
  const objects = rows.map((row) => {
    const object = byUid.get(row.uid);
    if (!object) {
      throw new ClusterScoringError(
        `line ${row.line}: "${row.uid}" is not among the objects ingest cuts from ${source} at ${size}×${size}; score with the model exported from the project this list came from, and the same source files.`,
        source,
      );
    }
    if (object.bands !== bands) {
      throw new ClusterScoringError(
        `line ${row.line}: "${row.uid}" has ${object.bands} band(s) but the model takes ${bands}; score with the model exported from the project this list came from.`,
        source,
      );
    }
    return object;
  });
  const length = size * size * bands;
  return {
    batch(start, end) {
      const data = new Float32Array((end - start) * length);
      for (let i = start; i < end; i++) {
        const object = objects[i]!;
        const bytes = pixels.subarray(object.offset, object.offset + object.length);
        decodePixelsInto(object.format, bytes, data, (i - start) * length, length);
      }
      return { rows: rows.slice(start, end), data };
    },
  };
}
