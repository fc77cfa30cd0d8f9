import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCatalogue, type ExportTable } from '../../src-main/engine/export';
import { parseFits } from '../../src-main/engine/fits';
import { expectSameValues, type ReadColumn } from './expect-table';
import {
  closeFixture,
  exportedCatalogue,
  hasCommand,
  livedProject,
  OBJECTS,
  tempDir,
  type Fixture,
  removeTempDirs,
} from './helpers';
import { ASTROPY, NO_ASTROPY, readWithAstropy } from './readers';

const FITSVERIFY = hasCommand('fitsverify');
if (!FITSVERIFY) console.warn('fitsverify is not installed: skipping the FITS conformance checks.');
if (!ASTROPY) console.warn(NO_ASTROPY);
const asciiOnly = (s: string) => s.replace(/[^\x20-\x7e]/g, '?');

afterAll(removeTempDirs);

describe('FITS catalogue', () => {
  let f: Fixture;
  let table: ExportTable;
  let file: string;
  beforeAll(async () => {
    ({ f, table, file } = await exportedCatalogue('fits', 'catalogue.fits'));
  });
  afterAll(() => closeFixture(f));

  it('reads back with our own codec: same values, units, header keywords', () => {
    const fits = parseFits(new Uint8Array(readFileSync(file)), file);
    const t = fits.readTable();
    expect(t.extname).toBe('CATALOGUE');
    expect(t.rows).toBe(OBJECTS);
    const read: Record<string, ReadColumn> = {};
    for (const c of t.columns) {
      if (c.kind === 'number')
        read[c.name] = Array.from(c.data, (v) => (Number.isNaN(v) ? null : v));
      else if (c.kind === 'string') read[c.name] = c.data;
      else throw new Error(`unexpected column kind ${c.kind}`);
    }
    expectSameValues(table, read, asciiOnly);
    expect(t.column('ra')!.unit).toBe('deg');
    expect(t.column('x')!.unit).toBe('pixel');
    const header = fits.hdus[1]!;
    expect(header).toBeDefined();
    const text = readFileSync(file, 'latin1').slice(2880);
    expect(text).toMatch(/CREATOR = 'ahunt 0\.1\.0'/);
    expect(text).toMatch(/AHROUND =\s+2 /);
    expect(text).toMatch(new RegExp(`AHMODEL =\\s+${f.modelIds[1]} `));
    expect(text).toMatch(/DATE {4}= '\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}'/);
    expect(text).toMatch(/TUCD6 {3}= 'pos\.eq\.ra;meta\.main'/);
    expect(text).toMatch(/TNULL3 {2}=\s+-1 /);
  });

  it.skipIf(!FITSVERIFY)('passes fitsverify with 0 warnings and 0 errors', () => {
    const out = execFileSync('fitsverify', ['-e', file], { encoding: 'utf8' });
    expect(out).toMatch(/\*\*\*\* Verification found 0 warning\(s\) and 0 error\(s\)\. \*\*\*\*/);
    // -e only prints errors: run again in full to count the warnings.
    const full = execFileSync('fitsverify', [file], { encoding: 'utf8' });
    expect(full).toMatch(/Verification found 0 warning\(s\) and 0 error\(s\)/);
  });

  it.skipIf(!ASTROPY)('reads back with astropy Table.read: identical values and units', () => {
    const read = readWithAstropy('fits', file);
    expectSameValues(table, read.columns, asciiOnly);
    expect(read.units.ra).toBe('deg');
    expect(read.units.dec).toBe('deg');
    expect(read.units.seconds_spent).toBe('s');
    expect(read.meta.PROJECT).toBe('Test "survey", v1');
    expect(read.meta.CREATOR).toBe('ahunt 0.1.0');
  });

  it.skipIf(!FITSVERIFY)(
    'an empty labelled-only catalogue is still a valid FITS file',
    async () => {
      const g = await livedProject();
      g.project.db.exec('DELETE FROM object_labels');
      const empty = join(tempDir(), 'empty.fits');
      expect(
        exportCatalogue(g.project, { format: 'fits', out: empty, labelledOnly: true }).rows,
      ).toBe(0);
      g.project.close();
      const full = execFileSync('fitsverify', [empty], { encoding: 'utf8' });
      expect(full).toMatch(/Verification found 0 warning\(s\) and 0 error\(s\)/);
    },
  );
});
