import { readColumns } from './columns';
import type { TableColumn } from './columns';
import { FitsError } from './errors';
import type { FitsHeader } from './header';
import { numberValue, stringValue } from './structure';
import type { HduLayout } from './structure';

/**
 * One column of a binary table, decoded whole. Numbers come as a Float64Array (rows × repeat,
 * row-major; TNULL and undefined → NaN; TSCAL/TZERO applied), 64-bit integers as exact bigint
 * (null for TNULL) so 19-digit survey ids survive, strings trimmed of trailing blanks/NULs,
 * logicals as true/false/null. Bit (X), complex and variable-length (P/Q) columns are 'unsupported'.
 */
export type FitsTableColumn =
  | {
      kind: 'number';
      name: string;
      format: string;
      unit: string | null;
      repeat: number;
      data: Float64Array;
    }
  | {
      kind: 'bigint';
      name: string;
      format: string;
      unit: string | null;
      repeat: number;
      data: (bigint | null)[];
    }
  | { kind: 'string'; name: string; format: string; unit: string | null; repeat: 1; data: string[] }
  | {
      kind: 'boolean';
      name: string;
      format: string;
      unit: string | null;
      repeat: number;
      data: (boolean | null)[];
    }
  | {
      kind: 'unsupported';
      name: string;
      format: string;
      unit: string | null;
      repeat: number;
      data: null;
    };

export interface FitsTable {
  hdu: number;
  extname: string | null;
  rows: number;
  columns: FitsTableColumn[];
  /** Column by TTYPE, case-insensitive. */
  column(name: string): FitsTableColumn | undefined;
}

export function decodeBinTable(bytes: Uint8Array, hdu: HduLayout, file: string): FitsTable {
  const where = `HDU ${hdu.index}`;
  const [rowBytes = 0, rows = 0] = hdu.storedShape;
  const layout = readColumns(hdu.header, where, file);
  const used = layout.reduce((sum, c) => sum + c.width, 0);
  if (used > rowBytes) {
    throw new FitsError(
      'bad-table',
      file,
      `${where}: its columns need ${used} bytes per row but NAXIS1 = ${rowBytes}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset + hdu.dataStart, rowBytes * rows);
  const columns = layout.map((column, i) =>
    decodeColumn(view, bytes, hdu, column, i + 1, rowBytes, rows),
  );
  return {
    hdu: hdu.index,
    extname: hdu.extname,
    rows,
    columns,
    column: (name) => columns.find((c) => c.name.toUpperCase() === name.trim().toUpperCase()),
  };
}

function decodeColumn(
  view: DataView,
  bytes: Uint8Array,
  hdu: HduLayout,
  column: TableColumn,
  n: number,
  rowBytes: number,
  rows: number,
): FitsTableColumn {
  const header = hdu.header;
  const name = (stringValue(header.get(`TTYPE${n}`)) ?? `COL${n}`).trim();
  const format = (stringValue(header.get(`TFORM${n}`)) ?? '').trim();
  const unit = stringValue(header.get(`TUNIT${n}`))?.trim() || null;
  const base = { name, format, unit };
  const { type, repeat, offset } = column;
  // A zero-width column holds nothing; skipping it also means a forged NAXIS2 with
  // NAXIS1 = 0 (rows not backed by any bytes) never sizes an allocation.
  if (column.width === 0) return { kind: 'unsupported', ...base, repeat, data: null };
  const count = rows * repeat;
  switch (type) {
    case 'A': {
      const data = new Array<string>(rows);
      for (let r = 0; r < rows; r++) {
        const at = hdu.dataStart + r * rowBytes + offset;
        let end = at;
        while (end < at + repeat && bytes[end] !== 0) end++;
        data[r] = Buffer.from(bytes.buffer, bytes.byteOffset + at, end - at)
          .toString('latin1')
          .trimEnd();
      }
      return { kind: 'string', ...base, repeat: 1, data };
    }
    case 'L': {
      const data = new Array<boolean | null>(count);
      for (let r = 0, k = 0; r < rows; r++) {
        for (let e = 0; e < repeat; e++, k++) {
          const c = view.getUint8(r * rowBytes + offset + e);
          data[k] = c === 84 ? true : c === 70 ? false : null;
        }
      }
      return { kind: 'boolean', ...base, repeat, data };
    }
    case 'K':
      return decodeInt64(view, header, n, base, offset, rowBytes, rows, repeat);
    case 'B':
    case 'I':
    case 'J':
    case 'E':
    case 'D': {
      const scale = numberValue(header.get(`TSCAL${n}`)) ?? 1;
      const zero = numberValue(header.get(`TZERO${n}`)) ?? 0;
      const nullValue = type === 'E' || type === 'D' ? null : numberValue(header.get(`TNULL${n}`));
      const size = type === 'B' ? 1 : type === 'I' ? 2 : type === 'D' ? 8 : 4;
      const data = new Float64Array(count);
      for (let r = 0, k = 0; r < rows; r++) {
        const rowStart = r * rowBytes + offset;
        for (let e = 0; e < repeat; e++, k++) {
          const at = rowStart + e * size;
          const raw =
            type === 'B'
              ? view.getUint8(at)
              : type === 'I'
                ? view.getInt16(at)
                : type === 'J'
                  ? view.getInt32(at)
                  : type === 'E'
                    ? view.getFloat32(at)
                    : view.getFloat64(at);
          data[k] = raw === nullValue ? NaN : raw * scale + zero;
        }
      }
      return { kind: 'number', ...base, repeat, data };
    }
    default:
      return { kind: 'unsupported', ...base, repeat, data: null };
  }
}

function decodeInt64(
  view: DataView,
  header: FitsHeader,
  n: number,
  base: { name: string; format: string; unit: string | null },
  offset: number,
  rowBytes: number,
  rows: number,
  repeat: number,
): FitsTableColumn {
  const tnull = header.get(`TNULL${n}`);
  const nullValue =
    typeof tnull === 'bigint'
      ? tnull
      : typeof tnull === 'number' && Number.isInteger(tnull)
        ? BigInt(tnull)
        : null;
  const tzero = header.get(`TZERO${n}`);
  // TZERO = 2^63 marks unsigned 64-bit integers; any integer offset stays exact in bigint.
  const zero =
    typeof tzero === 'bigint'
      ? tzero
      : typeof tzero === 'number' && Number.isInteger(tzero)
        ? BigInt(tzero)
        : 0n;
  const data = new Array<bigint | null>(rows * repeat);
  for (let r = 0, k = 0; r < rows; r++) {
    for (let e = 0; e < repeat; e++, k++) {
      const raw = view.getBigInt64(r * rowBytes + offset + e * 8);
      data[k] = raw === nullValue ? null : raw + zero;
    }
  }
  return { kind: 'bigint', ...base, repeat, data };
}
