import { closeSync } from 'node:fs';
import { NotRegularFile, openRegularFile, readExactly } from '../file-io';
import { isGzip, parseFits, readFitsBytes, type FitsFile } from '../fits';
import type { CelestialWcs, FitsHeader } from '../fits';
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
  /** BUNIT, the pixels' physical unit, when the header says. */
  unit: string | null;
  /** The HDU's header, for what a copy of its pixels must carry (a cutout's WCS keywords). */
  header: FitsHeader;
  /** Planes averaged into this one (a cube's moment-0), 1 for an ordinary image. */
  planes: number;
  stamp: FileStamp;
}

/** Smallest side an image must have to become an object (smaller ones are masks, thumbnails). */
export function minimumSide(size: number): number {
  return Math.max(8, Math.floor(size / 4));
}

export async function readFitsBand(
  file: ScannedFile & { band: string | null },
  size: number,
  hdu: number | string | null,
): Promise<BandImage> {
  let read: { bytes: Uint8Array; stamp: FileStamp };
  try {
    read = readWholeFile(file.path);
  } catch (error) {
    if (error instanceof NotRegularFile || error instanceof RejectedFile)
      throw new RejectedFile(error.message);
    throw new RejectedFile(`cannot be read (${(error as Error).message})`);
  }
  // Plain FITS is parsed at once. A gzip stream is inflated asynchronously, and another
  // chunk's file may be read into the shared buffer meanwhile: its bytes are copied first.
  const fits = isGzip(read.bytes)
    ? await readFitsBytes(Uint8Array.from(read.bytes), file.path)
    : parseFits(read.bytes, file.path);
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
    unit: bunit(first.header.get('BUNIT')),
    header: first.header,
    planes: first.depth,
    stamp: read.stamp,
  };
}

/** Files up to this size are read into one buffer kept for the next file. */
const REUSED_READ_BYTES = 4 * 1024 * 1024;
let readBuffer = Buffer.allocUnsafeSlow(64 * 1024);

/**
 * The whole file, and its stamp from the same open file (so the size and time recorded
 * describe the bytes decoded). Only a regular file is read (a named pipe or a device is
 * refused with what it is), and never more than the size fstat gave: a file that holds
 * more is growing (or is /proc-like) and is refused rather than read without end. Survey
 * cutouts are small and come by the thousand: reading each into the same buffer spares a
 * 20 KB allocation per file. The bytes are only valid until the next call; nothing decoded
 * keeps them (pixels, header strings and WCS are copies).
 */
function readWholeFile(path: string): { bytes: Uint8Array; stamp: FileStamp } {
  const { fd, stats } = openRegularFile(path);
  try {
    const stamp = stampOf(stats);
    // One byte more than fstat said: getting it means the file is growing as we read.
    const wanted = stamp.size + 1;
    let into: Buffer | undefined;
    if (wanted <= REUSED_READ_BYTES) {
      if (readBuffer.length < wanted)
        readBuffer = Buffer.allocUnsafeSlow(Math.max(wanted, 2 * readBuffer.length));
      into = readBuffer;
    }
    const { bytes, longer } = readExactly(fd, stamp.size, into);
    if (longer) {
      throw new RejectedFile(
        `holds more than the ${stamp.size} bytes it reported when opened: it is being written to, or is not an ordinary file; ingest it once it is complete`,
      );
    }
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

/** A header's BUNIT as text, or null when it has none. */
function bunit(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}
