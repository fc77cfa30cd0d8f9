import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCatalogue, exportCatalogue, type ExportTable } from '../../src-main/engine/export';
import { ingest } from '../../src-main/engine/ingest';
import { createProject, type Project } from '../../src-main/engine/store';
import { expectSameValues } from './expect-table';
import { hasCommand, python, tempDir, removeTempDirs } from './helpers';
import { ASTROPY, readWithAstropy } from './readers';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const FITS_DIR = resolve(repoRoot, '../shared/datasets', 'fits');
const HAVE_DATA = existsSync(join(FITS_DIR, 'gc_2mass_j.fits'));
if (!HAVE_DATA) {
  // The CI has the shared data: there its absence is a failure, not a reason to skip.
  if (process.env.CI)
    throw new Error(`${FITS_DIR} is missing: the real-data export test needs it.`);
  console.warn(`${FITS_DIR} is absent: skipping the real-data export test.`);
}

// Real survey frames: one with a celestial WCS (2MASS J, Galactic centre), one without (M51).
afterAll(removeTempDirs);

describe.skipIf(!HAVE_DATA)('catalogue of real FITS frames', () => {
  let dir: string;
  let project: Project;
  let table: ExportTable;
  let file: string;
  beforeAll(async () => {
    dir = tempDir();
    project = createProject(dir);
    const files = ['gc_2mass_j.fits', 'M51.fits'].map((n) => join(FITS_DIR, n));
    const summary = await ingest(project, files, { size: 32, workers: 0 });
    expect(summary.errors).toEqual([]);
    table = buildCatalogue(project);
    file = join(tempDir(), 'real.fits');
    exportCatalogue(project, { format: 'fits', out: file });
  });
  afterAll(() => {
    project?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('has RA/Dec for the WCS frame only', () => {
    const source = table.columns[1]!.values;
    const ra = table.columns[5]!.values;
    const known = ra.filter((v, i) => v !== null && String(source[i]).endsWith('gc_2mass_j.fits'));
    expect(known.length).toBeGreaterThan(100);
    expect(ra.every((v, i) => (v === null) === String(source[i]).endsWith('M51.fits'))).toBe(true);
  });

  it.skipIf(!hasCommand('fitsverify'))('passes fitsverify', () => {
    expect(execFileSync('fitsverify', [file], { encoding: 'utf8' })).toMatch(
      /Verification found 0 warning\(s\) and 0 error\(s\)/,
    );
  });

  it.skipIf(!ASTROPY)('astropy reads the same table, and its WCS agrees with our RA/Dec', () => {
    expectSameValues(table, readWithAstropy('fits', file).columns, (s) =>
      s.replace(/[^\x20-\x7e]/g, '?'),
    );
    const worst = python<{ rows: number; dra: number; ddec: number }>(
      `
import sys, json, numpy as np
from astropy.io import fits
from astropy.table import Table
from astropy.wcs import WCS
t = Table.read(sys.argv[1], hdu=1)
t = t[[s.endswith('gc_2mass_j.fits') for s in t['source']]]
w = WCS(fits.getheader(sys.argv[2]))
ra, dec = w.all_pix2world(np.array(t['x']), np.array(t['y']), 0)
print(json.dumps({'rows': len(t), 'dra': float(np.max(np.abs(ra - t['ra']))),
                  'ddec': float(np.max(np.abs(dec - t['dec'])))}))
`,
      file,
      join(FITS_DIR, 'gc_2mass_j.fits'),
    );
    expect(worst.rows).toBeGreaterThan(100);
    expect(worst.dra).toBeLessThan(1e-9);
    expect(worst.ddec).toBeLessThan(1e-9);
  });
});
