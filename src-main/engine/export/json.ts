import type { Sink } from './atomic-write';
import { float32Text } from './numbers';
import type { Cell, ExportTable, TableColumn } from './table';

export const JSON_FORMAT = 'ahunt-table';
export const JSON_VERSION = 1;

/**
 * JSON for scripts:
 *   { format: "ahunt-table", version: 1, kind, project, round, model: {id, round} | null,
 *     software, exportedAt, columns: [{name, type, unit?, ucd?, description}], rows: [[…], …] }
 * Each row is an array in column order; unknown values are null. Rows are written one per line
 * so that line-oriented tools (and the 10^6-row case) cope.
 */
export function writeJson(table: ExportTable, sink: Sink): void {
  const { meta } = table;
  const head = {
    format: JSON_FORMAT,
    version: JSON_VERSION,
    kind: table.kind,
    project: meta.project,
    round: meta.round,
    model: meta.model,
    software: meta.software,
    exportedAt: meta.exportedAt,
    columns: table.columns.map(({ values: _values, ...rest }) => rest),
  };
  const opening = JSON.stringify(head);
  sink.write(`${opening.slice(0, -1)},"rows":[`);
  let chunk = '';
  for (let row = 0; row < table.rows; row++) {
    const cells = table.columns.map((c) => jsonCell(c, c.values[row] ?? null));
    chunk += `${row === 0 ? '' : ','}\n${JSON.stringify(cells)}`;
    if (chunk.length > 1 << 16) {
      sink.write(chunk);
      chunk = '';
    }
  }
  sink.write(`${chunk}\n]}\n`);
}

/** float32 values as their shortest decimal, not the float64 expansion of the float32. */
function jsonCell(column: TableColumn, value: Cell): Cell {
  if (column.type === 'float' && typeof value === 'number') return Number(float32Text(value));
  return value;
}
