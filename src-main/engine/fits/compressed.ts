import { unzipSync } from 'node:zlib';
import { elementBytes, readColumns } from './columns';
import type { TableColumn } from './columns';
import { unquantize } from './dither';
import type { QuantizeMethod } from './dither';
import { FitsError } from './errors';
import type { FitsHeader } from './header';
import { allocatePixels } from './pixels';
import type { PixelArray } from './pixels';
import { RiceError, riceDecompress } from './rice';
import { numberValue, optionalInteger, stringValue } from './structure';
import type { HduLayout } from './structure';
import { MAX_PIXELS } from './limits';

/**
 * Tile-compressed images (the FITS tiled image convention: a BINTABLE with ZIMAGE = T, one
 * tile per row). Only the tiles that intersect the requested plane are decompressed.
 */

const DEFLATE_MAX_RATIO = 1032;
const SUPPORTED = new Set(['RICE_1', 'RICE_ONE', 'GZIP_1', 'GZIP_2', 'NOCOMPRESS']);

interface TileSource {
  compressed: TableColumn;
  zscale: TableColumn | null;
  zzero: TableColumn | null;
  zblank: TableColumn | null;
  uncompressed: TableColumn | null;
  gzipFallback: TableColumn | null;
}

interface Context {
  bytes: Uint8Array;
  file: string;
  where: string;
  view: DataView;
  dataStart: number;
  rowBytes: number;
  heapStart: number;
  heapEnd: number;
}

