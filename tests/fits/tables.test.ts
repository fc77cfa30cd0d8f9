import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FitsError, parseFits, readFitsFile, writeBinTable } from '../../src-main/engine/fits';
import { close, datasetsDir, fixtureBytes, fixturesDir } from './helpers';

describe('readTable', () => {
  it('reads back every column type writeBinTable writes, nulls included', () => {
    const bytes = writeBinTable({
      extname: 'CAT',
      columns: [
        { name: 'objid', format: 'K', nullValue: -1n, values: [1237645879551066262n, null, -5n] },
        { name: 'ra', format: 'D', unit: 'deg', values: [150.25, null, 0] },
        { name: 'score', format: 'E', values: [0.5, -2, null] },
        { name: 'round', format: 'J', nullValue: -1, values: [3, null, 2147483647] },
        { name: 'cls', format: 'I', nullValue: -99, values: [-32768, 5, null] },
        { name: 'flag', format: 'B', nullValue: 255, values: [0, null, 254] },
        { name: 'label', format: 'A', width: 8, values: ['merger', '', "it's"] },
        { name: 'ok', format: 'L', values: [true, false, null] },
      ],
    });
    const table = parseFits(bytes, 'cat.fits').readTable();
    expect(table.hdu).toBe(1);
    expect(table.extname).toBe('CAT');
    expect(table.rows).toBe(3);
    expect(table.columns.map((c) => [c.name, c.kind])).toEqual([
      ['objid', 'bigint'],
      ['ra', 'number'],
      ['score', 'number'],
      ['round', 'number'],
      ['cls', 'number'],
      ['flag', 'number'],
      ['label', 'string'],
      ['ok', 'boolean'],
    ]);
    const data = (name: string) => Array.from(table.column(name)!.data as ArrayLike<unknown>);
    expect(data('OBJID')).toEqual([1237645879551066262n, null, -5n]);
    expect(data('ra')).toEqual([150.25, NaN, 0]);
    expect(data('score')).toEqual([0.5, -2, NaN]);
    expect(data('round')).toEqual([3, NaN, 2147483647]);
    expect(data('cls')).toEqual([-32768, 5, NaN]);
    expect(data('flag')).toEqual([0, NaN, 254]);
    expect(data('label')).toEqual(['merger', '', "it's"]);
    expect(data('ok')).toEqual([true, false, null]);
    expect(table.column('ra')!.unit).toBe('deg');
  });

  it('reads a table astropy wrote, chosen by EXTNAME', () => {
    const table = parseFits(fixtureBytes('mef.fits'), 'mef.fits').readTable({ hdu: 'cat' });
    expect(Array.from(table.column('ID')!.data as Float64Array)).toEqual([0, 1, 2]);
  });

  it('refuses images and missing tables with a FitsError', () => {
    const image = parseFits(fixtureBytes('bitpix16.fits'), 'img.fits');
    expect(() => image.readTable()).toThrow(/img\.fits: has no binary table HDU/);
    const mef = parseFits(fixtureBytes('mef.fits'), 'mef.fits');
    expect(() => mef.readTable({ hdu: 'SCI' })).toThrow(FitsError);
    const fz = parseFits(fixtureBytes('rice_int16.fits.fz'), 'c.fits.fz');
    expect(() => fz.readTable({ hdu: 1 })).toThrow(/a tile-compressed image, not a binary table/);
  });

  const kepler = path.join(datasetsDir, 'kplr010666592-2009131110544_slc.fits');
  it.skipIf(!existsSync(kepler))('reads the Kepler light curve like astropy', async () => {
    const want = (
      JSON.parse(readFileSync(path.join(fixturesDir, 'datasets-expected.json'), 'utf8')) as Record<
        string,
        {
          tables: Record<
            string,
            {
              rows: number;
              names: string[];
              columns: Record<string, { first: (number | null)[]; nan: number; sum: number }>;
            }
          >;
        }
      >
    )['kplr010666592-2009131110544_slc.fits']!.tables['1']!;
    const table = (await readFitsFile(kepler)).readTable({ hdu: 'LIGHTCURVE' });
    expect(table.rows).toBe(want.rows);
    expect(table.columns.map((c) => c.name)).toEqual(want.names);
    for (const [name, col] of Object.entries(want.columns)) {
      const got = table.column(name)!;
      expect(got.kind).toBe('number');
      const values = got.data as Float64Array;
      col.first.forEach((v, i) => expect(close(values[i]!, v, 0)).toBe(true));
      let nan = 0;
      let sum = 0;
      for (const v of values) {
        if (Number.isNaN(v)) nan++;
        else sum += v;
      }
      expect(nan).toBe(col.nan);
      expect(close(sum, col.sum, 1e-9)).toBe(true);
    }
  });
});
