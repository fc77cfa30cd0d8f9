import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FitsError, parseFits, writeBinTable } from '../../src-main/engine/fits';
import type { FitsErrorCode } from '../../src-main/engine/fits';
import { fixtureBytes } from './helpers';
import { findCard, setCard } from './mutate';

/** Parses and reads the default image; returns the FitsError (failing the test on anything else). */
function failure(
  bytes: Uint8Array,
  opts: { hdu?: number | string; plane?: number } = {},
): FitsError {
  try {
    parseFits(bytes, 'bad.fits').readImage(opts);
  } catch (error) {
    if (error instanceof FitsError) return error;
    throw error;
  }
  throw new Error('expected a FitsError, but the file decoded');
}

function expectFailure(bytes: Uint8Array, code: FitsErrorCode, message: RegExp, opts = {}) {
  const error = failure(bytes, opts);
  expect(error.code).toBe(code);
  expect(error.file).toBe('bad.fits');
  expect(error.message).toMatch(/^bad\.fits: /);
  expect(error.message).toMatch(message);
}

const good = fixtureBytes('bitpix16.fits');
const compressed = fixtureBytes('rice_int16.fits.fz');

describe('malformed FITS gives a FitsError naming the file and the problem', () => {
  it('truncated data', () => {
    expectFailure(
      good.subarray(0, 2880 + 50),
      'truncated',
      /announces 126 bytes of data but only 50 remain/,
    );
  });

  it('accepts a file missing only its final padding', () => {
    const img = parseFits(good.subarray(0, 2880 + 126), 'ok.fits').readImage();
    expect(img.width * img.height).toBe(63);
  });

  it('a header without END', () => {
    const noEnd = good.slice(0, 2880);
    const end = findCard(noEnd, 'END');
    noEnd.fill(32, end, end + 3);
    expectFailure(noEnd, 'no-end', /no END card/);
  });

  it('NAXISn lying about the size', () => {
    expectFailure(setCard(good, 'NAXIS1', '900'), 'truncated', /announces 12600 bytes/);
  });

  it('BITPIX 7', () => {
    expectFailure(setCard(good, 'BITPIX', '7'), 'bad-bitpix', /BITPIX = 7/);
  });

  it('a 10^9-pixel claim is refused without allocating it', () => {
    const before = process.memoryUsage().rss;
    expectFailure(
      setCard(setCard(good, 'NAXIS1', '100000'), 'NAXIS2', '10000'),
      'truncated',
      /2000000000 bytes/,
    );
    expect(process.memoryUsage().rss - before).toBeLessThan(100e6);
  });

  it('a compressed image claiming 10^9 pixels is refused before decoding', () => {
    const huge = setCard(setCard(compressed, 'ZNAXIS1', '40000', 2880), 'ZNAXIS2', '25000', 2880);
    const before = process.memoryUsage().rss;
    const error = failure(huge);
    expect(['too-large', 'bad-table', 'bad-compressed-data']).toContain(error.code);
    expect(process.memoryUsage().rss - before).toBeLessThan(100e6);
    const wide = setCard(
      setCard(compressed, 'ZNAXIS1', '2000000', 2880),
      'ZTILE1',
      '2000000',
      2880,
    );
    expectFailure(
      wide,
      'bad-compressed-data',
      /claims 32000000 pixels but its RICE_1 data can hold at most/,
    );
  });

  it('negative NAXIS and NAXISn', () => {
    expectFailure(setCard(good, 'NAXIS1', '-9'), 'bad-naxis', /NAXIS1 = -9/);
    expectFailure(setCard(good, 'NAXIS', '-1'), 'bad-naxis', /NAXIS = -1/);
  });

  it('a non-integer required keyword', () => {
    expectFailure(
      setCard(good, 'NAXIS2', "'seven'"),
      'bad-header',
      /NAXIS2 = seven; it must be an integer/,
    );
  });

  it('garbage bytes and an empty file', () => {
    const garbage = new Uint8Array(5000).map((_, i) => (i * 7919) % 251);
    expectFailure(garbage, 'not-fits', /not a FITS file/);
    expectFailure(new Uint8Array(0), 'not-fits', /not a FITS file/);
  });

  it('a corrupt gzip stream', () => {
    const gz = gzipSync(good);
    const broken = gz.slice(0, gz.length - 20);
    expectFailure(broken, 'bad-gzip', /gzip stream is corrupt/);
  });

  it('PLIO_1 and HCOMPRESS_1 are refused by name', () => {
    expectFailure(
      setCard(compressed, 'ZCMPTYPE', "'HCOMPRESS_1'", 2880),
      'unsupported',
      /HCOMPRESS_1.*funpack/,
    );
    expectFailure(setCard(compressed, 'ZCMPTYPE', "'PLIO_1  '", 2880), 'unsupported', /PLIO_1/);
  });

  it('a truncated compressed tile', () => {
    // Shrink the heap: the descriptors now point past its end.
    const pcountAt = findCard(compressed, 'PCOUNT', 2880);
    expect(pcountAt).toBeGreaterThan(0);
    const cut = setCard(compressed, 'PCOUNT', '100', 2880);
    const error = failure(cut);
    expect(['bad-table', 'bad-compressed-data']).toContain(error.code);
    expect(error.message).toMatch(/HDU 1/);
  });

  it('a corrupt gzip tile', () => {
    const gz = fixtureBytes('gzip1_int16.fits.fz').slice();
    // Scribble over the deflate data of the first tile (just after its 10-byte gzip header).
    let first = -1;
    for (let i = 5760; i < gz.length - 2 && first < 0; i++) {
      if (gz[i] === 0x1f && gz[i + 1] === 0x8b && gz[i + 2] === 8) first = i;
    }
    expect(first).toBeGreaterThan(0);
    gz.fill(0xab, first + 10, first + 60);
    expectFailure(gz, 'bad-compressed-data', /GZIP_1/);
  });

  it('asking for an HDU, plane or table that is not there', () => {
    const mef = fixtureBytes('mef.fits');
    expectFailure(
      mef,
      'hdu-not-found',
      /no HDU "nope"; it has HDUs 0, 1 \(SCI\), 2 \(ERR\), 3 \(CAT\)/,
      { hdu: 'nope' },
    );
    expectFailure(mef, 'hdu-not-found', /no HDU 9/, { hdu: 9 });
    expectFailure(mef, 'not-image', /HDU 3 is a bintable/, { hdu: 'CAT' });
    expectFailure(mef, 'no-image', /HDU 0 is an image HDU without pixels/, { hdu: 0 });
    expectFailure(fixtureBytes('cube.fits'), 'bad-plane', /4 plane\(s\); plane 4 does not exist/, {
      plane: 4,
    });
  });

  it('a file with tables only', () => {
    const mef = fixtureBytes('mef.fits');
    // Keep the primary and the table (HDUs 0 and 3).
    const fits = parseFits(mef, 'mef.fits');
    expect(fits.firstImageHdu()).toBe(1);
    const tableStart = mef.length - 5760;
    const tablesOnly = new Uint8Array(2880 + 5760);
    tablesOnly.set(mef.subarray(0, 2880), 0);
    tablesOnly.set(mef.subarray(tableStart), 2880);
    expectFailure(tablesOnly, 'no-image', /no image HDU \(0: image \(empty\), 1: bintable CAT\)/);
  });
});

describe('forged table sizes', () => {
  it('a table claiming 10^9 zero-byte rows allocates nothing of that size', () => {
    const bytes = writeBinTable({ columns: [{ name: 'X', format: 'D', values: [] }] });
    let forged = setCard(bytes, 'NAXIS1', '0', 2880);
    forged = setCard(forged, 'NAXIS2', '1000000000', 2880);
    forged = setCard(forged, 'TFORM1', "'0A      '", 2880);
    const before = process.memoryUsage().rss;
    const read = parseFits(forged, 'forged.fits').readTable();
    expect(read.rows).toBe(1e9);
    expect(read.columns[0]!.kind).toBe('unsupported');
    expect(process.memoryUsage().rss - before).toBeLessThan(100e6);
  });
});