export function readCompressedPlane(
  bytes: Uint8Array,
  hdu: HduLayout,
  plane: number,
  file: string,
): PixelArray {
  const { header } = hdu;
  const where = `HDU ${hdu.index}`;
  const method = hdu.compression ?? 'UNKNOWN';
  if (!SUPPORTED.has(method)) {
    throw new FitsError(
      'unsupported',
      file,
      `${where} is tile-compressed with ${method}, which this reader does not decode; run "funpack" on the file first`,
    );
  }
  const shape = hdu.shape;
  const naxis = shape.length;
  const tileShape = shape.map((length, i) => {
    const fallback = i === 0 ? length : 1;
    const tile = optionalInteger(header, `ZTILE${i + 1}`, fallback, where, file);
    if (tile <= 0) {
      throw new FitsError(
        'bad-header',
        file,
        `${where} has ZTILE${i + 1} = ${tile}; tile sizes must be positive`,
      );
    }
    return Math.min(tile, Math.max(length, 1));
  });
  const tileCounts = shape.map((length, i) => Math.ceil(length / tileShape[i]!));
  const totalTiles = tileCounts.reduce((a, b) => a * b, 1);
  const tilePixels = tileShape.reduce((a, b) => a * b, 1);
  const width = shape[0] ?? 0;
  const height = naxis >= 2 ? shape[1]! : 1;
  if (width * height > MAX_PIXELS || tilePixels > MAX_PIXELS) {
    throw new FitsError(
      'too-large',
      file,
      `${where} announces a ${shape.join(' × ')} image, larger than this reader accepts`,
    );
  }

  const [rowBytes = 0, rows = 0] = hdu.storedShape;
  const columns = readColumns(header, where, file);
  const source = findColumns(columns, where, file);
  const columnBytes = columns.reduce((sum, c) => sum + c.width, 0);
  if (columnBytes > rowBytes) {
    throw new FitsError(
      'bad-table',
      file,
      `${where}: its columns need ${columnBytes} bytes per row but NAXIS1 = ${rowBytes}`,
    );
  }
  if (totalTiles > rows) {
    throw new FitsError(
      'bad-table',
      file,
      `${where} needs ${totalTiles} tiles but its table has only ${rows} rows`,
    );
  }
  const theap = optionalInteger(header, 'THEAP', rowBytes * rows, where, file);
  const ctx: Context = {
    bytes,
    file,
    where,
    view: new DataView(bytes.buffer, bytes.byteOffset, bytes.length),
    dataStart: hdu.dataStart,
    rowBytes,
    heapStart: hdu.dataStart + theap,
    heapEnd: hdu.dataStart + hdu.dataLength,
  };

  const zbitpix = hdu.bitpix;
  const quantizeName = stringValue(header.get('ZQUANTIZ'))?.trim().toUpperCase() ?? 'NO_DITHER';
  const quantized =
    zbitpix < 0 && quantizeName !== 'NONE' && (source.zscale !== null || header.has('ZSCALE'));
  const quantizeMethod = toQuantizeMethod(quantizeName, where, file);
  const dither0 = optionalInteger(header, 'ZDITHER0', 1, where, file);
  const bscale = numberValue(header.get('BSCALE')) ?? 1;
  const bzero = numberValue(header.get('BZERO')) ?? 0;
  const blankKeyword =
    numberValue(header.get('ZBLANK')) ?? (zbitpix > 0 ? numberValue(header.get('BLANK')) : null);
  const params = readZParams(header);
  const blockSize = params.get('BLOCKSIZE') ?? 32;
  const bytePix = params.get('BYTEPIX') ?? (zbitpix === 8 ? 1 : zbitpix === 16 ? 2 : 4);
  if (bytePix !== 1 && bytePix !== 2 && bytePix !== 4 && method.startsWith('RICE')) {
    throw new FitsError(
      'unsupported',
      file,
      `${where} uses RICE_1 with BYTEPIX = ${bytePix}; only 1, 2 and 4 exist`,
    );
  }

  // First pass: find the tiles of this plane and check that their compressed bytes could
  // possibly hold the pixels the header claims, BEFORE allocating anything of that size.
  const planeIndex = planeCoordinates(shape, plane);
  const tiles: { row: number; index: number[]; extent: number[]; count: number }[] = [];
  let largestTile = 0;
  let planePixels = 0;
  for (let t = 0; t < totalTiles; t++) {
    const index = new Array<number>(naxis);
    let rest = t;
    for (let a = 0; a < naxis; a++) {
      index[a] = rest % tileCounts[a]!;
      rest = Math.floor(rest / tileCounts[a]!);
    }
    let inPlane = true;
    for (let a = 2; a < naxis; a++) {
      const start = index[a]! * tileShape[a]!;
      if (planeIndex[a]! < start || planeIndex[a]! >= start + tileShape[a]!) inPlane = false;
    }
    if (!inPlane) continue;
    const extent = shape.map((length, a) =>
      Math.min(tileShape[a]!, length - index[a]! * tileShape[a]!),
    );
    const count = extent.reduce((a, b) => a * b, 1);
    const capacity = tileCapacity(
      ctx,
      source,
      t,
      method,
      quantized ? 4 : Math.abs(zbitpix) / 8,
      blockSize,
      bytePix,
    );
    if (count > capacity) {
      throw new FitsError(
        'bad-compressed-data',
        file,
        `${where}: tile ${t + 1} claims ${count} pixels but its ${method} data can hold at most ${capacity} (the file is truncated or its header is wrong)`,
      );
    }
    tiles.push({ row: t, index, extent, count });
    largestTile = Math.max(largestTile, count);
    planePixels += (extent[0] ?? 1) * (naxis >= 2 ? extent[1]! : 1);
  }
  if (planePixels !== width * height) {
    throw new FitsError(
      'bad-table',
      file,
      `${where}: its tiles do not cover the ${width} × ${height} image`,
    );
  }

  const out = allocatePixels(zbitpix, width * height);
  const scratch = new Float64Array(largestTile);
  for (const { row: t, index: tileIndex, extent, count } of tiles) {
    const stored = decodeTile(
      ctx,
      source,
      t,
      method,
      zbitpix,
      quantized,
      count,
      scratch,
      blockSize,
      bytePix as 1 | 2 | 4,
    );
    if (quantized && stored === 'quantized') {
      const scale = readTileNumber(ctx, source.zscale, t) ?? numberValue(header.get('ZSCALE')) ?? 1;
      const zero = readTileNumber(ctx, source.zzero, t) ?? numberValue(header.get('ZZERO')) ?? 0;
      const nullValue = readTileNumber(ctx, source.zblank, t) ?? blankKeyword;
      unquantize(scratch, count, quantizeMethod, scale, zero, nullValue, t + 1, dither0);
    } else if (zbitpix > 0 && stored !== 'float') {
      const nullValue = readTileNumber(ctx, source.zblank, t) ?? blankKeyword;
      const scaled = bscale !== 1 || bzero !== 0;
      for (let i = 0; i < count; i++) {
        const q = scratch[i]!;
        scratch[i] = q === nullValue ? NaN : scaled ? q * bscale + bzero : q;
      }
    }

    // Copy the tile's slice of the chosen plane into the output image.
    let planeOffset = 0;
    let stride = (extent[0] ?? 1) * (extent[1] ?? 1);
    for (let a = 2; a < naxis; a++) {
      planeOffset += (planeIndex[a]! - tileIndex[a]! * tileShape[a]!) * stride;
      stride *= extent[a]!;
    }
    const x0 = tileIndex[0]! * tileShape[0]!;
    const y0 = naxis >= 2 ? tileIndex[1]! * tileShape[1]! : 0;
    const tileWidth = extent[0]!;
    const tileHeight = naxis >= 2 ? extent[1]! : 1;
    for (let j = 0; j < tileHeight; j++) {
      const from = planeOffset + j * tileWidth;
      out.set(scratch.subarray(from, from + tileWidth), (y0 + j) * width + x0);
    }
  }
  return out;
}

