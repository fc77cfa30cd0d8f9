import { writeBinTable } from '../fits/write-table';
import type { BinTableColumn, HeaderKeyword } from '../fits';
import type { Sink } from './atomic-write';
import { INT_NULL, type ExportTable, type TableColumn } from './table';

/** FITS DATE: ISO 8601 UTC without the zone letter, as the standard (§4.4.2.1) spells it. */
export function fitsDate(iso: string): string {
  return iso.replace(/Z$/, '');
}

/**
 * A FITS file: empty primary HDU + one BINTABLE with TTYPE/TFORM/TUNIT/TUCD per column and
 * keywords saying what it is (project, round, model, software, date), with CHECKSUM/DATASUM.
 * Strings become fixed-width ASCII (FITS has no Unicode; other characters become '?'),
 * integers 32-bit with TNULL = −1, probabilities float32, positions float64 (NaN = unknown).
 */
export function writeFitsTable(table: ExportTable, sink: Sink, target: string): void {
  const { meta } = table;
  const keywords: HeaderKeyword[] = [
    {
      key: 'ORIGIN',
      value: 'AHUNT Workstation',
      comment: 'organisation or software that wrote this',
    },
    { key: 'CREATOR', value: meta.software, comment: 'software version' },
    { key: 'DATE', value: fitsDate(meta.exportedAt), comment: 'file creation date (UTC)' },
    { key: 'AHKIND', value: table.kind, comment: 'what the table holds' },
    { key: 'PROJECT', value: meta.project, comment: 'AHUNT project name' },
  ];
  if (meta.round !== null) {
    keywords.push({ key: 'AHROUND', value: meta.round, comment: 'latest active-learning round' });
  }
  if (meta.model !== null) {
    keywords.push({ key: 'AHMODEL', value: meta.model.id, comment: 'latest model checkpoint id' });
    if (meta.model.round !== null) {
      keywords.push({ key: 'AHMODRND', value: meta.model.round, comment: 'round that trained it' });
    }
  }
  const bytes = writeBinTable({
    extname: table.kind.toUpperCase().replace(/[^A-Z0-9_]/g, '_'),
    columns: table.columns.map(fitsColumn),
    keywords,
    primaryKeywords: [
      { key: 'CREATOR', value: meta.software, comment: 'software version' },
      { key: 'DATE', value: fitsDate(meta.exportedAt), comment: 'file creation date (UTC)' },
    ],
    checksum: true,
    target,
  });
  sink.write(bytes);
}

function fitsColumn(column: TableColumn): BinTableColumn {
  const base = {
    name: column.name,
    description: column.description,
    ...(column.unit ? { unit: column.unit } : {}),
    ...(column.ucd ? { ucd: column.ucd } : {}),
  };
  switch (column.type) {
    case 'string':
      return {
        ...base,
        format: 'A',
        values: column.values.map((v) => (v === null ? '' : String(v))),
      };
    case 'int':
      return { ...base, format: 'J', nullValue: INT_NULL, values: column.values };
    case 'float':
      return { ...base, format: 'E', values: column.values };
    case 'double':
      return { ...base, format: 'D', values: column.values };
  }
}
