import { NotRegularFile, readRegularFile } from '../file-io';
import { readCompressedPlane } from './compressed';
import { FitsError } from './errors';
import type { FitsHeader } from './header';
import { inflateFits, inflateFitsSync, isGzip } from './inflate';
import { MAX_PIXELS } from './limits';
import { decodePixels, pixelsToOverwrite } from './pixels';
import type { PixelArray } from './pixels';
import { numberValue, readLayout } from './structure';
import type { HduInfo, HduLayout } from './structure';
import { decodeBinTable } from './read-table';
import type { FitsTable } from './read-table';
import { readCelestialWcs } from './wcs';
import type { CelestialWcs } from './wcs';

/**
 * One plane of an image HDU. `data[y * width + x]` with x, y 0-based in FITS storage order
 * (y = 0 is the first row in the file, usually shown at the bottom). BSCALE/BZERO are applied
 * and BLANK pixels are NaN. Float32Array for BITPIX 8, 16, -32; Float64Array for 32, 64, -64.
 */
export interface FitsImage {
  hdu: number;
  width: number;
  height: number;
  /** Number of planes (product of NAXIS3…); 1 for a 2-D image. */
  depth: number;
  plane: number;
  data: PixelArray;
  /** The HDU's header as stored (for a compressed image: the BINTABLE header with Z keywords). */
  header: FitsHeader;
  wcs: CelestialWcs | null;
}

export interface ReadImageOptions {
  /** HDU index (0 = primary) or EXTNAME (case-insensitive). Default: firstImageHdu(). */
  hdu?: number | string;
  /** Plane of a cube, 0-based, counting through NAXIS3, NAXIS4, … Default 0. */
  plane?: number;
}

export interface FitsFile {
  file: string;
  hdus: HduInfo[];
  readImage(opts?: ReadImageOptions): FitsImage;
  /** The first image HDU that holds pixels (NAXIS ≥ 1 and no zero axis), or null. */
  firstImageHdu(): number | null;
  /** A binary table (not a tile-compressed image), by index or EXTNAME; default: the first one. */
  readTable(opts?: { hdu?: number | string }): FitsTable;
}

/**
 * Parses a FITS file held in memory; gzip-compressed files (.fits.gz) are recognised by magic
 * bytes and inflated with a fixed cap (inflateFitsSync). Readers of files use readFitsBytes,
 * which inflates only as far as the headers say.
 */
export function parseFits(bytes: Uint8Array, file: string): FitsFile {
  const plain = isGzip(bytes) ? inflateFitsSync(bytes, file) : bytes;
  return new ParsedFitsFile(file, plain, readLayout(plain, file));
}

/** parseFits, with a gzip stream inflated no further than its headers announce (inflateFits). */
export async function readFitsBytes(bytes: Uint8Array, file: string): Promise<FitsFile> {
  if (!isGzip(bytes)) return parseFits(bytes, file);
  const plain = await inflateFits(bytes, file);
  return new ParsedFitsFile(file, plain, readLayout(plain, file));
}

/**
 * Reads and parses a FITS file. Only a regular file is read, and only as many bytes as it
 * had when opened: a named pipe, a device such as /dev/zero or an endless /proc-like file
 * is refused with what it is, instead of hanging or filling memory.
 */
export async function readFitsFile(path: string): Promise<FitsFile> {
  let bytes: Uint8Array;
  try {
    const read = readRegularFile(path);
    if (read.longer) {
      throw new Error(
        `it holds more than the ${read.stats.size} bytes it reported; it is growing or is not an ordinary file`,
      );
    }
    bytes = read.bytes;
  } catch (error) {
    if (error instanceof NotRegularFile) throw new FitsError('io', path, error.message);
    const reason = error instanceof Error ? error.message : String(error);
    throw new FitsError('io', path, `cannot be read (${reason})`);
  }
  return readFitsBytes(bytes, path);
}

class ParsedFitsFile implements FitsFile {
  readonly hdus: HduInfo[];

  constructor(
    readonly file: string,
    private readonly bytes: Uint8Array,
    private readonly layout: HduLayout[],
  ) {
    this.hdus = layout;
  }

  firstImageHdu(): number | null {
    const hdu = this.layout.find((h) => h.type === 'image' && holdsPixels(h));
    return hdu === undefined ? null : hdu.index;
  }

  readTable(opts: { hdu?: number | string } = {}): FitsTable {
    const choice = opts.hdu;
    const hdu =
      choice === undefined ? this.layout.find((h) => h.type === 'bintable') : this.findHdu(choice);
    if (hdu === undefined) {
      throw new FitsError('hdu-not-found', this.file, 'has no binary table HDU');
    }
    if (hdu.type !== 'bintable') {
      const kind =
        hdu.type === 'table'
          ? 'an ASCII table, which this reader does not decode'
          : hdu.compression !== null
            ? 'a tile-compressed image'
            : `an ${hdu.type === 'other' ? 'unknown extension' : hdu.type}`;
      throw new FitsError(
        hdu.type === 'table' ? 'unsupported' : 'not-table',
        this.file,
        `HDU ${hdu.index} is ${kind}, not a binary table`,
      );
    }
    return decodeBinTable(this.bytes, hdu, this.file);
  }

