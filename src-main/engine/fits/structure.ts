import { FitsError } from './errors';
import { BLOCK_LENGTH, findHeaderEnd, parseHeader } from './header';
import type { FitsHeader, HeaderValue } from './header';

export type HduType = 'image' | 'bintable' | 'table' | 'other';

export interface HduInfo {
  index: number;
  type: HduType;
  extname: string | null;
  /** For tile-compressed images: ZBITPIX. */
  bitpix: number;
  /** [NAXIS1, NAXIS2, …] (astropy's data.shape reversed); ZNAXISn for compressed images. */
  shape: number[];
  /** ZCMPTYPE ('RICE_1', 'GZIP_1', …) for tile-compressed images, else null. */
  compression: string | null;
  header: FitsHeader;
}

/** Where an HDU's bytes are; internal to the codec. */
export interface HduLayout extends HduInfo {
  dataStart: number;
  /** Bytes of data the header announces (excluding padding). */
  dataLength: number;
  /** Raw BITPIX/NAXISn of the HDU as stored (for a compressed image: the BINTABLE's). */
  storedBitpix: number;
  storedShape: number[];
}

const VALID_BITPIX = new Set([8, 16, 32, 64, -32, -64]);
const MAX_AXES = 999;

/** Walks the HDUs of a FITS file, validating every announced size against the bytes present. */
export function readLayout(bytes: Uint8Array, file: string): HduLayout[] {
  if (!startsWith(bytes, 0, 'SIMPLE  =')) {
    throw new FitsError(
      'not-fits',
      file,
      'not a FITS file (it does not start with "SIMPLE  ="); check the file is FITS and not truncated',
    );
  }
  const hdus: HduLayout[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (hdus.length > 0 && !startsWith(bytes, at, 'XTENSION=')) break; // trailing junk: ignored like astropy
    const headerEnd = findHeaderEnd(bytes, at, file);
    const header = parseHeader(bytes, at, headerEnd);
    const hdu = describeHdu(header, hdus.length, headerEnd, file);
    const available = bytes.length - headerEnd;
    if (hdu.dataLength > available) {
      throw new FitsError(
        'truncated',
        file,
        `HDU ${hdu.index} announces ${hdu.dataLength} bytes of data but only ${Math.max(0, available)} remain (the file is truncated or NAXISn is wrong)`,
      );
    }
    hdus.push(hdu);
    at = headerEnd + Math.ceil(hdu.dataLength / BLOCK_LENGTH) * BLOCK_LENGTH;
  }
  return hdus;
}

