import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fitsCommand } from '../../src-main/lab/fits/command';
import { UserError } from '../../src-main/cli/command';
import type { CliIo } from '../../src-main/cli/command';
import { writeBinTable } from '../../src-main/engine/fits';
import { datasetsDir, fixturesDir, loadExpected } from './helpers';
import { haveDataset } from '../shared-datasets';

function capture(): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    stdout,
    stderr,
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    interactive: false,
  };
}

async function runJson(args: string[]) {
  const io = capture();
  expect(await fitsCommand.run([...args, '--json'], io)).toBe(0);
  return JSON.parse(io.stdout.join('')) as {
    hdus: {
      index: number;
      type: string;
      extname: string | null;
      bitpix: number;
      shape: number[];
      compression: string | null;
    }[];
    image: {
      hdu: number;
      shape: number[];
      min: number | null;
      max: number | null;
      mean: number | null;
      sum: number;
      nan: number;
    };
  };
}

async function userError(args: string[]): Promise<string> {
  const error = await fitsCommand.run(args, capture()).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as UserError).message;
}

const fixture = (name: string) => path.join(fixturesDir, name);
const expected = loadExpected();
const dir = mkdtempSync(path.join(tmpdir(), 'ahunt-fits-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ahunt fits', () => {
  it('prints the JSON form exactly: HDU list and image statistics', async () => {
    const report = await runJson([fixture('mef.fits')]);
    expect(Object.keys(report)).toEqual(['hdus', 'image']);
    expect(report.hdus).toEqual([
      { index: 0, type: 'image', extname: null, bitpix: 8, shape: [], compression: null },
      { index: 1, type: 'image', extname: 'SCI', bitpix: -32, shape: [16, 12], compression: null },
      { index: 2, type: 'image', extname: 'ERR', bitpix: 16, shape: [16, 12], compression: null },
      { index: 3, type: 'bintable', extname: 'CAT', bitpix: 8, shape: [4, 3], compression: null },
    ]);
    const want = expected['mef.fits']!.stats;
    expect(Object.keys(report.image)).toEqual(['hdu', 'shape', 'min', 'max', 'mean', 'sum', 'nan']);
    expect(report.image.hdu).toBe(1);
    expect(report.image.shape).toEqual([16, 12]);
    expect(report.image.min).toBe(want.min);
    expect(report.image.max).toBe(want.max);
    expect(report.image.mean).toBeCloseTo(want.mean!, 12);
    expect(report.image.nan).toBe(0);
  });

  it('chooses an HDU by EXTNAME or index, and a plane', async () => {
    expect((await runJson([fixture('mef.fits'), '--hdu', 'err'])).image.hdu).toBe(2);
    expect((await runJson([fixture('mef.fits'), '--hdu', '2'])).image.max).toBe(
      expected['mef.fits#ERR']!.stats.max,
    );
    const plane2 = await runJson([fixture('cube.fits'), '--plane', '2']);
    expect(plane2.image.nan).toBe(expected['cube.fits#plane2']!.stats.nan);
    expect(plane2.hdus[0]!.shape).toEqual([6, 5, 4]);
  });

  it('reports a compressed image by its ZBITPIX, ZNAXISn and algorithm', async () => {
    const report = await runJson([fixture('rice_float_dither1.fits.fz')]);
    expect(report.hdus[1]).toEqual({
      index: 1,
      type: 'image',
      extname: 'SCI',
      bitpix: -32,
      shape: [40, 30],
      compression: 'RICE_1',
    });
    expect(report.image.nan).toBe(expected['rice_float_dither1.fits.fz']!.stats.nan);
    expect(report.image.sum).toBeCloseTo(expected['rice_float_dither1.fits.fz']!.stats.sum, 6);
  });

  it('prints a readable table in text form', async () => {
    const io = capture();
    await fitsCommand.run([fixture('mef.fits')], io);
    const text = io.stdout.join('\n');
    expect(text).toContain('No.  Type      Name     BitPix  Dimensions');
    expect(text).toMatch(/\n {2}1 {2}image {5}SCI {6}-32 {5}\[16, 12\]/);
    expect(text).toMatch(/\n {2}3 {2}bintable {2}CAT {6}8 {7}\[4, 3\]/);
    expect(text).toContain('Image: HDU 1, plane 0, 16 × 12 pixels');
    expect(text).toMatch(/NaN {3}0/);
  });

  it.skipIf(!haveDataset('fits/HorseHead.fits'))(
    'matches the brief on HorseHead.fits',
    async () => {
      const report = await runJson([path.join(datasetsDir, 'HorseHead.fits')]);
      expect(report.hdus[0]).toEqual({
        index: 0,
        type: 'image',
        extname: null,
        bitpix: 16,
        shape: [891, 893],
        compression: null,
      });
      expect(report.hdus[1]!.type).toBe('table');
      expect(report.image).toMatchObject({
        hdu: 0,
        shape: [891, 893],
        min: 3759,
        max: 22918,
        nan: 0,
      });
    },
  );

  it('exits 1 (UserError) for a file without an image', async () => {
    const tablesOnly = path.join(dir, 'catalogue.fits');
    writeFileSync(
      tablesOnly,
      writeBinTable({ extname: 'CAT', columns: [{ name: 'X', format: 'D', values: [1, 2] }] }),
    );
    expect(await userError([tablesOnly])).toBe(
      `${tablesOnly}: no image HDU (0: image (empty), 1: bintable CAT)`,
    );
  });

  it('exits 1 (UserError) for malformed files, missing files and bad options', async () => {
    const broken = path.join(dir, 'broken.fits');
    writeFileSync(broken, 'SIMPLE  =                    T'.padEnd(2880, ' '));
    expect(await userError([broken])).toMatch(
      /broken\.fits: the header starting at byte 0 has no END card/,
    );
    expect(await userError([path.join(dir, 'nope.fits')])).toMatch(
      /nope\.fits: cannot be read \(ENOENT/,
    );
    expect(await userError([fixture('mef.fits'), '--hdu', 'CAT'])).toMatch(
      /HDU 3 is a bintable, not an image/,
    );
    expect(await userError([fixture('mef.fits'), '--hdu', '7'])).toMatch(/has no HDU 7/);
    expect(await userError([fixture('cube.fits'), '--plane=-1'])).toMatch(
      /--plane must be a whole number/,
    );
    expect(await userError([fixture('cube.fits'), '--plane', '-1'])).toMatch(
      /--plane.*Usage: ahunt fits/,
    );
    expect(await userError([fixture('cube.fits'), '--bogus'])).toMatch(/Unknown option '--bogus'/);
    expect(await userError([fixture('cube.fits'), '--plane', '9'])).toMatch(
      /plane 9 does not exist/,
    );
    expect(await userError([])).toMatch(/expected 1 argument/);
  });
});