  readImage(opts: ReadImageOptions = {}): FitsImage {
    const hdu = this.chooseHdu(opts.hdu);
    const width = hdu.shape[0] ?? 0;
    const height = hdu.shape.length >= 2 ? hdu.shape[1]! : 1;
    let depth = 1;
    for (let a = 2; a < hdu.shape.length; a++) depth *= hdu.shape[a]!;
    const plane = opts.plane ?? 0;
    if (!Number.isInteger(plane) || plane < 0 || plane >= depth) {
      throw new FitsError(
        'bad-plane',
        this.file,
        `HDU ${hdu.index} has ${depth} plane(s); plane ${plane} does not exist (planes count from 0)`,
      );
    }
    if (width * height > MAX_PIXELS) {
      throw new FitsError(
        'too-large',
        this.file,
        `HDU ${hdu.index} is ${width} × ${height} pixels, larger than this reader accepts`,
      );
    }
    const data =
      hdu.compression !== null
        ? readCompressedPlane(this.bytes, hdu, plane, this.file)
        : this.readPlainPlane(hdu, plane, width * height);
    return new DecodedImage(hdu.index, width, height, depth, plane, data, hdu.header);
  }

  private readPlainPlane(hdu: HduLayout, plane: number, pixels: number): PixelArray {
    const out = pixelsToOverwrite(hdu.bitpix, pixels);
    const bytesPerPixel = Math.abs(hdu.bitpix) / 8;
    const header = hdu.header;
    decodePixels(
      this.bytes,
      hdu.dataStart + plane * pixels * bytesPerPixel,
      hdu.bitpix,
      {
        bscale: numberValue(header.get('BSCALE')) ?? 1,
        bzero: numberValue(header.get('BZERO')) ?? 0,
        blank: blankOf(header),
      },
      out,
    );
    return out;
  }

  private chooseHdu(choice: number | string | undefined): HduLayout {
    if (choice === undefined) {
      const first = this.firstImageHdu();
      if (first === null) {
        const kinds = this.layout.map(
          (h) =>
            `${h.index}: ${h.type}${h.extname ? ` ${h.extname}` : ''}${h.type === 'image' ? ' (empty)' : ''}`,
        );
        throw new FitsError('no-image', this.file, `no image HDU (${kinds.join(', ')})`);
      }
      return this.layout[first]!;
    }
    const hdu = this.findHdu(choice);
    if (hdu.type !== 'image') {
      throw new FitsError(
        'not-image',
        this.file,
        `HDU ${hdu.index} is a ${hdu.type === 'other' ? 'non-image extension' : hdu.type}, not an image`,
      );
    }
    if (!holdsPixels(hdu)) {
      throw new FitsError(
        'no-image',
        this.file,
        `HDU ${hdu.index} is an image HDU without pixels (NAXIS = ${hdu.shape.length})`,
      );
    }
    return hdu;
  }

  private findHdu(choice: number | string): HduLayout {
    const hdu =
      typeof choice === 'number'
        ? this.layout[choice]
        : this.layout.find(
            (h) => h.extname !== null && h.extname.toUpperCase() === choice.trim().toUpperCase(),
          );
    if (hdu === undefined) {
      const names = this.layout.map((h) =>
        h.extname ? `${h.index} (${h.extname})` : `${h.index}`,
      );
      throw new FitsError(
        'hdu-not-found',
        this.file,
        `has no HDU ${JSON.stringify(choice)}; it has HDUs ${names.join(', ')}`,
      );
    }
    return hdu;
  }
}

/**
 * A FitsImage whose WCS is parsed on first use: most ingest paths never look at the WCS of a
 * cutout. A class, not an object literal with a getter: with the literal (a new getter
 * closure per image) V8 kept every image's header and pixels alive through young-generation
 * collections — all of them were promoted, then freed by full GCs, at thousands of files a
 * second; with a class none are.
 */
class DecodedImage implements FitsImage {
  private parsedWcs: CelestialWcs | null | undefined = undefined;

  constructor(
    readonly hdu: number,
    readonly width: number,
    readonly height: number,
    readonly depth: number,
    readonly plane: number,
    readonly data: PixelArray,
    readonly header: FitsHeader,
  ) {}

  get wcs(): CelestialWcs | null {
    if (this.parsedWcs === undefined) this.parsedWcs = readCelestialWcs(this.header);
    return this.parsedWcs;
  }
}

function holdsPixels(hdu: HduInfo): boolean {
  return hdu.shape.length > 0 && hdu.shape.every((n) => n > 0);
}

function blankOf(header: FitsHeader): number | bigint | null {
  const blank = header.get('BLANK');
  // A non-integer BLANK can never equal an integer pixel: ignore it rather than fail.
  return typeof blank === 'bigint' || (typeof blank === 'number' && Number.isInteger(blank))
    ? blank
    : null;
}
