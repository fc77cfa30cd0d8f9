import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { groupUnits, splitBandToken } from '../../src-main/engine/ingest/bands';
import { IngestError } from '../../src-main/engine/ingest/errors';
import { fileKind, scanPaths } from '../../src-main/engine/ingest/scan';
import { unitName } from '../../src-main/engine/ingest/uid';
import { tempDir } from './helpers';

const tmp = tempDir();
afterAll(tmp.cleanup);

function touch(rel: string, bytes = 'x'): string {
  const path = join(tmp.dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  return path;
}

describe('scanning', () => {
  it('recognises FITS and image extensions, and .gz only around FITS names', () => {
    expect(['a.fits', 'a.FIT', 'a.fts', 'a.fits.fz', 'a.fits.gz', 'a.gz'].map(fileKind)).toEqual(
      Array(6).fill('fits'),
    );
    expect(['a.jpg', 'a.JPEG', 'a.png'].map(fileKind)).toEqual(['image', 'image', 'image']);
    expect(['a.csv', 'a.csv.gz', 'a.tar.gz', 'README'].map(fileKind)).toEqual([
      null,
      null,
      null,
      null,
    ]);
  });

  it('walks folders recursively in sorted order, skipping hidden and other files', async () => {
    touch('survey/b.fits');
    touch('survey/a.png');
    touch('survey/deep/c.fits.gz', 'yy');
    touch('survey/.hidden/d.fits');
    touch('survey/.e.fits');
    touch('survey/notes.txt');
    const files = await scanPaths([join(tmp.dir, 'survey')]);
    expect(files.map((f) => f.rel)).toEqual(['a.png', 'b.fits', 'deep/c.fits.gz']);
    expect(files.map((f) => f.kind)).toEqual(['image', 'fits', 'fits']);
  });

  it('refuses a missing path or an unsupported file with a typed error naming it', async () => {
    const missing = join(tmp.dir, 'nope');
    await expect(scanPaths([missing])).rejects.toMatchObject({ code: 'not-found', file: missing });
    await expect(scanPaths([touch('x.csv')])).rejects.toBeInstanceOf(IngestError);
    await expect(scanPaths([])).rejects.toMatchObject({ code: 'bad-option' });
  });
});

describe('band grouping', () => {
  const file = (rel: string) => ({
    path: `/s/${rel}`,
    real: `/s/${rel}`,
    rel,
    kind: 'fits' as const,
  });

  it('splits band tokens off stems', () => {
    expect(splitBandToken('gc_2mass_j.fits')).toEqual({ prefix: 'gc_2mass', token: 'j' });
    expect(splitBandToken('m51-R.fits.gz')).toEqual({ prefix: 'm51', token: 'r' });
    expect(splitBandToken('galaxy.fits')).toBeNull();
  });

  it('auto-groups known filter names in wavelength order, only with siblings', () => {
    const units = groupUnits(
      ['gc_k.fits', 'gc_j.fits', 'gc_h.fits', 'lone_r.fits', 'm13.fits'].map(file),
    );
    expect(units.map((u) => u.files.map((f) => f.band))).toEqual([['j', 'h', 'k'], [null], [null]]);
    expect(unitName(units[0]!)).toBe('gc_{j,h,k}.fits');
    expect(units.every((u) => !u.problem)).toBe(true);
  });

  it('uses --bands order, flags incomplete sets, and can be turned off', () => {
    const files = ['x_g.fits', 'x_r.fits', 'x_i.fits', 'y_g.fits', 'y_i.fits'].map(file);
    const units = groupUnits(files, ['i', 'r', 'g']);
    expect(units[0]!.files.map((f) => f.band)).toEqual(['i', 'r', 'g']);
    expect(units[1]!.problem).toMatch(/has i, g but not r/);
    expect(groupUnits(files, 'none')).toHaveLength(5);
  });

  it('flags a band given twice', () => {
    const units = groupUnits(['x_g.fits', 'x_g.fits.gz', 'x_r.fits'].map(file));
    expect(units[0]!.problem).toMatch(/band g appears in more than one file/);
  });
});
