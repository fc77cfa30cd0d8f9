import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { parseFits, type FitsFile } from '../fits';
import type { CelestialWcs } from '../fits';
import { RejectedFile } from './errors';
import type { Plane } from './geometry';
import { stampOf } from './stamp';
import type { FileStamp, ScannedFile } from './types';

/** One band of a unit, decoded: a 2-D plane plus what is needed to place and describe it. */
export interface BandImage {
  file: ScannedFile & { band: string | null };
  hdu: number;
  plane: Plane;
  wcs: CelestialWcs | null;
  /** Planes averaged into this one (a cube's moment-0), 1 for an ordinary image. */
  planes: number;
  stamp: FileStamp;
}

/** Smallest side an image must have to become an object (smaller ones are masks, thumbnails). */
export function minimumSide(size: number): number {
  return Math.max(8, Math.floor(size / 4));
}

export function readFitsBand(
  file: ScannedFile & { band: string | null },
  size: number,
  hdu: number | string | null,
): BandImage {
  let read: { bytes: Uint8Array; stamp: FileStamp };
  try {
    read = readWholeFile(file.path);
  } catch (error) {
    throw new RejectedFile(`cannot be read (${(error as Error).message})`);
  }
  const fits = parseFits(read.bytes, file.path);
  const chosen = hdu ?? chooseImageHdu(fits, size);
  const first = fits.readImage({ hdu: chosen });
  if (first.height < 2)
    throw new RejectedFile(`HDU ${first.hdu} is a 1-D array (${first.width} values), not an image`);
  let data = first.data;
  // A cube (e.g. a spectral line cube) becomes its mean over planes — the moment-0 map an
  // astronomer would look at first; NaN planes of a pixel are left out of its mean.
  if (first.depth > 1) {
    const sum = new Float64Array(first.width * first.height);
    const count = new Uint16Array(sum.length);
    for (let p = 0; p < first.depth; p++) {
      const plane = p === 0 ? first.data : fits.readImage({ hdu: first.hdu, plane: p }).data;
      for (let i = 0; i < sum.length; i++) {
        const v = plane[i]!;
        if (Number.isFinite(v)) {
          sum[i]! += v;
          count[i]!++;
        }
      }
    }
    const mean = new Float32Array(sum.length);
    for (let i = 0; i < sum.length; i++) mean[i] = count[i]! > 0 ? sum[i]! / count[i]! : NaN;
    data = mean;
  }
  return {
    file,
    hdu: first.hdu,
    plane: { width: first.width, height: first.height, data },
    wcs: first.wcs,
    planes: first.depth,
    stamp: read.stamp,
  };
}

/** Files up to this size are read into one buffer kept for the next file. */
const REUSED_READ_BYTES = 4 * 1024 * 1024;
let readBuffer = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * The whole file, and its stamp from the same open file (so the size and time recorded
 * describe the bytes decoded). Survey cutouts are small and come by the thousand: reading
 * each into the same buffer spares a 20 KB allocation per file. The bytes are only valid
 * until the next call; nothing decoded keeps them (pixels, header strings and WCS are copies).
 */
function readWholeFile(path: string): { bytes: Uint8Array; stamp: FileStamp } {
  const fd = openSync(path, 'r');
  try {
    const stamp = stampOf(fstatSync(fd));
    if (stamp.size >= REUSED_READ_BYTES) return { bytes: readFileSync(fd), stamp };
    // One byte more than fstat said: getting it means the file is growing as we read.
    const wanted = stamp.size + 1;
    if (readBuffer.length < wanted)
      readBuffer = Buffer.allocUnsafeSlow(Math.max(wanted, 2 * readBuffer.length));
    let total = 0;
    while (total < wanted) {
      const n = readSync(fd, readBuffer, total, wanted - total, total);
      if (n === 0) break;
      total += n;
    }
    // Positional reads leave the file offset at 0, where readFileSync(fd) starts.
    const bytes = total < wanted ? readBuffer.subarray(0, total) : readFileSync(fd);
    return { bytes, stamp };
  } finally {
    closeSync(fd);
  }
}

/**
 * The first image HDU with pixels and both sides at least minimumSide(size). Light curves
 * and other table files (Kepler, TESS) often carry a tiny aperture-mask image; it is not a
 * survey image, so it does not count.
 */
export function chooseImageHdu(fits: FitsFile, size: number): number {
  const min = minimumSide(size);
  const described: string[] = [];
  for (const h of fits.hdus) {
    const label = `HDU ${h.index}${h.extname ? ` ${h.extname}` : ''}`;
    if (h.type !== 'image') {
      const kind =
        h.type === 'bintable'
          ? 'binary table'
          : h.type === 'table'
            ? 'ASCII table'
            : 'not an image';
      described.push(`${label}: ${kind}`);
      continue;
    }
    if (h.shape.length === 0 || h.shape.some((n) => n === 0)) {
      described.push(`${label}: no data`);
      continue;
    }
    const [w = 0, hgt = 1] = h.shape;
    if (h.shape.length >= 2 && w >= min && hgt >= min) return h.index;
    described.push(`${label}: ${h.shape.join(' × ')} image, smaller than ${min} px`);
  }
  throw new RejectedFile(`no image HDU to ingest (${described.join('; ')})`);
}
