import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FitsError, imageStats, parseFits } from '../../src-main/engine/fits';
import { fixtureBytes, fixturesDir } from './helpers';
import { seededRandom } from './mutate';

// FITS_FUZZ_SEED replays or explores other sequences; CI uses the fixed default.
const SEED = Number(process.env.FITS_FUZZ_SEED ?? 20261123);
const CASES = 6000;
const TIME_BUDGET_MS = 15_000;

const fixtures = readdirSync(fixturesDir)
  .filter((n) => /\.fits(\.fz|\.gz)?$/.test(n))
  .sort()
  .map((name) => ({ name, bytes: fixtureBytes(name) }));

// Values that hit the edges of the codec's checks when put into a header card.
const NASTY_VALUES = [
  '0',
  '-1',
  '1',
  '2',
  '3',
  '7',
  '8',
  '16',
  '-32',
  '64',
  '999',
  '1000',
  '65536',
  '999999999',
  '2147483648',
  '-2147483649',
  '99999999999999999999',
  '1E300',
  '-0.5',
  'T',
  'F',
  '',
  "'RICE_1'",
  "'GZIP_1'",
  "'GZIP_2'",
  "'HCOMPRESS_1'",
  "'NOCOMPRESS'",
  "'SUBTRACTIVE_DITHER_2'",
  "'NO_DITHER'",
  "'1PB(5)'",
  "'1QB'",
  "'2D'",
  "'X'",
  "'IMAGE'",
  "'BINTABLE'",
  "'unterminated",
];

function mutate(source: Uint8Array, random: () => number): Uint8Array {
  let bytes: Uint8Array = new Uint8Array(source);
  const pick = (n: number) => Math.floor(random() * n);
  const steps = 1 + pick(3);
  for (let s = 0; s < steps; s++) {
    const kind = pick(6);
    if (kind === 0 || kind === 1) {
      // Rewrite the value of a random header card (headers live in the first blocks).
      const cards = Math.min(bytes.length, 2880 * 3) / 80;
      const at = pick(Math.floor(cards)) * 80;
      const value = NASTY_VALUES[pick(NASTY_VALUES.length)]!;
      const field = `= ${value.padStart(20)}`.padEnd(72);
      for (let i = 0; i < 72 && at + 8 + i < bytes.length; i++)
        bytes[at + 8 + i] = field.charCodeAt(i);
    } else if (kind === 2) {
      for (let i = 0, n = 1 + pick(16); i < n && bytes.length > 0; i++)
        bytes[pick(bytes.length)] = pick(256);
    } else if (kind === 3) {
      bytes = bytes.slice(0, pick(bytes.length + 1));
    } else if (kind === 4 && bytes.length > 160) {
      // Drop or duplicate one card: shifts everything after it.
      const at = pick(Math.floor(bytes.length / 80)) * 80;
      bytes =
        random() < 0.5
          ? concat(bytes.subarray(0, at), bytes.subarray(at + 80))
          : concat(bytes.subarray(0, at + 80), bytes.subarray(at));
    } else if (bytes.length > 0) {
      const at = pick(bytes.length);
      for (let i = at; i < Math.min(bytes.length, at + 1 + pick(600)); i++) bytes[i] = pick(256);
    }
  }
  return bytes;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** Exercises everything a caller would do with a file. */
function readEverything(bytes: Uint8Array): void {
  const fits = parseFits(bytes, 'fuzz.fits');
  for (const hdu of fits.hdus) {
    if (hdu.type === 'bintable') fits.readTable({ hdu: hdu.index });
    if (hdu.type !== 'image' || hdu.shape.length === 0 || hdu.shape.some((n) => n === 0)) continue;
    const img = fits.readImage({ hdu: hdu.index });
    imageStats(img);
    img.wcs?.worldToPixel(...img.wcs.pixelToWorld(1, 2));
  }
}

describe('fuzzing the reader with mutated fixtures', () => {
  it(`every mutated file decodes or throws FitsError (seed ${SEED}, up to ${CASES} cases)`, () => {
    const random = seededRandom(SEED);
    const started = Date.now();
    const unexpected: string[] = [];
    const outcomes = { decoded: 0, fitsError: 0 };
    let cases = 0;
    for (; cases < CASES && Date.now() - started < TIME_BUDGET_MS; cases++) {
      const fixture = fixtures[Math.floor(random() * fixtures.length)]!;
      const bytes = mutate(fixture.bytes, random);
      try {
        readEverything(bytes);
        outcomes.decoded++;
      } catch (error) {
        if (error instanceof FitsError) outcomes.fitsError++;
        else unexpected.push(`case ${cases} (${fixture.name}): ${String(error)}`);
      }
    }
    console.info(`fits fuzz: ${cases} cases in ${Date.now() - started} ms`, outcomes);
    expect(unexpected.slice(0, 10)).toEqual([]);
    expect(cases).toBeGreaterThanOrEqual(2000);
    // Both outcomes must occur, or the mutations are not exercising anything.
    expect(outcomes.decoded).toBeGreaterThan(100);
    expect(outcomes.fitsError).toBeGreaterThan(100);
  });
});
