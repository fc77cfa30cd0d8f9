import { FitsError } from './errors';

/** A typed header value. Integers beyond 2^53 are kept exact as bigint; complex values as text. */
export type HeaderValue = string | number | bigint | boolean | null;

export interface HeaderCard {
  /** Upper-case keyword; HIERARCH keywords without the HIERARCH prefix ('ESO DET CHIP'). */
  key: string;
  /** null for commentary cards (COMMENT, HISTORY, blank) and undefined values. */
  value: HeaderValue;
  /** The text after '/', or the whole text of a commentary card. */
  comment: string;
}

export interface FitsHeader {
  /** The first card with this keyword (case-insensitive; 'HIERARCH A B' and 'A B' both work). */
  get(key: string): HeaderValue | undefined;
  has(key: string): boolean;
  cards: HeaderCard[];
}

export const CARD_LENGTH = 80;
export const BLOCK_LENGTH = 2880;

const QUOTE = 39;
const SLASH = 47;
const SPACE = 32;

/**
 * Header cards are indexed by keyword up front but their values are parsed only when asked
 * for: ingest reads ~10 keywords of headers that often have 30–300 cards.
 */
class ParsedHeader implements FitsHeader {
  private readonly keys: string[];
  private readonly index = new Map<string, number>();
  private readonly parsed: (HeaderCard | undefined)[];
  /** Cards absorbed into a preceding long string by the CONTINUE convention. */
  private readonly continuation: boolean[];
  private allCards: HeaderCard[] | null = null;

  constructor(private readonly text: string) {
    const count = Math.floor(text.length / CARD_LENGTH);
    this.keys = new Array<string>(count);
    this.parsed = new Array<HeaderCard | undefined>(count);
    this.continuation = new Array<boolean>(count).fill(false);
    for (let i = 0; i < count; i++) {
      let key = keywordOf(text, i * CARD_LENGTH);
      if (key === 'HIERARCH') key = hierarchKey(text.slice(i * CARD_LENGTH, (i + 1) * CARD_LENGTH));
      this.keys[i] = key;
      if (key !== '' && key !== 'CONTINUE' && !this.index.has(key)) this.index.set(key, i);
    }
  }

  get cards(): HeaderCard[] {
    if (this.allCards === null) {
      const cards: HeaderCard[] = [];
      for (let i = 0; i < this.keys.length; i++) {
        const card = this.cardAt(i); // parsing in order marks CONTINUE cards before they are reached
        if (!this.continuation[i]) cards.push(card);
      }
      this.allCards = cards;
    }
    return this.allCards;
  }

  get(key: string): HeaderValue | undefined {
    const i = this.lookup(key);
    return i === undefined ? undefined : this.cardAt(i).value;
  }

  has(key: string): boolean {
    return this.lookup(key) !== undefined;
  }

  private lookup(key: string): number | undefined {
    const direct = this.index.get(key);
    if (direct !== undefined) return direct;
    const upper = key.toUpperCase();
    // Callers mostly ask in upper case already: a miss then needs no second look.
    const found = upper === key ? undefined : this.index.get(upper);
    if (found !== undefined) return found;
    return upper.startsWith('HIERARCH ')
      ? this.index.get(upper.slice(9).trim().replace(/\s+/g, ' '))
      : undefined;
  }

  private cardAt(i: number): HeaderCard {
    const cached = this.parsed[i];
    if (cached !== undefined) return cached;
    const key = this.keys[i]!;
    const card = parseCard(this.text.slice(i * CARD_LENGTH, (i + 1) * CARD_LENGTH), key);
    // The CONTINUE long-string convention: a string ending in '&' goes on in the next card.
    for (
      let j = i + 1;
      isContinued(card) && j < this.keys.length && this.keys[j] === 'CONTINUE';
      j++
    ) {
      const part = parseValueField(this.text.slice(j * CARD_LENGTH, (j + 1) * CARD_LENGTH), 8, key);
      if (typeof part.value !== 'string') break;
      card.value = (card.value as string).slice(0, -1) + part.value;
      if (part.comment !== '')
        card.comment = card.comment === '' ? part.comment : `${card.comment} ${part.comment}`;
      this.continuation[j] = true;
    }
    this.parsed[i] = card;
    return card;
  }
}

/**
 * Finds the END card of the header starting at `start`; returns the byte offset just past the
 * header's last block. Scans bytes, not strings, so a garbage file costs nothing to reject.
 */
export function findHeaderEnd(bytes: Uint8Array, start: number, file: string): number {
  const end = locateHeaderEnd(bytes, start, bytes.length);
  if (end >= 0) return end;
  throw new FitsError(
    'no-end',
    file,
    `the header starting at byte ${start} has no END card (the file is truncated or not FITS)`,
  );
}

/**
 * findHeaderEnd over the cards that lie wholly before `length`, or -1 when none of them is
 * END: a stream being inflated asks again once more bytes have come, from `from` (a card
 * boundary it had not yet searched), so a long header is scanned once, not once per chunk.
 */