/** One HDU's layout from its parsed header; throws FitsError for a header that breaks the standard. */
export function describeHdu(
  header: FitsHeader,
  index: number,
  dataStart: number,
  file: string,
): HduLayout {
  const where = `HDU ${index}`;
  const bitpix = requireInteger(header, 'BITPIX', where, file);
  if (!VALID_BITPIX.has(bitpix)) {
    throw new FitsError(
      'bad-bitpix',
      file,
      `${where} has BITPIX = ${bitpix}; FITS allows only 8, 16, 32, 64, -32 and -64`,
    );
  }
  const naxis = requireInteger(header, 'NAXIS', where, file);
  if (naxis < 0 || naxis > MAX_AXES) {
    throw new FitsError('bad-naxis', file, `${where} has NAXIS = ${naxis}; it must be 0 to 999`);
  }
  const shape = readAxes(header, 'NAXIS', naxis, where, file);
  const xtension = index === 0 ? null : stringValue(header.get('XTENSION'))?.trim().toUpperCase();
  const pcount = index === 0 ? 0 : optionalInteger(header, 'PCOUNT', 0, where, file);
  const gcount = index === 0 ? 1 : optionalInteger(header, 'GCOUNT', 1, where, file);
  if (pcount < 0 || gcount < 0) {
    throw new FitsError('bad-header', file, `${where} has a negative PCOUNT or GCOUNT`);
  }
  let pixels = naxis === 0 ? 0 : 1;
  for (const n of shape) pixels *= n;
  // Random-groups primaries (NAXIS1 = 0) store GCOUNT groups of PCOUNT + rest-of-axes values.
  const dataLength = (Math.abs(bitpix) / 8) * gcount * (pcount + pixels);
  const extnameValue = header.get('EXTNAME');
  const extname = typeof extnameValue === 'string' ? extnameValue.trim() : null;

  if (xtension === 'BINTABLE' && header.get('ZIMAGE') === true) {
    const zbitpix = requireInteger(header, 'ZBITPIX', where, file);
    if (!VALID_BITPIX.has(zbitpix)) {
      throw new FitsError(
        'bad-bitpix',
        file,
        `${where} has ZBITPIX = ${zbitpix}; it must be 8, 16, 32, 64, -32 or -64`,
      );
    }
    const znaxis = requireInteger(header, 'ZNAXIS', where, file);
    if (znaxis < 0 || znaxis > MAX_AXES) {
      throw new FitsError(
        'bad-naxis',
        file,
        `${where} has ZNAXIS = ${znaxis}; it must be 0 to 999`,
      );
    }
    const compression = stringValue(header.get('ZCMPTYPE'))?.trim().toUpperCase() ?? 'UNKNOWN';
    const zshape = readAxes(header, 'ZNAXIS', znaxis, where, file);
    return layout(
      index,
      'image',
      extname,
      zbitpix,
      zshape,
      compression,
      header,
      dataStart,
      dataLength,
      bitpix,
      shape,
    );
  }
  const type =
    index === 0 || xtension === 'IMAGE'
      ? 'image'
      : xtension === 'BINTABLE'
        ? 'bintable'
        : xtension === 'TABLE'
          ? 'table'
          : 'other';
  return layout(
    index,
    type,
    extname,
    bitpix,
    shape,
    null,
    header,
    dataStart,
    dataLength,
    bitpix,
    shape,
  );
}

/** One object literal with a fixed shape (spreads made this the hottest spot of a cutout decode). */
function layout(
  index: number,
  type: HduType,
  extname: string | null,
  bitpix: number,
  shape: number[],
  compression: string | null,
  header: FitsHeader,
  dataStart: number,
  dataLength: number,
  storedBitpix: number,
  storedShape: number[],
): HduLayout {
  return {
    index,
    type,
    extname,
    bitpix,
    shape,
    compression,
    header,
    dataStart,
    dataLength,
    storedBitpix,
    storedShape,
  };
}

function readAxes(header: FitsHeader, prefix: string, count: number, where: string, file: string) {
  const shape: number[] = [];
  for (let i = 1; i <= count; i++) {
    const n = requireInteger(header, `${prefix}${i}`, where, file);
    if (n < 0) {
      throw new FitsError(
        'bad-naxis',
        file,
        `${where} has ${prefix}${i} = ${n}; axis lengths cannot be negative`,
      );
    }
    shape.push(n);
  }
  return shape;
}

export function requireInteger(
  header: FitsHeader,
  key: string,
  where: string,
  file: string,
): number {
  const value = header.get(key);
  if (value === undefined) {
    throw new FitsError('bad-header', file, `${where} lacks the required keyword ${key}`);
  }
  const n = integerValue(value);
  if (n === null) {
    throw new FitsError(
      'bad-header',
      file,
      `${where} has ${key} = ${String(value)}; it must be an integer`,
    );
  }
  return n;
}

export function optionalInteger(
  header: FitsHeader,
  key: string,
  fallback: number,
  where: string,
  file: string,
): number {
  return header.has(key) ? requireInteger(header, key, where, file) : fallback;
}

function integerValue(value: HeaderValue): number | null {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  // A bigint header integer is far beyond any size a real file can hold; keep it as a huge number
  // so the size check reports it instead of crashing on the conversion.
  if (typeof value === 'bigint') return Number(value);
  return null;
}

export function numberValue(value: HeaderValue | undefined): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return null;
}

export function stringValue(value: HeaderValue | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

export function startsWith(bytes: Uint8Array, at: number, text: string): boolean {
  if (at + text.length > bytes.length) return false;
  for (let i = 0; i < text.length; i++) {
    if (bytes[at + i] !== text.charCodeAt(i)) return false;
  }
  return true;
}
