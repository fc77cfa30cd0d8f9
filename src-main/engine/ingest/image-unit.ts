import { statSync } from 'node:fs';
import type { Sharp } from 'sharp';
import { fileBytes } from '../file-io';
import { MAX_PIXELS } from '../fits/limits';
import { RejectedFile, reasonOf, unreadableReason } from './errors';
import type { ObjectRecord, UnitOutcome } from './messages';
import type { PixelSink } from './pixel-sink';
import { stampOf } from './stamp';
import { unitName } from './uid';
import type { Unit } from './types';

type SharpFactory = (typeof import('sharp'))['default'];
let sharpModule: Promise<SharpFactory> | null = null;

/**
 * sharp (libvips) is loaded on first use: a FITS-only run never pays for it, and a worker
 * thread starts faster. Decoding already runs one file per worker thread, so libvips' own
 * thread pool is limited to one thread to avoid oversubscribing the cores.
 */
function loadSharp(): Promise<SharpFactory> {
  sharpModule ??= import('sharp').then((m) => {
    const sharp = m.default;
    sharp.concurrency(1);
    return sharp;
  });
  return sharpModule;
}

/**
 * JPEG/PNG cutouts: centre-cropped to a square and resized to size×size by libvips, kept as
 * 8-bit. These images were already stretched for display by the survey (SDSS colour JPEGs
 * are asinh composites), so the model's [0, 1] is simply value/255 (lo 0, hi 255): a second
 * stretch would distort them, and u8 storage is lossless for 8-bit data.
 * One RGB file → a 3-band object; a band set (`x_g.png`, `x_r.png`) → one grey band per file.
 */
export async function decodeImageUnit(
  unit: Unit,
  index: number,
  size: number,
  sink: PixelSink,
): Promise<UnitOutcome> {
  const grey = unit.files.length > 1;
  const decoded = await Promise.all(unit.files.map((f) => decodeOne(f.path, size, grey)));
  let bytes: Uint8Array;
  let bandNames: string[];
  if (grey) {
    bytes = new Uint8Array(size * size * decoded.length);
    decoded.forEach((d, b) => {
      for (let i = 0; i < size * size; i++) bytes[i * decoded.length + b] = d.data[i]!;
    });
    bandNames = unit.files.map((f) => f.band ?? '?');
  } else {
    const d = decoded[0]!;
    bytes = d.data;
    // Every multi-band object is stored bluest band first (g, r, i; J, H, K), so the display
    // paints the last band red whatever the source: a colour image's R and B trade places.
    if (d.channels === 3) {
      for (let i = 0; i < bytes.length; i += 3) {
        const red = bytes[i]!;
        bytes[i] = bytes[i + 2]!;
        bytes[i + 2] = red;
      }
    }
    bandNames = d.channels === 3 ? ['blue', 'green', 'red'] : ['grey'];
  }
  const place = sink.add(bytes);
  const meta: Record<string, unknown> = {
    file: unit.files[0]!.rel,
    stretch: 'linear',
    scales: bandNames.map(() => ({ lo: 0, hi: 255 })),
  };
  if (grey) meta.files = unit.files.map((f) => f.rel);
  const object: ObjectRecord = {
    uid: unitName(unit),
    hdu: null,
    x: null,
    y: null,
    ra: null,
    dec: null,
    bands: bandNames.length,
    bandNames,
    format: 'u8',
    offset: place.offset,
    length: place.length,
    lo: 0,
    hi: 255,
    meta,
  };
  // Stamped after decoding: a file that could not be read was refused there, with why.
  const stamps = unit.files.map((f) => stampOf(statSync(f.path)));
  return { index, objects: [object], placedRows: [], rejected: null, stamps };
}

