/** Byte-level helpers to forge broken FITS files from good fixtures. */

/** Replaces the value field of the first card with keyword `key` (after HDU header offset `from`). */
export function setCard(bytes: Uint8Array, key: string, valueField: string, from = 0): Uint8Array {
  const out = new Uint8Array(bytes);
  const at = findCard(out, key, from);
  if (at < 0) throw new Error(`fixture has no ${key} card`);
  const card = `${key.padEnd(8)}= ${valueField.padStart(20)}`.padEnd(80);
  for (let i = 0; i < 80; i++) out[at + i] = card.charCodeAt(i);
  return out;
}

export function findCard(bytes: Uint8Array, key: string, from = 0): number {
  const padded = key.padEnd(8);
  for (let at = from; at + 80 <= bytes.length; at += 80) {
    let match = true;
    for (let i = 0; i < 8; i++) {
      if (bytes[at + i] !== padded.charCodeAt(i)) {
        match = false;
        break;
      }
    }
    if (match) return at;
  }
  return -1;
}

/** mulberry32: a tiny seeded PRNG so every fuzz case can be replayed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
