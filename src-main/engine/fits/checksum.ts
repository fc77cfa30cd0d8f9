/**
 * The FITS checksum convention (Seaman, Pence & Rots; FITS standard 4.0 appendix J):
 * DATASUM is the 32-bit ones'-complement sum of the data; CHECKSUM encodes the complement
 * of the whole HDU's sum in 16 ASCII characters so that the HDU then sums to -0.
 */

/** Fills the CHECKSUM and DATASUM cards (already present with placeholder values) of the HDU in `hdu`. */
export function addChecksums(hdu: Uint8Array, headerLength: number): void {
  const dataSum = onesComplementSum(hdu, headerLength, hdu.length, 0);
  writeCardValue(hdu, headerLength, 'DATASUM', `'${String(dataSum)}'`.padEnd(20));
  writeCardValue(hdu, headerLength, 'CHECKSUM', "'0000000000000000'");
  const total = onesComplementSum(hdu, 0, headerLength, dataSum);
  writeCardValue(hdu, headerLength, 'CHECKSUM', `'${encodeChecksum(~total >>> 0)}'`);
}

export function onesComplementSum(
  bytes: Uint8Array,
  start: number,
  end: number,
  initial: number,
): number {
  let hi = initial >>> 16;
  let lo = initial & 0xffff;
  for (let i = start; i + 3 < end; i += 4) {
    hi += (bytes[i]! << 8) | bytes[i + 1]!;
    lo += (bytes[i + 2]! << 8) | bytes[i + 3]!;
  }
  // Fold carries around until none remain (end-around carry).
  // hi/lo may exceed 32 bits for big data (doubles keep them exact), so split arithmetically.
  let hiCarry = Math.floor(hi / 65536);
  let loCarry = Math.floor(lo / 65536);
  hi %= 65536;
  lo %= 65536;
  while (hiCarry !== 0 || loCarry !== 0) {
    hi = (hi & 0xffff) + loCarry;
    lo = (lo & 0xffff) + hiCarry;
    hiCarry = hi >>> 16;
    loCarry = lo >>> 16;
  }
  return ((hi << 16) | lo) >>> 0;
}

const EXCLUDED = [0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f, 0x40, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f, 0x60];

/** The 16-character ASCII encoding of a 32-bit sum (only 0-9, A-Z, a-z appear). */
export function encodeChecksum(value: number): string {
  const ascii = new Array<number>(16).fill(0);
  for (let i = 0; i < 4; i++) {
    const byte = (value >>> (24 - 8 * i)) & 0xff;
    const quotient = Math.floor(byte / 4) + 0x30;
    const remainder = byte % 4;
    const ch = [quotient + remainder, quotient, quotient, quotient];
    let adjusted = true;
    while (adjusted) {
      adjusted = false;
      for (const bad of EXCLUDED) {
        for (let j = 0; j < 4; j += 2) {
          if (ch[j] === bad || ch[j + 1] === bad) {
            ch[j]!++;
            ch[j + 1]!--;
            adjusted = true;
          }
        }
      }
    }
    for (let j = 0; j < 4; j++) ascii[4 * j + i] = ch[j]!;
  }
  // The encoding is rotated one character to the right so it starts on a word boundary.
  let text = '';
  for (let i = 0; i < 16; i++) text += String.fromCharCode(ascii[(i + 15) % 16]!);
  return text;
}

function writeCardValue(hdu: Uint8Array, headerLength: number, key: string, field: string): void {
  for (let at = 0; at < headerLength; at += 80) {
    let match = true;
    for (let i = 0; i < 8; i++) {
      if (hdu[at + i] !== (key.charCodeAt(i) || 32)) {
        match = false;
        break;
      }
    }
    if (!match) continue;
    for (let i = 0; i < field.length; i++) hdu[at + 10 + i] = field.charCodeAt(i);
    return;
  }
}
