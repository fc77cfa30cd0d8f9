import { describe, expect, it } from 'vitest';
import { parseFits } from '../../src-main/engine/fits';
import { readLayout } from '../../src-main/engine/fits/structure';
import { close, fixtureBytes, loadExpected } from './helpers';
import { findCard, setCard } from './mutate';

/**
 * astropy and fpack write 32-bit 'P' heap descriptors and the GZIP_COMPRESSED_DATA fallback;
 * 64-bit 'Q' descriptors and the UNCOMPRESSED_DATA fallback are rarer, so these tests derive
 * such files from the fixtures byte by byte and expect the same pixels.
 */

const expected = loadExpected();

interface Parts {
  head: Uint8Array; // primary HDU + table header
  headerStart: number;
  rowBytes: number;
  rows: number;
  table: Uint8Array;
  heap: Uint8Array;
}

function split(bytes: Uint8Array): Parts {
  const hdu = readLayout(bytes, 'x.fits')[1]!;
  const [rowBytes = 0, rows = 0] = hdu.storedShape;
  const tableEnd = hdu.dataStart + rowBytes * rows;
  return {
    head: bytes.slice(0, hdu.dataStart),
    headerStart: readLayout(bytes, 'x.fits')[0]!.dataStart,
    rowBytes,
    rows,
    table: bytes.slice(hdu.dataStart, tableEnd),
    heap: bytes.slice(tableEnd, hdu.dataStart + hdu.dataLength),
  };
}

function join(head: Uint8Array, table: Uint8Array, heap: Uint8Array): Uint8Array {
  const dataLength = table.length + heap.length;
  const out = new Uint8Array(head.length + Math.ceil(dataLength / 2880) * 2880);
  out.set(head, 0);
  out.set(table, head.length);
  out.set(heap, head.length + table.length);
  return out;
}

function expectPixels(bytes: Uint8Array, key: string) {
  const want = expected[key]!;
  const img = parseFits(bytes, key).readImage();
  const wrong = want.pixels!.filter((v, i) => !close(img.data[i]!, v, 0));
  expect(wrong).toEqual([]);
}

describe('heap descriptors and fallback columns', () => {
  it('reads 64-bit Q descriptors (1QB) like 32-bit P ones', () => {
    const name = 'rice_int16.fits.fz';
    const parts = split(fixtureBytes(name));
    // COMPRESSED_DATA is column 1: widen its 8-byte P descriptor to a 16-byte Q descriptor.
    const newRow = parts.rowBytes + 8;
    const table = new Uint8Array(newRow * parts.rows);
    const src = new DataView(parts.table.buffer);
    const dst = new DataView(table.buffer);
    for (let r = 0; r < parts.rows; r++) {
      dst.setBigInt64(r * newRow, BigInt(src.getInt32(r * parts.rowBytes)));
      dst.setBigInt64(r * newRow + 8, BigInt(src.getInt32(r * parts.rowBytes + 4)));
      table.set(
        parts.table.subarray(r * parts.rowBytes + 8, (r + 1) * parts.rowBytes),
        r * newRow + 16,
      );
    }
    let head = setCard(parts.head, 'NAXIS1', String(newRow), parts.headerStart);
    head = setCard(head, 'TFORM1', "'1QB     '", parts.headerStart);
    const q = join(head, table, parts.heap);
    expect(parseFits(q, 'q.fits').hdus[1]!.header.get('TFORM1')).toBe('1QB');
    expectPixels(q, name);
  });

  it('reads a tile stored in an UNCOMPRESSED_DATA column', () => {
    const name = 'rice_float_fallback.fits.fz';
    const original = fixtureBytes(name);
    const parts = split(original);
    const want = expected[name]!;
    // Tile 1 (8 × 16 pixels) is the one CFITSIO could not quantise: store it raw, as float32.
    const tile = new Float32Array(8 * 16);
    for (let y = 0; y < 16; y++)
      for (let x = 0; x < 8; x++) tile[y * 8 + x] = want.pixels![y * 40 + x]!;
    const raw = new Uint8Array(tile.length * 4);
    const rawView = new DataView(raw.buffer);
    tile.forEach((v, i) => rawView.setFloat32(i * 4, v));
    const heap = new Uint8Array(parts.heap.length + raw.length);
    heap.set(parts.heap, 0);
    heap.set(raw, parts.heap.length);
    const table = parts.table.slice();
    const view = new DataView(table.buffer);
    // Column 2 (GZIP_COMPRESSED_DATA, now UNCOMPRESSED_DATA) descriptor of row 1 → the raw floats.
    view.setInt32(8, tile.length);
    view.setInt32(12, parts.heap.length);
    let head = setCard(parts.head, 'TTYPE2', "'UNCOMPRESSED_DATA'", parts.headerStart);
    head = setCard(head, 'TFORM2', "'1PE(128)'", parts.headerStart);
    head = setCard(head, 'PCOUNT', String(heap.length), parts.headerStart);
    const file = join(head, table, heap);
    expect(parseFits(file, 'u.fits').hdus[1]!.header.get('TTYPE2')).toBe('UNCOMPRESSED_DATA');
    expectPixels(file, name);
  });

  it('reads per-tile null values from a ZBLANK column', () => {
    // fpack writes ZBLANK as a keyword; move it into a 1J column holding the same value per tile.
    const name = 'fpack_float.fits.fz';
    const parts = split(fixtureBytes(name));
    const head = parts.head.slice();
    const text = Buffer.from(head).toString('latin1');
    expect(/ZBLANK\s*=\s*-2147483647/.test(text)).toBe(true);
    const writeCard = (at: number, card: string) => {
      for (let i = 0; i < 80; i++) head[at + i] = card.padEnd(80).charCodeAt(i);
    };
    const end = findCard(head, 'END', parts.headerStart);
    expect(end + 160).toBeLessThanOrEqual(head.length); // room for one more card in the block
    writeCard(findCard(head, 'ZBLANK', parts.headerStart), "TTYPE4  = 'ZBLANK  '");
    writeCard(end, "TFORM4  = '1J      '");
    writeCard(end + 80, 'END');
    const newRow = parts.rowBytes + 4;
    const table = new Uint8Array(newRow * parts.rows);
    const view = new DataView(table.buffer);
    for (let r = 0; r < parts.rows; r++) {
      table.set(parts.table.subarray(r * parts.rowBytes, (r + 1) * parts.rowBytes), r * newRow);
      view.setInt32(r * newRow + parts.rowBytes, -2147483647);
    }
    let edited = setCard(head, 'NAXIS1', String(newRow), parts.headerStart);
    edited = setCard(edited, 'TFIELDS', '4', parts.headerStart);
    if (findCard(edited, 'THEAP', parts.headerStart) >= 0) {
      edited = setCard(edited, 'THEAP', String(newRow * parts.rows), parts.headerStart);
    }
    const file = join(edited, table, parts.heap);
    const hdu = parseFits(file, 'z.fits').hdus[1]!;
    expect(hdu.header.has('ZBLANK')).toBe(false);
    expect(hdu.header.get('TTYPE4')).toBe('ZBLANK');
    expect(expected[name]!.stats.nan).toBe(4);
    expectPixels(file, name);
  });
});