/**
 * The most pixels a tile's stored bytes could decode to: RICE spends at least fsBits bits per
 * block, deflate expands at most 1032:1, raw storage is exact. Bounds allocation on forged headers.
 */
function tileCapacity(
  ctx: Context,
  source: TileSource,
  row: number,
  method: string,
  width: number,
  blockSize: number,
  bytePix: number,
): number {
  const stored = heapSlice(ctx, source.compressed, row).length;
  if (stored === 0) {
    const gzipped =
      source.gzipFallback === null ? 0 : heapSlice(ctx, source.gzipFallback, row).length;
    const raw = source.uncompressed === null ? 0 : heapSlice(ctx, source.uncompressed, row).length;
    const rawWidth = elementBytes(source.uncompressed?.arrayType ?? 'B') ?? 1;
    return Math.max(Math.floor((gzipped * DEFLATE_MAX_RATIO) / width), Math.floor(raw / rawWidth));
  }
  if (method === 'RICE_1' || method === 'RICE_ONE') {
    const fsBits = bytePix === 1 ? 3 : bytePix === 2 ? 4 : 5;
    return (Math.floor((Math.max(0, stored - bytePix) * 8) / fsBits) + 1) * blockSize;
  }
  if (method === 'NOCOMPRESS') return Math.floor(stored / width);
  return Math.floor((stored * DEFLATE_MAX_RATIO) / width);
}

function findColumns(columns: TableColumn[], where: string, file: string): TileSource {
  // A zero-repeat column holds nothing to read; treat it as absent.
  const byName = (name: string) => columns.find((c) => c.name === name && c.repeat > 0) ?? null;
  const compressed = byName('COMPRESSED_DATA');
  if (compressed === null || (compressed.type !== 'P' && compressed.type !== 'Q')) {
    throw new FitsError(
      'bad-table',
      file,
      `${where} is a compressed image without a COMPRESSED_DATA variable-length column`,
    );
  }
  const varLength = (c: TableColumn | null) =>
    c !== null && (c.type === 'P' || c.type === 'Q') ? c : null;
  return {
    compressed,
    zscale: byName('ZSCALE'),
    zzero: byName('ZZERO'),
    zblank: byName('ZBLANK'),
    uncompressed: varLength(byName('UNCOMPRESSED_DATA')),
    gzipFallback: varLength(byName('GZIP_COMPRESSED_DATA')),
  };
}