export function locateHeaderEnd(
  bytes: Uint8Array,
  start: number,
  length: number,
  from = start,
): number {
  for (let at = from; at + CARD_LENGTH <= length; at += CARD_LENGTH) {
    if (bytes[at] === 69 && bytes[at + 1] === 78 && bytes[at + 2] === 68) {
      let blankRest = true;
      for (let i = 3; i < 8; i++) {
        if (bytes[at + i] !== SPACE) {
          blankRest = false;
          break;
        }
      }
      if (blankRest) {
        const cardsUsed = (at - start) / CARD_LENGTH + 1;
        return start + Math.ceil((cardsUsed * CARD_LENGTH) / BLOCK_LENGTH) * BLOCK_LENGTH;
      }
    }
  }
  return -1;
}

/** Indexes the cards between `start` and the END card (which must exist: see findHeaderEnd). */
export function parseHeader(bytes: Uint8Array, start: number, blockEnd: number): FitsHeader {
  // A file cut inside the header's last block still has its END card: read what is there.
  const end = Math.min(blockEnd, bytes.length);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');
  let cards = 0;
  while ((cards + 1) * CARD_LENGTH <= text.length && !isEndCard(text, cards * CARD_LENGTH)) cards++;
  return new ParsedHeader(text.slice(0, cards * CARD_LENGTH));
}

/** keywordOf(text, at) === 'END', without making the keyword's string. */
function isEndCard(text: string, at: number): boolean {
  // | 32 lower-cases a letter: keywords are compared case-insensitively.
  if ((text.charCodeAt(at) | 32) !== 101) return false;
  if ((text.charCodeAt(at + 1) | 32) !== 110 || (text.charCodeAt(at + 2) | 32) !== 100)
    return false;
  for (let i = 3; i < 8; i++) if (text.charCodeAt(at + i) !== SPACE) return false;
  return true;
}

function keywordOf(text: string, at: number): string {
  let end = 8;
  while (end > 0 && text.charCodeAt(at + end - 1) === SPACE) end--;
  let lower = false;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(at + i);
    if (c >= 97 && c <= 122) lower = true;
  }
  const key = text.slice(at, at + end);
  return lower ? key.toUpperCase() : key;
}

function hierarchKey(card: string): string {
  const equals = card.indexOf('=', 9);
  return equals < 0 ? 'HIERARCH' : card.slice(9, equals).trim().replace(/\s+/g, ' ').toUpperCase();
}

function isContinued(card: HeaderCard): boolean {
  return typeof card.value === 'string' && card.value.endsWith('&');
}

function parseCard(card: string, key: string): HeaderCard {
  if (card.startsWith('HIERARCH')) {
    const equals = card.indexOf('=', 9);
    if (equals < 0) return { key, value: null, comment: card.slice(8).trimEnd() };
    return parseValueField(card, equals + 1, key);
  }
  if (card.charCodeAt(8) === 61 && key !== 'COMMENT' && key !== 'HISTORY' && key !== '') {
    return parseValueField(card, 9, key);
  }
  return { key, value: null, comment: card.slice(8).trimEnd() };
}

/**
 * Parses "value / comment" starting at `from` into the card of `key` (built here in one
 * object, not spread from a second); lenient like astropy: odd values stay text.
 */
function parseValueField(card: string, from: number, key: string): HeaderCard {
  let i = from;
  while (i < card.length && card.charCodeAt(i) === SPACE) i++;
  if (i >= card.length) return { key, value: null, comment: '' };
  if (card.charCodeAt(i) === QUOTE) return parseStringValue(card, i, key);
  let slash = card.indexOf('/', i);
  if (slash < 0) slash = card.length;
  const token = card.slice(i, slash).trim();
  const comment = slash < card.length ? card.slice(slash + 1).trim() : '';
  return { key, value: parseToken(token), comment };
}

function parseStringValue(card: string, quoteAt: number, key: string): HeaderCard {
  let value = '';
  let i = quoteAt + 1;
  let runStart = i;
  for (; i < card.length; i++) {
    if (card.charCodeAt(i) !== QUOTE) continue;
    value += card.slice(runStart, i);
    if (card.charCodeAt(i + 1) === QUOTE) {
      value += "'";
      i++;
      runStart = i + 1;
      continue;
    }
    break;
  }
  if (i >= card.length) value += card.slice(runStart);
  let comment = '';
  for (let j = i + 1; j < card.length; j++) {
    if (card.charCodeAt(j) === SLASH) {
      comment = card.slice(j + 1).trim();
      break;
    }
  }
  // Trailing blanks in FITS strings are not significant; leading ones are.
  return { key, value: value.trimEnd(), comment };
}

function parseToken(token: string): HeaderValue {
  if (token === '') return null;
  if (token === 'T') return true;
  if (token === 'F') return false;
  if (token.charCodeAt(0) === 40) return token; // complex '(re, im)': kept as text
  if (isIntegerToken(token)) {
    const n = Number(token);
    return Number.isSafeInteger(n) ? n : BigInt(token);
  }
  const n = Number(token.includes('D') || token.includes('d') ? token.replace(/[dD]/, 'E') : token);
  return Number.isNaN(n) || token.includes(' ') ? token : n;
}

function isIntegerToken(token: string): boolean {
  let i = 0;
  const first = token.charCodeAt(0);
  if (first === 43 || first === 45) i = 1;
  if (i >= token.length) return false;
  for (; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
