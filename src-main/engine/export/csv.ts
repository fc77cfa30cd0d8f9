import type { Sink } from './atomic-write';
import { numberText } from './numbers';
import type { Cell, ExportTable, TableColumn } from './table';

/**
 * CSV as RFC 4180 describes it: a header row, CRLF line ends, fields quoted when they hold a
 * comma, a quote, CR or LF (quotes doubled inside). Unknown values are empty fields. UTF-8,
 * without a byte-order mark (astropy, pandas and TOPCAT read it as is).
 */
export function writeCsv(table: ExportTable, sink: Sink): void {
  sink.write(`${table.columns.map((c) => csvField(c.name)).join(',')}\r\n`);
  const ROWS_PER_CHUNK = 1024;
  let chunk = '';
  for (let row = 0; row < table.rows; row++) {
    chunk += `${table.columns.map((c) => cellText(c, c.values[row] ?? null)).join(',')}\r\n`;
    if ((row + 1) % ROWS_PER_CHUNK === 0) {
      sink.write(chunk);
      chunk = '';
    }
  }
  if (chunk) sink.write(chunk);
}

function cellText(column: TableColumn, value: Cell): string {
  if (column.type === 'string') return csvField(value === null ? '' : String(value));
  return numberText(typeof value === 'number' ? value : null, column.type);
}

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