function toQuantizeMethod(name: string, where: string, file: string): QuantizeMethod {
  if (name === 'NO_DITHER' || name === 'NONE') return 'NO_DITHER';
  if (name === 'SUBTRACTIVE_DITHER_1' || name === 'SUBTRACTIVE_DITHER_2') return name;
  throw new FitsError(
    'unsupported',
    file,
    `${where} uses ZQUANTIZ = '${name}', which this reader does not know`,
  );
}

/** ZNAMEi/ZVALi pairs: the compression parameters (BLOCKSIZE, BYTEPIX, …). */
function readZParams(header: FitsHeader): Map<string, number> {
  const params = new Map<string, number>();
  for (let i = 1; i < 100; i++) {
    const name = stringValue(header.get(`ZNAME${i}`));
    if (name === null) break;
    const value = numberValue(header.get(`ZVAL${i}`));
    if (value !== null) params.set(name.trim().toUpperCase(), value);
  }
  return params;
}

function planeCoordinates(shape: number[], plane: number): number[] {
  const coords = new Array<number>(shape.length).fill(0);
  let rest = plane;
  for (let a = 2; a < shape.length; a++) {
    coords[a] = rest % shape[a]!;
    rest = Math.floor(rest / shape[a]!);
  }
  return coords;
}

/** Reads a heap array descriptor; returns the byte range of the array, checked against the heap. */
function heapSlice(ctx: Context, column: TableColumn, row: number): Uint8Array {
  const at = ctx.dataStart + row * ctx.rowBytes + column.offset;
  const count = column.type === 'P' ? ctx.view.getInt32(at) : Number(ctx.view.getBigInt64(at));
  const offset =
    column.type === 'P' ? ctx.view.getInt32(at + 4) : Number(ctx.view.getBigInt64(at + 8));
  const size = count * (elementBytes(column.arrayType ?? 'B') ?? 1);
  const start = ctx.heapStart + offset;
  if (count < 0 || offset < 0 || start + size > ctx.heapEnd) {
    throw new FitsError(
      'bad-table',
      ctx.file,
      `${ctx.where}: row ${row + 1} points outside the table's heap`,
    );
  }
  return ctx.bytes.subarray(start, start + size);
}

function readTileNumber(ctx: Context, column: TableColumn | null, row: number): number | null {
  if (column === null) return null;
  const at = ctx.dataStart + row * ctx.rowBytes + column.offset;
  switch (column.type) {
    case 'D':
      return ctx.view.getFloat64(at);
    case 'E':
      return ctx.view.getFloat32(at);
    case 'J':
      return ctx.view.getInt32(at);
    case 'K':
      return Number(ctx.view.getBigInt64(at));
    case 'I':
      return ctx.view.getInt16(at);
    default:
      return null;
  }
}

/**
 * Decompresses tile `row` into `out`. Returns how the values are stored: 'quantized'
 * (integers still to be de-quantised), 'integer' (integer image values) or 'float'
 * (lossless floats, including the uncompressed fallback of a quantised image).
 */
function decodeTile(
  ctx: Context,
  source: TileSource,
  row: number,
  method: string,
  zbitpix: number,
  quantized: boolean,
  count: number,
  out: Float64Array,
  blockSize: number,
  bytePix: 1 | 2 | 4,
): 'quantized' | 'integer' | 'float' {
  const data = heapSlice(ctx, source.compressed, row);
  if (data.length === 0) return decodeFallbackTile(ctx, source, row, zbitpix, count, out);
  const kind = quantized ? 'quantized' : zbitpix > 0 ? 'integer' : 'float';
  const fail = (why: string) =>
    new FitsError(
      'bad-compressed-data',
      ctx.file,
      `${ctx.where}: tile ${row + 1} (${method}) ${why}`,
    );
  if (method === 'RICE_1' || method === 'RICE_ONE') {
    if (zbitpix < 0 && !quantized) throw fail('holds unquantised floats, which RICE_1 cannot');
    try {
      riceDecompress(data, out, count, blockSize, bytePix);
    } catch (error) {
      if (error instanceof RiceError) throw fail(`is corrupt: ${error.message}`);
      throw error;
    }
    return kind;
  }
  const elementWidth = quantized ? 4 : Math.abs(zbitpix) / 8;
  const isFloat = !quantized && zbitpix < 0;
  let raw: Uint8Array = data;
  if (method === 'GZIP_1' || method === 'GZIP_2') {
    raw = gunzipTile(data, count * elementWidth, fail);
    if (method === 'GZIP_2') raw = unshuffle(raw, elementWidth);
  }
  if (raw.length !== count * elementWidth) {
    throw fail(`holds ${raw.length} bytes where ${count * elementWidth} were expected`);
  }
  decodeBigEndian(raw, elementWidth, isFloat, count, out);
  return kind;
}

