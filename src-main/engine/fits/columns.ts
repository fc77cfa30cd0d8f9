import { FitsError } from './errors';
import type { FitsHeader } from './header';
import { requireInteger, stringValue } from './structure';

/** One binary-table column as TFORMn describes it. */
export interface TableColumn {
  name: string;
  /** Type letter: L X B I J K A E D C M P Q. */
  type: string;
  repeat: number;
  /** For P/Q descriptors: the element type letter of the heap array. */
  arrayType: string | null;
  /** Byte offset within the row. */
  offset: number;
  /** Bytes per row. */
  width: number;
}

const ELEMENT_BYTES: Record<string, number> = {
  L: 1,
  B: 1,
  I: 2,
  J: 4,
  K: 8,
  A: 1,
  E: 4,
  D: 8,
  C: 8,
  M: 16,
  P: 8,
  Q: 16,
};

export function elementBytes(type: string): number | undefined {
  return ELEMENT_BYTES[type];
}

/** Parses TFORMn like '1PB(532)', '1QJ', 'D', '20A', '16X'. */
export function parseTform(
  tform: string,
): { repeat: number; type: string; arrayType: string | null } | null {
  const text = tform.trim().toUpperCase();
  let i = 0;
  while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
  const repeat = i === 0 ? 1 : Number(text.slice(0, i));
  const type = text[i];
  if (type === undefined) return null;
  if (type === 'P' || type === 'Q') {
    const arrayType = text[i + 1];
    if (arrayType === undefined || !(arrayType in ELEMENT_BYTES || arrayType === 'X')) return null;
    return { repeat, type, arrayType };
  }
  if (!(type in ELEMENT_BYTES) && type !== 'X') return null;
  return { repeat, type, arrayType: null };
}

export function readColumns(header: FitsHeader, where: string, file: string): TableColumn[] {
  const count = requireInteger(header, 'TFIELDS', where, file);
  if (count < 0 || count > 999) {
    throw new FitsError('bad-table', file, `${where} has TFIELDS = ${count}; it must be 0 to 999`);
  }
  const columns: TableColumn[] = [];
  let offset = 0;
  for (let n = 1; n <= count; n++) {
    const tform = stringValue(header.get(`TFORM${n}`));
    const parsed = tform === null ? null : parseTform(tform);
    if (parsed === null) {
      throw new FitsError(
        'bad-table',
        file,
        `${where} column ${n} has a missing or invalid TFORM${n}`,
      );
    }
    const width =
      parsed.type === 'X'
        ? Math.ceil(parsed.repeat / 8)
        : parsed.repeat * ELEMENT_BYTES[parsed.type]!;
    const name = (stringValue(header.get(`TTYPE${n}`)) ?? '').trim().toUpperCase();
    columns.push({ name, ...parsed, offset, width });
    offset += width;
  }
  return columns;
}
