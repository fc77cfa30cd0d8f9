/**
 * A small RFC 4180 reader for catalogues and label files: a header row, double-quoted
 * fields with "" escapes (newlines allowed inside quotes), comma, tab or semicolon
 * separators (guessed from the header line), blank lines and `#` comment lines ignored.
 */
export interface CsvTable {
  columns: string[];
  /** Data rows; `lines[i]` is the 1-based line number of `rows[i]` in the file, for messages. */
  rows: string[][];
  lines: number[];
  /** What makes the text unreliable as a table (an unclosed quote), or null. */
  problem: string | null;
}

export function parseCsv(text: string): CsvTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstLine = body.slice(0, body.search(/\r?\n|$/));
  const separator = guessSeparator(firstLine);
  const { records, openQuoteLine } = splitRecords(body, separator);
  // A quote never closed swallows the rest of the file into one field: rows vanish silently.
  const problem =
    openQuoteLine !== null
      ? `line ${openQuoteLine}: a quoted field (") is never closed, so the rest of the file would be read as one value; close or remove the quote.`
      : body.slice(0, 4096).includes(String.fromCharCode(0))
        ? 'it contains binary data (NUL bytes); it is not a text CSV file.'
        : null;
  const header = records.shift();
  if (!header) return { columns: [], rows: [], lines: [], problem };
  return {
    columns: header.fields.map((c) => c.trim()),
    rows: records.map((r) => r.fields),
    lines: records.map((r) => r.line),
    problem,
  };
}

function guessSeparator(line: string): string {
  const counts = [',', '\t', ';'].map((s) => [s, line.split(s).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ',';
}

function splitRecords(
  text: string,
  separator: string,
): { records: { fields: string[]; line: number }[]; openQuoteLine: number | null } {
  const records: { fields: string[]; line: number }[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let recordLine = 1;
  let fieldStarted = false;
  let quoteLine = 1;
  const endRecord = () => {
    fields.push(field.trim());
    const blank = fields.length === 1 && fields[0] === '';
    const comment = fields[0]?.startsWith('#') ?? false;
    if (!blank && !comment) records.push({ fields, line: recordLine });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && !fieldStarted) {
      quoted = true;
      quoteLine = line;
      fieldStarted = true;
    } else if (ch === separator) {
      fields.push(field.trim());
      field = '';
      fieldStarted = false;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      recordLine = line;
    } else {
      field += ch;
      if (ch !== ' ') fieldStarted = true;
    }
  }
  if (field !== '' || fields.length > 0) endRecord();
  return { records, openQuoteLine: quoted ? quoteLine : null };
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
