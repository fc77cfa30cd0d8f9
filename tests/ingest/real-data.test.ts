import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src-main/engine/ingest/ingest';
import type { IngestSummary } from '../../src-main/engine/ingest/types';
import { listClasses } from '../../src-main/engine/store/classes';
import { classCounts } from '../../src-main/engine/store/labels';
import { getObjectByUid, getPixels } from '../../src-main/engine/store/objects';
import { createProject, type Project } from '../../src-main/engine/store/project';
import { datasets, repoRoot, tempDir } from './helpers';
import { haveDataset } from '../shared-datasets';

const fitsDir = join(datasets, 'fits');
const zooDir = join(datasets, 'galaxyzoo1');
const haveFits = haveDataset('fits');
const haveZoo = haveDataset('galaxyzoo1/labels.csv');
if (!haveFits || !haveZoo) {
  console.warn(
    `tests/ingest/real-data: skipping what needs ${datasets} (not present on this machine)`,
  );
}

interface Expected {
  size: number;
  tiles: { x0: number; y0: number; x: number; y: number; ra: number; dec: number }[];
  catalogue: { id: string; ra: number; dec: number; x: number; y: number; on_frame: boolean }[];
}
const expected = JSON.parse(
  readFileSync(join(repoRoot, 'tests/fixtures/ingest/gc_2mass_expected.json'), 'utf8'),
) as Expected;

const tmp = tempDir();
afterAll(tmp.cleanup);

describe.skipIf(!haveFits)('the reference FITS files', () => {
  let project: Project;
  let summary: IngestSummary;
  beforeAll(async () => {
    project = createProject(join(tmp.dir, 'fits'));
    summary = await ingest(project, [fitsDir], { workers: 0 });
  });
  afterAll(() => project.close());

  it('ingests every image file and rejects the Kepler light curve as having no image HDU', () => {
    expect(summary.rejected).toBe(1);
    expect(summary.ingested).toBe(12);
    expect(summary.errors).toHaveLength(1);
    expect(summary.errors[0]!.path).toMatch(/kplr010666592-2009131110544_slc\.fits$/);
    expect(summary.errors[0]!.reason).toMatch(/^no image HDU/);
    expect(summary.errors[0]!.reason).toContain('LIGHTCURVE: binary table');
    // The spectral cube and the small PSF are one object each; frames are tiled.
    expect(getObjectByUid(project.db, 'l1448_13co.fits[0]')).toBeDefined();
    expect(getObjectByUid(project.db, 'irac_ch1_flight.fits[0]')).toBeDefined();
    const perFile = project.db.prepare('SELECT s.path, s.objects n FROM sources s').all() as {
      path: string;
      n: number;
    }[];
    const n = (name: string) => perFile.find((r) => r.path.endsWith(`/${name}`))!.n;
    expect(n('M51.fits')).toBe(64);
    expect(n('HorseHead.fits')).toBe(13 * 13);
  });

  it('makes the 2MASS J/H/K trio one set of 3-band objects with RA/Dec matching astropy', () => {
    const rows = project.db
      .prepare(
        "SELECT uid, ra, dec, bands, band_names FROM objects WHERE uid LIKE 'gc_2mass_{j,h,k}.fits%'",
      )
      .all() as { uid: string; ra: number; dec: number; bands: number; band_names: string }[];
    expect(rows).toHaveLength(expected.tiles.length);
    for (const tile of expected.tiles) {
      const o = getObjectByUid(project.db, `gc_2mass_{j,h,k}.fits[0]@${tile.x0},${tile.y0}/64`)!;
      expect(o.bands).toBe(3);
      expect(JSON.parse(o.band_names!)).toEqual(['j', 'h', 'k']);
      expect([o.x, o.y]).toEqual([tile.x, tile.y]);
      expect(Math.abs(o.ra! - tile.ra)).toBeLessThan(1e-8);
      expect(Math.abs(o.dec! - tile.dec)).toBeLessThan(1e-8);
    }
    const one = getObjectByUid(project.db, 'gc_2mass_{j,h,k}.fits[0]@328,328/64')!;
    expect(getPixels(project.db, one.id)!.pixels!.byteLength).toBe(64 * 64 * 3 * 2);
  });

  it('cuts the 2MASS trio at catalogue RA/Dec where astropy puts them, flagging edges and reporting off-frame rows', async () => {
    const catalogue = join(tmp.dir, 'gc.csv');
    writeFileSync(
      catalogue,
      ['id,ra,dec', ...expected.catalogue.map((c) => `${c.id},${c.ra},${c.dec}`)].join('\n'),
    );
    const p = createProject(join(tmp.dir, 'gc-catalogue'));
    const trio = ['j', 'h', 'k'].map((b) => join(fitsDir, `gc_2mass_${b}.fits`));
    const s = await ingest(p, trio, { catalogue: { path: catalogue } });
    const onFrame = expected.catalogue.filter((c) => c.on_frame);
    expect(s.objects).toBe(onFrame.length);
    expect(s.errors.map((e) => e.reason)).toEqual([
      expect.stringMatching(/object off at RA 265\.000000.* is off every frame/),
    ]);
    for (const c of onFrame) {
      const o = getObjectByUid(p.db, `gc_2mass_{j,h,k}.fits[0]#${c.id}`)!;
      expect(o.bands).toBe(3);
      expect(Math.abs(o.x! - c.x)).toBeLessThan(1e-6);
      expect(Math.abs(o.y! - c.y)).toBeLessThan(1e-6);
      expect(o.ra).toBe(c.ra);
      const flags = JSON.parse(o.meta!).flags ?? [];
      expect(flags.includes('edge')).toBe(c.id === 'edge');
    }
    p.close();
  });
});

describe.skipIf(!haveZoo)('Galaxy Zoo JPEGs with labels', () => {
  it('ingests a subset resized to 64 px as RGB objects and imports their labels', async () => {
    const lines = readFileSync(join(zooDir, 'labels.csv'), 'utf8').trim().split('\n');
    // The first 40 rows plus every merger among the first 2,000: both common and rare classes.
    const rows = lines.slice(1, 2001).filter((l, i) => i < 40 || l.includes(',merger,'));
    const labels = join(tmp.dir, 'zoo-labels.csv');
    writeFileSync(labels, [lines[0], ...rows].join('\n'));
    const files = rows.map((l) => join(zooDir, l.split(',')[0]!));
    const p = createProject(join(tmp.dir, 'zoo'));
    const s = await ingest(p, files, { labels: { path: labels } });
    expect(s).toMatchObject({ ingested: rows.length, rejected: 0 });
    expect(s.labels!.imported).toBe(rows.length);
    expect(s.labels!.unmatched).toBe(0);
    const names = new Set(rows.map((l) => l.split(',')[2]));
    expect(new Set(s.labels!.classesCreated)).toEqual(names);
    const merger = listClasses(p.db).find((c) => c.name === 'merger')!;
    expect(classCounts(p.db).get(merger.id)).toBe(
      rows.filter((l) => l.includes(',merger,')).length,
    );
    const first = rows[0]!.split(',')[0]!;
    const o = getObjectByUid(p.db, first.split('/').pop()!)!;
    expect(o).toMatchObject({ bands: 3, size: 64, pixel_format: 'u8' });
    expect(getPixels(p.db, o.id)!.pixels!.byteLength).toBe(64 * 64 * 3);
    p.close();
  });
});