/** A tile the compressor could not quantise is stored losslessly in a fallback column. */
function decodeFallbackTile(
  ctx: Context,
  source: TileSource,
  row: number,
  zbitpix: number,
  count: number,
  out: Float64Array,
): 'integer' | 'float' {
  const fail = (why: string) =>
    new FitsError('bad-compressed-data', ctx.file, `${ctx.where}: tile ${row + 1} ${why}`);
  const isFloat = zbitpix < 0;
  const width = Math.abs(zbitpix) / 8;
  if (source.gzipFallback !== null) {
    const packed = heapSlice(ctx, source.gzipFallback, row);
    if (packed.length > 0) {
      const raw = gunzipTile(packed, count * width, fail);
      if (raw.length !== count * width) throw fail('has a fallback of the wrong size');
      decodeBigEndian(raw, width, isFloat, count, out);
      return isFloat ? 'float' : 'integer';
    }
  }
  if (source.uncompressed !== null) {
    const raw = heapSlice(ctx, source.uncompressed, row);
    const type = source.uncompressed.arrayType ?? 'B';
    const elementWidth = elementBytes(type) ?? 1;
    if (raw.length !== count * elementWidth)
      throw fail('has an uncompressed fallback of the wrong size');
    decodeBigEndian(raw, elementWidth, type === 'E' || type === 'D', count, out);
    return type === 'E' || type === 'D' ? 'float' : 'integer';
  }
  throw fail('is empty and the table has no uncompressed fallback column');
}

function gunzipTile(
  data: Uint8Array,
  expected: number,
  fail: (why: string) => FitsError,
): Uint8Array {
  try {
    // maxOutputLength stops a forged tile from inflating beyond the tile it claims to be.
    return unzipSync(data, { maxOutputLength: Math.max(expected, 1) });
  } catch {
    throw fail('does not inflate to the expected size (corrupt gzip data)');
  }
}

/** GZIP_2 stores all most-significant bytes first, then the next bytes, and so on. */
function unshuffle(raw: Uint8Array, width: number): Uint8Array {
  if (width === 1) return raw;
  const count = Math.floor(raw.length / width);
  const out = new Uint8Array(raw.length);
  for (let b = 0; b < width; b++) {
    const plane = b * count;
    for (let i = 0; i < count; i++) out[i * width + b] = raw[plane + i]!;
  }
  return out;
}

function decodeBigEndian(
  raw: Uint8Array,
  width: number,
  isFloat: boolean,
  count: number,
  out: Float64Array,
): void {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.length);
  if (width === 1) for (let i = 0; i < count; i++) out[i] = raw[i]!;
  else if (width === 2) for (let i = 0; i < count; i++) out[i] = view.getInt16(i * 2);
  else if (width === 4 && isFloat) for (let i = 0; i < count; i++) out[i] = view.getFloat32(i * 4);
  else if (width === 4) for (let i = 0; i < count; i++) out[i] = view.getInt32(i * 4);
  else if (isFloat) for (let i = 0; i < count; i++) out[i] = view.getFloat64(i * 8);
  else for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(i * 8));
}
