import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FitsError, parseFits, writeBinTable, writeImage } from '../../src-main/engine/fits';
import type { BinTableSpec } from '../../src-main/engine/fits';

const PYTHON = '/usr/bin/python3';
const hasFitsverify = spawnSync('fitsverify', ['-h']).error === undefined;
const hasAstropy = spawnSync(PYTHON, ['-c', 'import astropy']).status === 0;
if (!hasFitsverify) console.warn('skipping fitsverify checks: fitsverify is not installed');
if (!hasAstropy) console.warn('skipping astropy read-back checks: /usr/bin/python3 lacks astropy');

const dir = mkdtempSync(path.join(tmpdir(), 'ahunt-fits-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LONG_TEXT =
  'A description long enough to need the CONTINUE convention, because it is well over sixty-eight characters.';

const spec: BinTableSpec = {
  extname: 'CANDIDATES',
  columns: [
    { name: 'ID', format: 'K', values: [1n, 2n, 9007199254740993n, -4n], ucd: 'meta.id;meta.main' },
    {
      name: 'RA',
      format: 'D',
      unit: 'deg',
      ucd: 'pos.eq.ra',
      values: [150.1, 0, 359.9999999999, 12.5],
    },
    { name: 'DEC', format: 'D', unit: 'deg', ucd: 'pos.eq.dec', values: [2.2, -89.5, 45, null] },
    {
      name: 'SCORE',
      format: 'E',
      description: 'anomaly score',
      values: [0.5, NaN, -1e-30, 3.4e38],
    },
    { name: 'LABEL', format: 'A', width: 12, values: ['merger', "it's", '', null] },
    { name: 'ROUND', format: 'J', nullValue: -1, values: [1, 2147483647, null, -2147483648] },
    { name: 'CLASS', format: 'I', nullValue: -999, values: [3, -32768, 32767, null] },
    { name: 'FLAGS', format: 'B', nullValue: 255, values: [0, 254, null, 7] },
    { name: 'INTERESTING', format: 'L', values: [true, false, null, true] },
  ],
  keywords: [
    { key: 'ORIGIN', value: 'AHUNT Workstation', comment: 'software' },
    { key: 'NROUNDS', value: 12, comment: 'labelling rounds' },
    { key: 'THRESH', value: 0.125, comment: 'a float' },
    { key: 'TINY', value: 1.5e-300 },
    { key: 'EXPORTED', value: true },
    { key: 'SUMMARY', value: LONG_TEXT, comment: 'long string' },
    { key: 'COMMENT', value: 'written by the FITS codec test' },
  ],
  primaryKeywords: [{ key: 'CREATOR', value: 'ahunt' }],
  checksum: true,
};

function fitsverify(file: string): string {
  const result = spawnSync('fitsverify', [file], { encoding: 'utf8' });
  return result.stdout + result.stderr;
}

describe('writeBinTable', () => {
  const bytes = writeBinTable(spec);
  const file = path.join(dir, 'table.fits');
  writeFileSync(file, bytes);

  it('writes whole 2880-byte blocks that our reader parses back', () => {
    expect(bytes.length % 2880).toBe(0);
    const fits = parseFits(bytes, file);
    expect(fits.hdus.map((h) => h.type)).toEqual(['image', 'bintable']);
    const header = fits.hdus[1]!.header;
    expect(header.get('EXTNAME')).toBe('CANDIDATES');
    expect(header.get('NAXIS2')).toBe(4);
    expect(header.get('NAXIS1')).toBe(8 + 8 + 8 + 4 + 12 + 4 + 2 + 1 + 1);
    expect(header.get('TFORM5')).toBe('12A');
    expect(header.get('TNULL6')).toBe(-1);
    expect(header.get('SUMMARY')).toBe(LONG_TEXT);
    expect(header.get('TINY')).toBe(1.5e-300);
    expect(fits.firstImageHdu()).toBeNull();
  });

  it.skipIf(!hasFitsverify)('passes fitsverify with no errors and no warnings', () => {
    const report = fitsverify(file);
    expect(report).toContain('0 warning(s) and 0 error(s)');
  });

  it.skipIf(!hasAstropy)('reads back in astropy with identical values and valid checksums', () => {
    const script = `
import json, sys, warnings, math
warnings.simplefilter('error')
from astropy.table import Table
from astropy.io import fits
with fits.open(sys.argv[1], checksum=True) as hdul:
    hdul.verify('exception')
    head = hdul[1].header
    meta = {k: head[k] for k in ['ORIGIN', 'NROUNDS', 'THRESH', 'TINY', 'EXPORTED', 'SUMMARY', 'TUCD1', 'TUNIT2']}
    meta['comment'] = head.comments['THRESH']
t = Table.read(sys.argv[1], hdu='CANDIDATES')
def cell(v):
    if v is None or v is __import__('numpy').ma.masked: return None
    if hasattr(v, 'item'): v = v.item()
    if isinstance(v, float) and math.isnan(v): return 'NaN'
    if isinstance(v, float) and math.isinf(v): return 'inf'
    if isinstance(v, bytes): v = v.decode()
    return v
cols = {name: [cell(v) for v in t[name].tolist()] if not hasattr(t[name], 'mask') else
        [None if m else cell(v) for v, m in zip(t[name].data.data.tolist(), t[name].mask.tolist())]
        for name in t.colnames}
cols['ID'] = [str(v) for v in t['ID'].tolist()]
print(json.dumps({'meta': meta, 'cols': cols, 'dtypes': {n: t[n].dtype.name for n in t.colnames}}))
`;
    const out = JSON.parse(execFileSync(PYTHON, ['-c', script, file], { encoding: 'utf8' })) as {
      meta: Record<string, unknown>;
      cols: Record<string, unknown[]>;
      dtypes: Record<string, string>;
    };
    expect(out.meta).toEqual({
      ORIGIN: 'AHUNT Workstation',
      NROUNDS: 12,
      THRESH: 0.125,
      TINY: 1.5e-300,
      EXPORTED: true,
      SUMMARY: LONG_TEXT,
      TUCD1: 'meta.id;meta.main',
      TUNIT2: 'deg',
      comment: 'a float',
    });
    expect(out.cols['ID']).toEqual(['1', '2', '9007199254740993', '-4']);
    expect(out.cols['RA']).toEqual([150.1, 0, 359.9999999999, 12.5]);
    // Table.read masks NaN floats, so a null written as NaN comes back masked (null).
    expect(out.cols['DEC']).toEqual([2.2, -89.5, 45, null]);
    expect(out.cols['SCORE']).toEqual([0.5, null, Math.fround(-1e-30), Math.fround(3.4e38)]);
    expect(out.cols['LABEL']).toEqual(['merger', "it's", null, null]); // astropy masks empty strings
    expect(out.cols['ROUND']).toEqual([1, 2147483647, null, -2147483648]);
    expect(out.cols['CLASS']).toEqual([3, -32768, 32767, null]);
    expect(out.cols['FLAGS']).toEqual([0, 254, null, 7]);
    expect(out.cols['INTERESTING']).toEqual([true, false, false, true]);
    expect(out.dtypes).toMatchObject({
      ID: 'int64',
      RA: 'float64',
      SCORE: 'float32',
      ROUND: 'int32',
      CLASS: 'int16',
      FLAGS: 'uint8',
      INTERESTING: 'bool',
    });
  });

  it('writes an empty table (zero rows) that fitsverify accepts', () => {
    const empty = path.join(dir, 'empty.fits');
    writeFileSync(empty, writeBinTable({ columns: [{ name: 'X', format: 'D', values: [] }] }));
    expect(
      parseFits(writeBinTable({ columns: [{ name: 'X', format: 'D', values: [] }] }), empty)
        .hdus[1]!.shape,
    ).toEqual([8, 0]);
    if (hasFitsverify) expect(fitsverify(empty)).toContain('0 warning(s) and 0 error(s)');
  });

  it('refuses values a column cannot hold, with a FitsError naming the column and row', () => {
    const bad = (column: BinTableSpec['columns'][number]) => () =>
      writeBinTable({ columns: [column], target: 'out.fits' });
    expect(bad({ name: 'N', format: 'I', values: [40000] })).toThrow(
      /out\.fits: column N, row 1: 40000 is outside/,
    );
    expect(bad({ name: 'N', format: 'J', values: [null] })).toThrow(/no nullValue/);
    expect(bad({ name: 'N', format: 'J', values: [1.5] })).toThrow(FitsError);
    expect(bad({ name: 'N', format: 'B', nullValue: 300, values: [1] })).toThrow(/nullValue 300/);
    expect(bad({ name: 'N', format: 'J', nullValue: 0.5, values: [1] })).toThrow(/nullValue 0\.5/);
    expect(bad({ name: 'S', format: 'A', width: 2, values: ['abc'] })).toThrow(
      /3-character string/,
    );
    expect(() =>
      writeBinTable({
        columns: [
          { name: 'A', format: 'D', values: [1] },
          { name: 'B', format: 'D', values: [] },
        ],
      }),
    ).toThrow(/has 0 values/);
    expect(() => writeBinTable({ columns: [], keywords: [{ key: 'BAD KEY', value: 1 }] })).toThrow(
      /not a valid FITS keyword/,
    );
    expect(() => writeBinTable({ columns: [], keywords: [{ key: 'NANKEY', value: NaN }] })).toThrow(
      /NaN/,
    );
  });
});

describe('writeImage', () => {
  it('writes a float32 image that round-trips, passes fitsverify and astropy', () => {
    const data = new Float32Array(7 * 5).map((_, i) => (i === 3 ? NaN : i * 1.5 - 10));
    const bytes = writeImage(data, 7, 5, [{ key: 'OBJECT', value: 'test', comment: 'name' }], {
      checksum: true,
    });
    const file = path.join(dir, 'image.fits');
    writeFileSync(file, bytes);
    const img = parseFits(bytes, file).readImage();
    expect([img.width, img.height]).toEqual([7, 5]);
    expect(Array.from(img.data)).toEqual(Array.from(data));
    expect(img.header.get('OBJECT')).toBe('test');
    if (hasFitsverify) expect(fitsverify(file)).toContain('0 warning(s) and 0 error(s)');
    if (hasAstropy) {
      const out = execFileSync(
        PYTHON,
        [
          '-c',
          `
import sys, numpy as np
from astropy.io import fits
with fits.open(sys.argv[1], checksum=True) as h:
    d = h[0].data
    print(d.dtype, d.shape, np.nansum(d), int(np.isnan(d).sum()))
`,
          file,
        ],
        { encoding: 'utf8' },
      );
      const [dtype, shape, sum, nans] = out.trim().split(/ (?![^(]*\))/);
      expect([dtype, shape, Number(sum), Number(nans)]).toEqual([
        '>f4',
        '(5, 7)',
        data.reduce((s, v) => (Number.isNaN(v) ? s : s + v), 0),
        1,
      ]);
    }
  });

  it('writes float64 images as BITPIX -64', () => {
    const data = new Float64Array([Math.PI, -Math.E, 1e300, 0]);
    const img = parseFits(writeImage(data, 2, 2), 'x.fits').readImage();
    expect(img.header.get('BITPIX')).toBe(-64);
    expect(Array.from(img.data)).toEqual(Array.from(data));
  });

  it('writes a cube of planes (NAXIS3) that round-trips plane by plane and passes fitsverify', () => {
    const data = new Float32Array(3 * 2 * 4).map((_, i) => i);
    const bytes = writeImage(data, 3, 2, [], { depth: 4 });
    const file = path.join(dir, 'cube.fits');
    writeFileSync(file, bytes);
    const fits = parseFits(bytes, file);
    expect(fits.readImage().depth).toBe(4);
    expect(Array.from(fits.readImage({ plane: 2 }).data)).toEqual([12, 13, 14, 15, 16, 17]);
    if (hasFitsverify) expect(fitsverify(file)).toContain('0 warning(s) and 0 error(s)');
    expect(() => writeImage(data, 3, 2, [], { depth: 3 })).toThrow(/3 × 2 × 3 does not match 24/);
  });
});
