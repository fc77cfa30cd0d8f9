import { addChecksums } from './checksum';
import { FitsError } from './errors';
import type { HeaderValue } from './header';
import { BLOCK_LENGTH } from './header';
import { headerBlocks, printable } from './write-header';
import type { HeaderKeyword } from './write-header';

export type BinTableFormat = 'L' | 'B' | 'I' | 'J' | 'K' | 'E' | 'D' | 'A';
export type CellValue = number | bigint | boolean | string | null;

export interface BinTableColumn {
  /** TTYPEn. */
  name: string;
  /** L logical, B uint8, I int16, J int32, K int64, E float32, D float64, A fixed-width string. */
  format: BinTableFormat;
  /** For 'A': characters per cell (default: the longest value, at least 1). Longer values are refused. */
  width?: number;
  unit?: string;
  ucd?: string;
  /** Comment of the TTYPEn card. */
  description?: string;
  /** TNULLn for B/I/J/K: the stored integer meaning "no value"; needed when a value is null. */
  nullValue?: number | bigint;
  /** One value per row. null → TNULL (integers), NaN (E/D), undefined logical (L), '' (A). */
  values: ArrayLike<CellValue>;
}

export interface BinTableSpec {
  /** EXTNAME of the table HDU. */
  extname?: string;
  columns: BinTableColumn[];
  /** Extra keywords for the table header (after the column keywords). */
  keywords?: HeaderKeyword[];
  /** Extra keywords for the (empty) primary header. */
  primaryKeywords?: HeaderKeyword[];
  /** Add CHECKSUM/DATASUM to both HDUs (default false). */
  checksum?: boolean;
  /** Used in error messages. */
  target?: string;
}

