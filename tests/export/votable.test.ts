import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCatalogue, type ExportTable } from '../../src-main/engine/export';
import { xml } from '../../src-main/engine/export/votable';
import { createProject } from '../../src-main/engine/store';
import { expectSameValues } from './expect-table';
import {
  closeFixture,
  exportedCatalogue,
  OBJECTS,
  tempDir,
  type Fixture,
  removeTempDirs,
} from './helpers';
import { ASTROPY, NO_ASTROPY, readWithAstropy } from './readers';

if (!ASTROPY) console.warn(NO_ASTROPY);

afterAll(removeTempDirs);

describe('VOTable catalogue', () => {
  let f: Fixture;
  let table: ExportTable;
  let file: string;
  beforeAll(async () => {
    ({ f, table, file } = await exportedCatalogue('votable', 'catalogue.vot'));
  });
  afterAll(() => closeFixture(f));

  it('is VOTable 1.4 with escaped text, units, UCDs and in-band int nulls', () => {
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<VOTABLE version="1\.4"/);
    expect(text).toContain('<TD>obj &quot;3&quot;, odd</TD>');
    expect(text).toContain('<TD>obj &lt;7&gt; &amp; more</TD>');
    expect(text).toContain('<TD>obj-5-Ωmega</TD>');
    expect(text).toContain(
      'name="ra" ID="ra" datatype="double" unit="deg" ucd="pos.eq.ra;meta.main"',
    );
    expect(text).toContain('<VALUES null="-1"/>');
    expect(text).toContain(`<TABLE name="catalogue" nrows="${OBJECTS}">`);
  });

  it('escapes what XML cannot hold raw', () => {
    expect(xml(`a<b>&"c'\n\u0001`)).toBe('a&lt;b&gt;&amp;&quot;c&apos;&#10;\ufffd');
    expect(xml('\ud83d\ude00 ok \ud800')).toBe('\ud83d\ude00 ok \ufffd');
  });

  it.skipIf(!ASTROPY)(
    'astropy parses it with verify="exception" and reads identical values',
    () => {
      const read = readWithAstropy('votable', file);
      expectSameValues(table, read.columns);
      expect(read.units.ra).toBe('deg');
      expect(read.units.x).toBe('pix'); // astropy's FITS spelling of the unit pixel
      expect(read.ucds.dec).toBe('pos.eq.dec;meta.main');
      expect(read.ucds.p_merger).toBe('stat.probability');
      expect(read.meta.project).toBe('Test "survey", v1');
      expect(read.meta.software).toBe('ahunt 0.1.0');
    },
  );

  it.skipIf(!ASTROPY)('an empty catalogue is a valid VOTable too', () => {
    const empty = createProject(tempDir());
    const out = join(tempDir(), 'empty.vot');
    expect(exportCatalogue(empty, { format: 'votable', out }).rows).toBe(0);
    empty.close();
    const read = readWithAstropy('votable', out);
    expect(read.columns.uid).toEqual([]);
    expect(Object.keys(read.columns)).toContain('p_unknown');
  });
});
