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

/**
 * Parses RFC 4180 CSV (also accepts bare LF line ends and a UTF-8 byte-order mark). Returns
 * the rows as arrays of strings; the caller decides what the header means. A quote left open
 * at the end of the file is an error: the file was cut short.
 */
export function parseCsv(text: string): { rows: string[][]; error: string | null } {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let quoted = false;
  let fieldStarted = false;
  const endField = () => {
    row.push(field);
    field = '';
    fieldStarted = false;
  };
  for (; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
      continue;
    }
    if (ch === '"' && !fieldStarted && field === '') {
      quoted = true;
      fieldStarted = true;
    } else if (ch === ',') endField();
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endField();
      rows.push(row);
      row = [];
    } else {
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) return { rows, error: 'a quoted field is not closed before the end of the file' };
  if (fieldStarted || field !== '' || row.length > 0) {
    endField();
    rows.push(row);
  }
  return { rows, error: null };
}