async function decodeOne(
  path: string,
  size: number,
  grey: boolean,
): Promise<{ data: Uint8Array; channels: number }> {
  const sharp = await loadSharp();
  try {
    // limitInputPixels: libvips reads the header first and refuses a forged 100000 × 100000
    // PNG before allocating anything, at the same limit as the FITS reader.
    let pipeline: Sharp = sharp(path, {
      failOn: 'error',
      limitInputPixels: MAX_PIXELS,
    }).removeAlpha();
    if (grey) pipeline = pipeline.greyscale();
    const { data, info } = await pipeline
      .resize(size, size, { fit: 'cover', position: 'centre' })
      .toColourspace(grey ? 'b-w' : 'srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    let channels = info.channels as number;
    let pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    // A grey JPEG decoded in sRGB still comes back as 3 identical channels: keep one.
    if (!grey && channels === 3 && isGrey(pixels)) {
      const one = new Uint8Array(size * size);
      for (let i = 0; i < one.length; i++) one[i] = pixels[i * 3]!;
      pixels = one;
      channels = 1;
    }
    return { data: pixels, channels };
  } catch (error) {
    throw new RejectedFile(await imageFailure(sharp, path, error));
  }
}

/**
 * libvips' messages name its internals ("VipsJpeg: premature end of JPEG image", repeated
 * once per attempt); the user needs to know what is wrong with the file. Runs only after a
 * failure, so a good image never pays for the extra look at the file.
 */
async function imageFailure(sharp: SharpFactory, path: string, error: unknown): Promise<string> {
  const unreadable = unreadableReason(path);
  if (unreadable !== null) return unreadable;
  const message = reasonOf(error);
  if (/exceeds pixel limit/i.test(message)) {
    const { width = 0, height = 0 } = await sharp(path, { limitInputPixels: false })
      .metadata()
      .catch(() => ({ width: 0, height: 0 }));
    const claim = width > 0 ? `claims ${width} × ${height} pixels, ` : 'claims ';
    return `${claim}more than the ${MAX_PIXELS} pixels an image may have; it was refused before decoding`;
  }
  if (/unsupported image format/i.test(message)) {
    const head = fileBytes(path, 512);
    const text = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
    return text
      ? 'cannot be decoded as an image: it is a text file, not a JPEG or PNG; check the file is what its name says'
      : 'cannot be decoded as an image: its bytes match no image format; check the file is what its name says';
  }
  const format = imageFormat(fileBytes(path, 4));
  const detail = endMissing(path, format) ?? libvipsDetail(message, format);
  return `cannot be decoded as an image: it is truncated or corrupt${detail ? ` (${detail})` : ''}`;
}

/**
 * A PNG or JPEG that stops before its end marker was cut short. Said from the file itself:
 * libvips' own message for it depends on the thread that decoded it ("libpng read error" on
 * one, "Unknown error" on another when its error buffer was taken by a neighbour).
 */
function endMissing(path: string, format: ImageFormat | null): string | null {
  if (format === null) return null;
  const tail = fileBytes(path, 12, 'end');
  if (format === 'png') {
    const iend =
      tail.length === 12 && Buffer.from(tail.subarray(4, 8)).toString('latin1') === 'IEND';
    return iend ? null : 'the PNG ends before its IEND chunk';
  }
  const eoi = tail.length >= 2 && tail[tail.length - 2] === 0xff && tail[tail.length - 1] === 0xd9;
  return eoi ? null : 'the JPEG ends before its end-of-image marker';
}

/**
 * The line of a libvips error that is about this file. libvips keeps one error buffer per
 * process, so a message can also carry the failure of an image decoded just before on
 * another thread (a truncated JPEG's "premature end of JPEG image" beside this PNG's
 * "libpng read error"): the line is chosen by the file's own format, from its first bytes.
 */
function libvipsDetail(message: string, format: ImageFormat | null): string | null {
  const own = format === 'png' ? /png/i : format === 'jpeg' ? /jpe?g/i : null;
  const other = format === 'png' ? /jpe?g/i : format === 'jpeg' ? /png/i : null;
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const line =
    (own && lines.find((l) => own.test(l))) ?? lines.find((l) => !other || !other.test(l));
  return line
    ? line.replace(/^(Input file has corrupt header: )?(VipsJpeg|vipspng|VipsPng): /i, '')
    : null;
}

type ImageFormat = 'png' | 'jpeg';

/** The format a file's first four bytes announce, whatever its name says. */
function imageFormat(head: Uint8Array): ImageFormat | null {
  if (head[0] === 0x89 && head[1] === 0x50 && head[2] === 0x4e && head[3] === 0x47) return 'png';
  if (head[0] === 0xff && head[1] === 0xd8) return 'jpeg';
  return null;
}

function isGrey(rgb: Uint8Array): boolean {
  for (let i = 0; i < rgb.length; i += 3) {
    if (rgb[i] !== rgb[i + 1] || rgb[i] !== rgb[i + 2]) return false;
  }
  return true;
}
