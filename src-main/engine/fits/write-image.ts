import type { PixelArray } from './pixels';
import { hduBytes } from './write-table';
import type { HeaderKeyword } from './write-header';

const RESERVED = new Set([
  'SIMPLE',
  'BITPIX',
  'NAXIS',
  'NAXIS1',
  'NAXIS2',
  'NAXIS3',
  'EXTEND',
  'END',
  'CHECKSUM',
  'DATASUM',
]);

/**
 * A complete single-HDU FITS file holding a 2-D image, or a cube of `depth` planes (NAXIS3):
 * BITPIX -32 for a Float32Array, -64 for a Float64Array. data[(z * height + y) * width + x],
 * y = 0 written first (FITS order).
 */
export function writeImage(
  data: PixelArray,
  width: number,
  height: number,
  keywords: HeaderKeyword[] = [],
  options: { checksum?: boolean; target?: string; depth?: number } = {},
): Uint8Array {
  const target = options.target ?? 'FITS image';
  const depth = options.depth ?? 1;
  if (
    !Number.isInteger(width) ||
    !Number.isInteger(height) ||
    !Number.isInteger(depth) ||
    width < 1 ||
    height < 1 ||
    depth < 1 ||
    width * height * depth !== data.length
  ) {
    const shape = depth === 1 ? `${width} × ${height}` : `${width} × ${height} × ${depth}`;
    throw new RangeError(`writeImage: ${shape} does not match ${data.length} pixels`);
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
    { key: 'NAXIS', value: depth === 1 ? 2 : 3, comment: 'number of array dimensions' },
    { key: 'NAXIS1', value: width },
    { key: 'NAXIS2', value: height },
    ...(depth === 1 ? [] : [{ key: 'NAXIS3', value: depth }]),
    ...keywords.filter((k) => !RESERVED.has(k.key.toUpperCase())),
  ];
  return hduBytes(header, bytes, options.checksum === true, target);
}