const BYTES: Record<BinTableFormat, number> = { L: 1, B: 1, I: 2, J: 4, K: 8, E: 4, D: 8, A: 1 };
const INTEGER_RANGE: Partial<Record<BinTableFormat, [bigint, bigint]>> = {
  B: [0n, 255n],
  I: [-32768n, 32767n],
  J: [-2147483648n, 2147483647n],
  K: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** A complete FITS file: an empty primary HDU followed by one BINTABLE. */
export function writeBinTable(spec: BinTableSpec): Uint8Array {
  const target = spec.target ?? 'FITS table';
  const rows = spec.columns[0]?.values.length ?? 0;
  const layout = spec.columns.map((column, i) => {
    if (column.values.length !== rows) {
      throw new FitsError(
        'bad-value',
        target,
        `column ${column.name} has ${column.values.length} values but column ${spec.columns[0]!.name} has ${rows}`,
      );
    }
    checkNullValue(column, target);
    const repeat = column.format === 'A' ? stringWidth(column, target) : 1;
    return { column, n: i + 1, repeat, width: repeat * BYTES[column.format] };
  });
  const rowBytes = layout.reduce((sum, c) => sum + c.width, 0);

  const data = new Uint8Array(Math.ceil((rowBytes * rows) / BLOCK_LENGTH) * BLOCK_LENGTH);
  const view = new DataView(data.buffer);
  let offset = 0;
  for (const { column, repeat, width } of layout) {
    writeColumn(view, data, column, offset, rowBytes, rows, repeat, target);
    offset += width;
  }

  const tableKeywords: HeaderKeyword[] = [
    { key: 'XTENSION', value: 'BINTABLE', comment: 'binary table extension' },
    { key: 'BITPIX', value: 8, comment: 'array data type' },
    { key: 'NAXIS', value: 2, comment: 'number of array dimensions' },
    { key: 'NAXIS1', value: rowBytes, comment: 'length of a row in bytes' },
    { key: 'NAXIS2', value: rows, comment: 'number of rows' },
    { key: 'PCOUNT', value: 0, comment: 'number of group parameters' },
    { key: 'GCOUNT', value: 1, comment: 'number of groups' },
    { key: 'TFIELDS', value: layout.length, comment: 'number of columns' },
  ];
  for (const { column, n, repeat } of layout) {
    tableKeywords.push({ key: `TTYPE${n}`, value: column.name, comment: column.description ?? '' });
    tableKeywords.push({
      key: `TFORM${n}`,
      value: `${column.format === 'A' ? repeat : ''}${column.format}`,
    });
    if (column.unit) tableKeywords.push({ key: `TUNIT${n}`, value: column.unit });
    if (column.ucd) tableKeywords.push({ key: `TUCD${n}`, value: column.ucd });
    if (column.nullValue !== undefined && INTEGER_RANGE[column.format] !== undefined) {
      tableKeywords.push({ key: `TNULL${n}`, value: column.nullValue });
    }
  }
  if (spec.extname !== undefined)
    tableKeywords.push({ key: 'EXTNAME', value: spec.extname, comment: 'table name' });
  tableKeywords.push(...(spec.keywords ?? []));

  const primaryKeywords: HeaderKeyword[] = [
    { key: 'SIMPLE', value: true, comment: 'conforms to FITS standard' },
    { key: 'BITPIX', value: 8, comment: 'array data type' },
    { key: 'NAXIS', value: 0, comment: 'number of array dimensions' },
    { key: 'EXTEND', value: true },
    ...(spec.primaryKeywords ?? []),
  ];
  const primary = hduBytes(primaryKeywords, new Uint8Array(0), spec.checksum === true, target);
  const table = hduBytes(tableKeywords, data, spec.checksum === true, target);
  const out = new Uint8Array(primary.length + table.length);
  out.set(primary, 0);
  out.set(table, primary.length);
  return out;
}

/** Header + padded data of one HDU, optionally with CHECKSUM/DATASUM. */
export function hduBytes(
  keywords: HeaderKeyword[],
  data: Uint8Array,
  checksum: boolean,
  target: string,
): Uint8Array {
  const header = checksum
    ? headerBlocks(
        [
          ...keywords,
          { key: 'CHECKSUM', value: '0000000000000000' },
          { key: 'DATASUM', value: '0' },
        ],
        target,
      )
    : headerBlocks(keywords, target);
  const out = new Uint8Array(header.length + data.length);
  out.set(header, 0);
  out.set(data, header.length);
  if (checksum) addChecksums(out, header.length);
  return out;
}

function checkNullValue(column: BinTableColumn, target: string): void {
  const range = INTEGER_RANGE[column.format];
  const nullValue = column.nullValue;
  if (range === undefined || nullValue === undefined) return;
  const ok =
    (typeof nullValue === 'bigint' || Number.isInteger(nullValue)) &&
    BigInt(nullValue) >= range[0] &&
    BigInt(nullValue) <= range[1];
  if (!ok) {
    throw new FitsError(
      'bad-value',
      target,
      `column ${column.name} has nullValue ${nullValue}, which a ${column.format} column cannot hold`,
    );
  }
}

function stringWidth(column: BinTableColumn, target: string): number {
  let longest = 1;
  for (let i = 0; i < column.values.length; i++) {
    const v = column.values[i];
    if (typeof v === 'string') longest = Math.max(longest, v.length);
  }
  const width = column.width ?? longest;
  if (!Number.isInteger(width) || width < 1) {
    throw new FitsError(
      'bad-value',
      target,
      `column ${column.name} has width ${width}; it must be a positive integer`,
    );
  }
  if (longest > width) {
    throw new FitsError(
      'bad-value',
      target,
      `column ${column.name} holds a ${longest}-character string but its width is ${width}`,
    );
  }
  return width;
}

function writeColumn(
  view: DataView,
  data: Uint8Array,
  column: BinTableColumn,
  offset: number,
  rowBytes: number,
  rows: number,
  repeat: number,
  target: string,
): void {
  const { format, values } = column;
  const bad = (row: number, why: string) =>
    new FitsError('bad-value', target, `column ${column.name}, row ${row + 1}: ${why}`);
  for (let row = 0; row < rows; row++) {
    const at = row * rowBytes + offset;
    const value = values[row] ?? null;
    switch (format) {
      case 'L':
        if (value !== null && typeof value !== 'boolean')
          throw bad(row, 'a logical column needs true, false or null');
        data[at] = value === null ? 0 : value ? 84 : 70; // 'T' / 'F'; 0 = undefined
        break;
      case 'E':
      case 'D': {
        if (value !== null && typeof value !== 'number')
          throw bad(row, 'a floating-point column needs numbers');
        const v = value === null ? NaN : value;
        if (format === 'E') view.setFloat32(at, v);
        else view.setFloat64(at, v);
        break;
      }
      case 'A': {
        if (value !== null && typeof value !== 'string')
          throw bad(row, 'a string column needs strings');
        // Printable ASCII only (fitsverify's rule); pad with NULs, which readers strip.
        const text = printable(value ?? '');
        for (let i = 0; i < text.length && i < repeat; i++) data[at + i] = text.charCodeAt(i);
        break;
      }
      default:
        writeInteger(view, at, format, integerCell(value, column, row, bad));
    }
  }
}

function integerCell(
  value: CellValue,
  column: BinTableColumn,
  row: number,
  bad: (row: number, why: string) => FitsError,
): bigint {
  const range = INTEGER_RANGE[column.format]!;
  let v: bigint;
  if (value === null) {
    if (column.nullValue === undefined)
      throw bad(row, 'is null but the column has no nullValue (TNULL)');
    if (typeof column.nullValue === 'number' && !Number.isInteger(column.nullValue)) {
      throw bad(row, `nullValue ${column.nullValue} is not an integer`);
    }
    v = BigInt(column.nullValue);
  } else if (typeof value === 'bigint') {
    v = value;
  } else if (typeof value === 'number' && Number.isInteger(value)) {
    v = BigInt(value);
  } else {
    throw bad(row, `${String(value)} is not an integer`);
  }
  if (v < range[0] || v > range[1])
    throw bad(row, `${v} is outside the range of a ${column.format} column`);
  return v;
}

function writeInteger(view: DataView, at: number, format: BinTableFormat, v: bigint): void {
  if (format === 'B') view.setUint8(at, Number(v));
  else if (format === 'I') view.setInt16(at, Number(v));
  else if (format === 'J') view.setInt32(at, Number(v));
  else view.setBigInt64(at, v);
}

export type { HeaderKeyword, HeaderValue };
