import type { PixelArray } from './pixels';
import { hduBytes } from './write-table';
import type { HeaderKeyword } from './write-header';

const RESERVED = new Set([
  'SIMPLE',
  'BITPIX',
  'NAXIS',
  'NAXIS1',
  'NAXIS2',
  'EXTEND',
  'END',
  'CHECKSUM',
  'DATASUM',
]);

/**
 * A complete single-HDU FITS file holding a 2-D image: BITPIX -32 for a Float32Array,
 * -64 for a Float64Array. data[y * width + x], y = 0 written first (FITS order).
 */
export function writeImage(
  data: PixelArray,
  width: number,
  height: number,
  keywords: HeaderKeyword[] = [],
  options: { checksum?: boolean; target?: string } = {},
): Uint8Array {
  const target = options.target ?? 'FITS image';
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    width < 1 ||
    height < 1 ||
    width * height !== data.length
  ) {
    throw new RangeError(`writeImage: ${width} × ${height} does not match ${data.length} pixels`);
  }
  const isDouble = data instanceof Float64Array;
  const bytesPerPixel = isDouble ? 8 : 4;
  const padded = Math.ceil((data.length * bytesPerPixel) / 2880) * 2880;
  const bytes = new Uint8Array(padded);
  const view = new DataView(bytes.buffer);
  if (isDouble) for (let i = 0; i < data.length; i++) view.setFloat64(i * 8, data[i]!);
  else for (let i = 0; i < data.length; i++) view.setFloat32(i * 4, data[i]!);
  const header: HeaderKeyword[] = [
    { key: 'SIMPLE', value: true, comment: 'conforms to FITS standard' },
    { key: 'BITPIX', value: isDouble ? -64 : -32, comment: 'array data type' },
    { key: 'NAXIS', value: 2, comment: 'number of array dimensions' },
    { key: 'NAXIS1', value: width },
    { key: 'NAXIS2', value: height },
    ...keywords.filter((k) => !RESERVED.has(k.key.toUpperCase())),
  ];
  return hduBytes(header, bytes, options.checksum === true, target);
}
