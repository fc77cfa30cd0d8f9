import { expect } from 'vitest';
import type { Cell, ExportTable } from '../../src-main/engine/export';

/** What a reader gave back for one column: numbers/strings, null for unknown. */
export type ReadColumn = (string | number | null)[];

/**
 * Asserts that a table read back from a file holds exactly the exported values: float
 * columns compared as float32, strings through `text` (FITS replaces non-ASCII with '?').
 */
export function expectSameValues(
  table: ExportTable,
  read: Record<string, ReadColumn>,
  text: (s: string) => string = (s) => s,
): void {
  expect(Object.keys(read)).toEqual(table.columns.map((c) => c.name));
  for (const column of table.columns) {
    const got = read[column.name]!;
    expect(got.length, column.name).toBe(table.rows);
    const want = column.values.map((v: Cell) => {
      if (column.type === 'string') return text(v === null ? '' : String(v));
      if (v === null) return null;
      return column.type === 'float' ? Math.fround(v as number) : v;
    });
    const have = got.map((v) => {
      if (column.type === 'string') return v === null ? '' : String(v);
      if (v === null || v === '') return null;
      const n = Number(v);
      return column.type === 'float' ? Math.fround(n) : n;
    });
    expect(have, column.name).toEqual(want);
  }
}
