import { basename, dirname, join, sep } from 'node:path';
import { readFitsBand, type BandImage } from '../ingest/fits-bands';
import type { ObjectRow } from '../store/objects';

/**
 * An object's parent frame read again, every band in the file's units (BSCALE/BZERO applied,
 * BUNIT kept): what the frame preview (frame-region.ts) and a cutout sent over SAMP in
 * original units (samp/frame-cutout-job.ts) are cut from.
 */

/** What of an object these readers need (a worker gets just this, not the row). */
export type FrameObject = Pick<ObjectRow, 'source_path' | 'hdu' | 'size' | 'meta' | 'band_names'>;

/** What ingest recorded about where an object came from (ingest/fits-unit.ts). */
export interface StoredMeta {
  file?: string;
  files?: string[];
  /** Frame pixel (0-based) of a catalogue or grid cutout's first pixel. */
  window?: [number, number];
  /** A whole image resized into the object: its width and height. */
  resizedFrom?: [number, number];
  scales?: { lo: number; hi: number; soft: number }[];
}

export function parseMeta(text: string | null): StoredMeta {
  if (!text) return {};
  try {
    return JSON.parse(text) as StoredMeta;
  } catch {
    return {};
  }
}

/** The decoded bands of the object's frame, from a small cache: the next object is often on it. */
export async function readObjectBands(object: FrameObject, meta: StoredMeta): Promise<BandImage[]> {
  const paths = bandPaths(object.source_path, meta);
  const key = `${object.hdu ?? ''}|${paths.join('|')}`;
  const cached = recent.get(key);
  if (cached) return cached;
  const images: BandImage[] = [];
  for (const path of paths) {
    const file = { path, real: path, rel: basename(path), kind: 'fits' as const, band: null };
    // The size only picks an HDU when none is stored; the stored one is the one ingested.
    images.push(await readFitsBand(file, object.size, object.hdu));
  }
  const pixels = images.reduce((n, image) => n + image.plane.width * image.plane.height, 0);
  if (pixels <= CACHED_PIXELS_MAX) {
    recent.set(key, images);
    if (recent.size > RECENT_FRAMES) recent.delete(recent.keys().next().value!);
  }
  return images;
}

/** Frames kept decoded: enough for a band set and stepping across objects of two frames. */
const RECENT_FRAMES = 2;
/** A frame (all bands) larger than this is read again each time rather than held (256 MB). */
const CACHED_PIXELS_MAX = 32 * 2 ** 20;
const recent = new Map<string, BandImage[]>();

/** Forgets the decoded frames (tests that rewrite a file under the same name). */
export function forgetFrames(): void {
  recent.clear();
}

/**
 * The file of every band: the object's source is the first band's file; the others sit where
 * the ingested folder put them, relative to the same root (their `rel` paths in meta.files).
 */
function bandPaths(sourcePath: string, meta: StoredMeta): string[] {
  if (!meta.files || meta.files.length < 2) return [sourcePath];
  const first = meta.files[0]!;
  const suffix = sep + first.split('/').join(sep);
  const root = sourcePath.endsWith(suffix)
    ? sourcePath.slice(0, -suffix.length)
    : dirname(sourcePath);
  return meta.files.map((rel, i) =>
    i === 0
      ? sourcePath
      : sourcePath.endsWith(suffix)
        ? join(root, rel)
        : join(root, basename(rel)),
  );
}
