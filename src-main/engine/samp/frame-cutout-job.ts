import { statSync } from 'node:fs';
import type { HeaderKeyword } from '../fits';
import { parseMeta, readObjectBands, type FrameObject } from '../hunt/frame-bands';
import { REGION_MAX_SIDE } from '../hunt/frame-region';
import { reproject, sameGrid } from '../ingest/align';
import { cutWindow } from '../ingest/geometry';
import { frameWcsKeywords } from './cutout-wcs';

/** The frame an object was cut from, as ingest recorded it. */
export interface FrameCutoutJob {
  object: FrameObject;
  /** The frame's size and modification time when it was ingested (the sources table). */
  size: number | null;
  mtimeMs: number | null;
}

/** The frame's WCS keywords, or why there are none to give. */
export type FrameWcsResult =
  { keywords: HeaderKeyword[]; why: null } | { keywords: null; why: string };

/**
 * The cutout cut again from its frame, in the frame's units: `side` × `side` pixels from
 * frame pixel (x0, y0) (0-based), band after band (FITS order), NaN beyond the frame's edge.
 */
export interface OriginalCutout {
  x0: number;
  y0: number;
  side: number;
  bands: number;
  pixels: Float32Array;
  /** The first band's BUNIT, when its header has one. */
  unit: string | null;
}

export interface FrameCutoutResult {
  /** The frame's celestial WCS (not yet moved to the cutout). */
  wcs: FrameWcsResult;
  /** The cutout in the frame's units, or why it cannot be sent so. */
  original: OriginalCutout | { why: string };
}

/**
 * Reads an object's frame again for a cutout sent over SAMP: its WCS, and the cutout's pixels
 * as the frame holds them (BSCALE/BZERO applied; the stored cutout is normalised to 0..1 of
 * a display range, which a peer measuring fluxes must not get). The same window ingest cut; a
 * whole image that ingest resized into the object goes as its central square at the frame's
 * own resolution (resampling would change the values). Runs in a worker thread
 * (table-worker.ts): a survey frame can be hundreds of MB of gzip to inflate. A frame that
 * changed since it was ingested is not trusted: its pixels and WCS may not be the object's.
 */
export async function runFrameCutoutJob(job: FrameCutoutJob): Promise<FrameCutoutResult> {
  const path = job.object.source_path;
  const info = statSync(path, { throwIfNoEntry: false });
  const untrusted = !info?.isFile()
    ? `its frame ${path} is gone`
    : (job.size !== null && info.size !== job.size) ||
        (job.mtimeMs !== null && Math.trunc(info.mtimeMs) !== job.mtimeMs)
      ? `its frame ${path} changed since it was ingested`
      : null;
  if (untrusted) return { wcs: { keywords: null, why: untrusted }, original: { why: untrusted } };
  try {
    const meta = parseMeta(job.object.meta);
    const images = await readObjectBands(job.object, meta);
    const base = images[0]!;
    const keywords = frameWcsKeywords(base.header);
    const wcs: FrameWcsResult = keywords
      ? { keywords, why: null }
      : { keywords: null, why: 'its frame has no celestial (TAN or SIN) WCS' };
    const { width, height } = base.plane;
    // The window ingest cut, or the central square a whole image was resized from.
    const side = meta.window ? job.object.size : Math.min(width, height);
    const [x0, y0] = meta.window ?? [
      Math.floor((width - side) / 2),
      Math.floor((height - side) / 2),
    ];
    if (side > REGION_MAX_SIDE)
      return {
        wcs,
        original: { why: `its frame's ${side}-pixel square is larger than ${REGION_MAX_SIDE}` },
      };
    const plane = side * side;
    const pixels = new Float32Array(plane * images.length);
    images.forEach((image, b) => {
      const out = pixels.subarray(b * plane, (b + 1) * plane);
      if (image === base || sameGrid(base, image)) cutWindow(image.plane, x0, y0, side, out);
      else if (base.wcs && image.wcs) reproject(base, image, x0, y0, side, out);
      else out.fill(NaN); // ingest refuses such a set; a file changed since cannot be aligned
    });
    return {
      wcs,
      original: { x0, y0, side, bands: images.length, pixels, unit: base.unit },
    };
  } catch (error) {
    const why = `its frame could not be read (${(error as Error).message})`;
    return { wcs: { keywords: null, why }, original: { why } };
  }
}
