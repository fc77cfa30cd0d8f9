import { basename } from 'node:path';
import type { FitsFrameRegion } from '../../contract/contract';
import { sameGrid } from '../ingest/align';
import type { BandImage } from '../ingest/fits-bands';
import { sampleBilinear } from '../ingest/geometry';
import type { ObjectRow } from '../store/objects';
import { parseMeta, readObjectBands } from './frame-bands';

/** How much of the frame around the cutout the preview gets: this many cutout sides. */
export const REGION_SIDES = 4;
/** A whole-image object from a huge file still sends no more than this many pixels a side. */
export const REGION_MAX_SIDE = 2048;

/** Files ingested as FITS (plain, gzip or fpack'd). */
export function isFitsPath(path: string): boolean {
  return /\.(fits?|fts|fz)(\.gz)?$/i.test(path);
}

/**
 * The region of an object's parent frame around it: REGION_SIDES × its cutout, clipped at the
 * frame's edges, every band in the file's units, with the frame's WCS. The frame is the file
 * ingest read (and for a band set, every band's file, resampled onto the first band's grid
 * where ingest did so): a catalogue or grid object gets its neighbourhood, a whole-file cutout
 * the whole file. Throws (an Error with a sentence) when a file cannot be read.
 */
export async function readFrameRegion(object: ObjectRow): Promise<FitsFrameRegion> {
  const meta = parseMeta(object.meta);
  const images = await readObjectBands(object, meta);
  const base = images[0]!;
  const { width: frameWidth, height: frameHeight } = base.plane;
  const cutout = meta.window
    ? { x0: meta.window[0], y0: meta.window[1], width: object.size, height: object.size }
    : { x0: 0, y0: 0, width: frameWidth, height: frameHeight };
  const region = regionAround(cutout, frameWidth, frameHeight);
  const values = region.width * region.height;
  const pixels = new Float32Array(values * images.length);
  images.forEach((image, b) => {
    const out = pixels.subarray(b * values, (b + 1) * values);
    if (image === base || sameGrid(base, image)) copyRegion(image, region, out);
    else if (base.wcs && image.wcs) resampleRegion(base, image, region, out);
    else out.fill(NaN); // ingest refuses such a set; a file changed since cannot be aligned
  });
  return {
    kind: 'fits',
    file: meta.file ?? basename(object.source_path),
    hdu: base.hdu,
    frameWidth,
    frameHeight,
    ...region,
    cutout,
    bands: images.length,
    bandNames: object.band_names ? (JSON.parse(object.band_names) as string[]) : null,
    unit: base.unit,
    scales: images.map((_, b) => meta.scales?.[b] ?? { lo: 0, hi: 1, soft: 1 }),
    // Float32 bytes as the machine holds them: little-endian on every platform Node ships for.
    pixels: Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength).toString('base64'),
    wcs: base.wcs?.params ?? null,
  };
}

type Box = { x0: number; y0: number; width: number; height: number };

/**
 * REGION_SIDES × the cutout, centred on it, clipped to the frame (and to REGION_MAX_SIDE). An
 * object near an edge gets less frame on that side, not more on the other: the preview keeps
 * the cutout in the middle, and the frame's edge shows as an edge.
 */
export function regionAround(cutout: Box, frameWidth: number, frameHeight: number): Box {
  const axis = (start: number, side: number, frame: number): [number, number] => {
    const wanted = Math.min(REGION_MAX_SIDE, side * REGION_SIDES);
    const centre = start + side / 2;
    const from = Math.max(0, Math.floor(centre - wanted / 2));
    const to = Math.min(frame, Math.ceil(centre + wanted / 2));
    return [from, to - from];
  };
  const [x0, width] = axis(cutout.x0, cutout.width, frameWidth);
  const [y0, height] = axis(cutout.y0, cutout.height, frameHeight);
  return { x0, y0, width, height };
}

function copyRegion(image: BandImage, region: Box, out: Float32Array): void {
  const { width, data } = image.plane;
  for (let j = 0; j < region.height; j++) {
    const from = (region.y0 + j) * width + region.x0;
    for (let i = 0; i < region.width; i++) out[j * region.width + i] = data[from + i]!;
  }
}

/** A band on another grid, resampled onto the base band's pixels through the sky (as ingest). */
function resampleRegion(base: BandImage, image: BandImage, region: Box, out: Float32Array): void {
  for (let j = 0; j < region.height; j++) {
    for (let i = 0; i < region.width; i++) {
      const [ra, dec] = base.wcs!.pixelToWorld(region.x0 + i, region.y0 + j);
      const [x, y] = image.wcs!.worldToPixel(ra, dec);
      out[j * region.width + i] = sampleBilinear(image.plane, x, y);
    }
  }
}
