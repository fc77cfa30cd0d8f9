import type { Sink } from './atomic-write';
import { numberText } from './numbers';
import { INT_NULL, type Cell, type ExportTable, type TableColumn } from './table';

/**
 * VOTable 1.4 (IVOA, 2019) in TABLEDATA serialisation. 1.4 keeps the 1.3 namespace. Strings
 * are char when ASCII and unicodeChar otherwise; int columns declare VALUES null = −1; empty
 * float/double cells mean NaN (unknown), as the standard allows.
 */
export function writeVoTable(table: ExportTable, sink: Sink): void {
  const { meta } = table;
  const info = (name: string, value: string | number | null) =>
    value === null ? '' : `  <INFO name="${name}" value="${xml(String(value))}"/>\n`;
  sink.write(
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
      '<VOTABLE version="1.4" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"\n' +
      '  xmlns="http://www.ivoa.net/xml/VOTable/v1.3"\n' +
      '  xsi:schemaLocation="http://www.ivoa.net/xml/VOTable/v1.3 http://www.ivoa.net/xml/VOTable/v1.3">\n' +
      ` <DESCRIPTION>AHUNT ${xml(table.kind)} of project ${xml(meta.project)}</DESCRIPTION>\n` +
      ` <RESOURCE type="results">\n` +
      info('project', meta.project) +
      info('round', meta.round) +
      info('model', meta.model?.id ?? null) +
      info('model_round', meta.model?.round ?? null) +
      info('software', meta.software) +
      info('date', meta.exportedAt) +
      `  <TABLE name="${xml(table.kind)}" nrows="${table.rows}">\n`,
  );
  for (const column of table.columns) sink.write(fieldElement(column));
  sink.write('   <DATA>\n    <TABLEDATA>\n');
  let chunk = '';
  for (let row = 0; row < table.rows; row++) {
    chunk += '     <TR>';
    for (const column of table.columns)
      chunk += `<TD>${cellText(column, column.values[row] ?? null)}</TD>`;
    chunk += '</TR>\n';
    if (chunk.length > 1 << 16) {
      sink.write(chunk);
      chunk = '';
    }
  }
  sink.write(`${chunk}    </TABLEDATA>\n   </DATA>\n  </TABLE>\n </RESOURCE>\n</VOTABLE>\n`);
}

function fieldElement(column: TableColumn): string {
  const attributes = [
    `name="${xml(column.name)}"`,
    `ID="${xmlId(column.name)}"`,
    `datatype="${datatype(column)}"`,
  ];
  if (column.type === 'string') attributes.push('arraysize="*"');
  if (column.unit) attributes.push(`unit="${xml(column.unit)}"`);
  if (column.ucd) attributes.push(`ucd="${xml(column.ucd)}"`);
  const inner =
    `<DESCRIPTION>${xml(column.description)}</DESCRIPTION>` +
    (column.type === 'int' ? `<VALUES null="${INT_NULL}"/>` : '');
  return `   <FIELD ${attributes.join(' ')}>${inner}</FIELD>\n`;
}

function datatype(column: TableColumn): string {
  switch (column.type) {
    case 'string':
      // Anything outside printable ASCII (controls come out as U+FFFD) needs unicodeChar.
      return column.values.some((v) => typeof v === 'string' && /[^\t\n\r\x20-\x7e]/.test(v))
        ? 'unicodeChar'
        : 'char';
    case 'int':
      return 'int';
    case 'float':
      return 'float';
    case 'double':
      return 'double';
  }
}

function cellText(column: TableColumn, value: Cell): string {
  if (column.type === 'string') return xml(value === null ? '' : String(value));
  if (column.type === 'int') return value === null ? String(INT_NULL) : String(value);
  return numberText(typeof value === 'number' ? value : null, column.type);
}

/**
 * XML text or attribute value: the five special characters escaped, and characters XML 1.0
 * cannot hold at all (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/U+FFFF)
 * replaced by U+FFFD, since no escape can carry them.
 */
export function xml(text: string): string {
  return text
    .replace(
      // eslint-disable-next-line no-control-regex -- these are exactly the characters to remove
      /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
      '\ufffd',
    )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** An XML ID (NCName): letters, digits, '_', '-', '.', not starting with a digit. */
function xmlId(name: string): string {
  const id = name.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(id) ? id : `_${id}`;
}
