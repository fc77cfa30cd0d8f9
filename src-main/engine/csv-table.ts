import { CsvError, parse } from 'csv-parse/sync';

/**
 * Reading CSV text as a table: one reader for catalogues, label files, work lists and score
 * parts. The RFC 4180 parsing (quotes, "" escapes, newlines inside quotes, CRLF, a byte-order
 * mark) is csv-parse's; what is ours is what a catalogue from the wild needs on top: the
 * separator guessed from the header (comma, tab or semicolon), `#` comment and blank lines
 * skipped, values trimmed, the line of every row kept for messages, and a problem that makes
 * the text unreliable (a quote never closed, binary data) said in words instead of thrown.
 */
export interface CsvTable {
  columns: string[];
  /** Data rows; `lines[i]` is the 1-based line number of `rows[i]` in the file, for messages. */
  rows: string[][];
  lines: number[];
  /** What makes the text unreliable as a table (an unclosed quote, binary data), or null. */
  problem: string | null;
}

export function parseCsv(text: string): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.slice(0, 4096).includes(String.fromCharCode(0))) {
    return empty('it contains binary data (NUL bytes); it is not a text CSV file.');
  }
  // One line end, and comment lines emptied rather than removed, so that every record's
  // line number can be counted afterwards: csv-parse's own per-record info (and its list of
  // line ends) made reading a 10^6-row score file 2.5 times slower.
  // (A line that starts with # inside a quoted value is emptied too: rare enough to accept.)
  const unified = body.replace(/\r\n?/g, '\n').replace(/^#.*$/gm, '');
  let records: string[][];
  try {
    records = parse(unified, {
      delimiter: guessSeparator(unified.split('\n', 1)[0]!),
      record_delimiter: '\n',
      relax_column_count: true,
      relax_quotes: true,
    }) as string[][];
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const at = error as CsvError & { lines?: number; bytes_records?: number };
    if (error.code === 'CSV_QUOTE_NOT_CLOSED') {
      // The open quote is in the record after the last complete one.
      const done = Buffer.from(unified)
        .subarray(0, at.bytes_records ?? 0)
        .toString('utf8');
      const line = (done.match(/\n/g)?.length ?? 0) + 1;
      return empty(
        `line ${line}: a quoted field (") is never closed, so the rest of the file would be read as one value; close or remove the quote.`,
      );
    }
    return empty(`line ${at.lines ?? '?'}: ${error.message}`);
  }
  const rows: string[][] = [];
  const lines: number[] = [];
  let line = 1;
  for (const record of records) {
    if (record.length > 1 || record[0]!.trim() !== '') {
      rows.push(record.map((field) => field.trim()));
      lines.push(line);
    }
    line += 1;
    for (const field of record) if (field.includes('\n')) line += field.split('\n').length - 1;
  }
  const header = rows.shift();
  lines.shift();
  if (!header) return empty(null);
  return { columns: header, rows, lines, problem: null };
}

function empty(problem: string | null): CsvTable {
  return { columns: [], rows: [], lines: [], problem };
}

function guessSeparator(line: string): string {
  const counts = [',', '\t', ';'].map((s) => [s, line.split(s).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

/** Index of a column by name, case-insensitively; -1 when absent. */
export function columnIndex(columns: string[], name: string): number {
  const wanted = name.trim().toLowerCase();
  return columns.findIndex((c) => c.toLowerCase() === wanted);
}

/** The first of `candidates` present among `columns`, or -1. */
export function firstColumn(columns: string[], candidates: readonly string[]): number {
  for (const c of candidates) {
    const i = columnIndex(columns, c);
    if (i >= 0) return i;
  }
  return -1;
}
