import { FitsError } from './errors';
import { BLOCK_LENGTH, CARD_LENGTH } from './header';
import type { HeaderValue } from './header';

/** A keyword to write: key up to 8 characters (A–Z, 0–9, '-', '_'), a value, an optional comment. */
export interface HeaderKeyword {
  key: string;
  value: HeaderValue;
  comment?: string;
}

const KEY_PATTERN = /^[A-Z0-9_-]{1,8}$/;
const STRING_CHARS_PER_CARD = 68;
const COMMENTARY_KEYS = new Set(['COMMENT', 'HISTORY', '']);

/** Formats keywords (plus END) into whole 2880-byte header blocks, fixed-format as the standard prefers. */
export function headerBlocks(keywords: HeaderKeyword[], target: string): Uint8Array {
  const cards: string[] = [];
  let declaredLongStrings = keywords.some((k) => k.key.toUpperCase() === 'LONGSTRN');
  for (const keyword of keywords) {
    const formatted = formatKeyword(keyword, target);
    // fitsverify warns about CONTINUE cards unless LONGSTRN announces the convention first.
    if (formatted.length > 1 && formatted[1]!.startsWith('CONTINUE') && !declaredLongStrings) {
      cards.push(
        ...formatKeyword(
          { key: 'LONGSTRN', value: 'OGIP 1.0', comment: 'CONTINUE long strings' },
          target,
        ),
      );
      declaredLongStrings = true;
    }
    cards.push(...formatted);
  }
  cards.push('END'.padEnd(CARD_LENGTH));
  const length = Math.ceil((cards.length * CARD_LENGTH) / BLOCK_LENGTH) * BLOCK_LENGTH;
  const text = cards.join('').padEnd(length);
  return Uint8Array.from(Buffer.from(text, 'latin1'));
}

export function formatKeyword(keyword: HeaderKeyword, target: string): string[] {
  const key = keyword.key.toUpperCase();
  if (COMMENTARY_KEYS.has(key))
    return commentaryCards(key, String(keyword.value ?? keyword.comment ?? ''));
  if (!KEY_PATTERN.test(key)) {
    throw new FitsError(
      'bad-value',
      target,
      `keyword "${keyword.key}" is not a valid FITS keyword (1–8 of A–Z, 0–9, -, _)`,
    );
  }
  const comment = printable(keyword.comment ?? '');
  const value = keyword.value;
  if (typeof value === 'string') return stringCards(key, printable(value), comment);
  return [card(key, formatScalar(key, value, target), comment)];
}

function card(key: string, valueField: string, comment: string): string {
  const body = `${key.padEnd(8)}= ${valueField}${comment === '' ? '' : ` / ${comment}`}`;
  return body.slice(0, CARD_LENGTH).padEnd(CARD_LENGTH);
}

function formatScalar(key: string, value: HeaderValue, target: string): string {
  if (value === null) return ''.padStart(20);
  if (typeof value === 'boolean') return (value ? 'T' : 'F').padStart(20);
  if (typeof value === 'bigint') return value.toString().padStart(20);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new FitsError(
        'bad-value',
        target,
        `keyword ${key} = ${value}: FITS headers cannot hold NaN or infinity`,
      );
    }
    return (
      Number.isInteger(value) && Math.abs(value) < 1e18 ? value.toFixed(0) : formatReal(value)
    ).padStart(20);
  }
  throw new FitsError('bad-value', target, `keyword ${key} has an unsupported value type`);
}

/** Shortest round-trip decimal, with a '.' and an upper-case E, in at most 20 characters. */
export function formatReal(value: number): string {
  let text = String(value).toUpperCase();
  for (let digits = 16; text.length > 20 && digits > 0; digits--) {
    text = value.toExponential(digits).toUpperCase();
  }
  const e = text.indexOf('E');
  const mantissa = e < 0 ? text : text.slice(0, e);
  if (!mantissa.includes('.')) text = e < 0 ? `${text}.0` : `${mantissa}.0${text.slice(e)}`;
  return text;
}

/** A string value; longer than one card fits, it continues over CONTINUE cards ('&' convention). */
function stringCards(key: string, value: string, comment: string): string[] {
  const escaped = value.replace(/'/g, "''");
  if (escaped.length <= STRING_CHARS_PER_CARD) {
    return [card(key, `'${escaped.padEnd(8)}'`, comment)];
  }
  const pieces: string[] = [];
  let rest = value;
  while (rest.length > 0) {
    // Take as many characters as fit once quotes are doubled, leaving room for the '&'.
    let take = Math.min(rest.length, STRING_CHARS_PER_CARD - 1);
    while (rest.slice(0, take).replace(/'/g, "''").length > STRING_CHARS_PER_CARD - 1) take--;
    pieces.push(rest.slice(0, take).replace(/'/g, "''"));
    rest = rest.slice(take);
  }
  return pieces.map((piece, i) => {
    const last = i === pieces.length - 1;
    const quoted = `'${piece}${last ? '' : '&'}'`;
    return i === 0
      ? card(key, quoted, '')
      : `CONTINUE  ${quoted}${last && comment !== '' ? ` / ${comment}` : ''}`
          .slice(0, CARD_LENGTH)
          .padEnd(CARD_LENGTH);
  });
}

function commentaryCards(key: string, text: string): string[] {
  const clean = printable(text);
  const cards: string[] = [];
  for (let at = 0; at === 0 || at < clean.length; at += 72) {
    cards.push(`${key.padEnd(8)}${clean.slice(at, at + 72)}`.padEnd(CARD_LENGTH));
  }
  return cards;
}

/** Headers may hold only printable ASCII; anything else becomes '?'. */
export function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, '?');
}
