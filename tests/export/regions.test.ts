/** DS9 region files, read back by DS9 itself (saods9 under Xvfb), in sky and pixel coordinates. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportRegions } from '../../src-main/engine/export/regions';
import { writeImage } from '../../src-main/engine/fits';
import { listClasses } from '../../src-main/engine/store/classes';
import type { Project } from '../../src-main/engine/store';
import { ARCSEC_PER_PIXEL, SIZE, skyProject } from '../samp/helpers';
import { tempDir } from '../store/helpers';

const haveDs9 =
  spawnSync('sh', ['-c', 'command -v ds9 && command -v xvfb-run'], { stdio: 'ignore' }).status ===
  0;
if (!haveDs9 && process.env.CI)
  throw new Error('CI must have saods9 and xvfb for the region tests');

interface Circle {
  a: number;
  b: number;
  r: string;
  colour: string;
  text: string;
}

function circles(text: string): Circle[] {
  return [
    ...text.matchAll(/circle\(([^,]+),([^,]+),([^)]+)\) # color=(\S+) text=\{([^}]*)\}/g),
  ].map((m) => ({ a: Number(m[1]), b: Number(m[2]), r: m[3]!, colour: m[4]!, text: m[5]! }));
}

describe('DS9 region export', () => {
  let dir: string;
  let project: Project;
  let frame: string;

  beforeAll(() => {
    dir = tempDir('ahunt-regions-');
    ({ project } = skyProject(dir, 12));
    // A frame with a WCS, so DS9 can place sky regions (a TAN projection at the fixture's origin).
    frame = join(dir, 'frame.fits');
    const bytes = writeImage(new Float32Array(300 * 60), 300, 60, [
      { key: 'CTYPE1', value: 'RA---TAN' },
      { key: 'CTYPE2', value: 'DEC--TAN' },
      { key: 'CRVAL1', value: 150 },
      { key: 'CRVAL2', value: 2 },
      { key: 'CRPIX1', value: 1 },
      { key: 'CRPIX2', value: 1 },
      { key: 'CDELT1', value: ARCSEC_PER_PIXEL / 3600 },
      { key: 'CDELT2', value: ARCSEC_PER_PIXEL / 3600 },
    ]);
    writeFileSync(frame, bytes);
  });
  afterAll(() => project?.close());

  it('writes one circle per labelled object, in its class colour with the class as text', () => {
    const out = join(dir, 'sky.reg');
    expect(exportRegions(project, { out, coords: 'fk5' }).rows).toBe(6);
    const text = readFileSync(out, 'utf8');
    expect(text).toMatch(/^# Region file format: DS9 version 4.1\n/);
    const colour = new Map(listClasses(project.db).map((c) => [c.name, c.colour]));
    const found = circles(text);
    expect(found).toHaveLength(6);
    for (const c of found) expect(c.colour).toBe(colour.get(c.text));
    expect(new Set(found.map((c) => c.text))).toEqual(new Set(['normal', 'merger']));
    // Half a 16-px cutout at 0.25″/px, measured from the objects' own positions.
    expect(Number.parseFloat(found[0]!.r)).toBeCloseTo((SIZE / 2) * ARCSEC_PER_PIXEL, 2);
  });

  it('refuses in words when nothing is labelled', () => {
    const empty = skyProject(tempDir('ahunt-regions-'), 0).project;
    try {
      expect(() => exportRegions(empty, { out: join(dir, 'none.reg'), coords: 'image' })).toThrow(
        /no labelled objects to export as regions/,
      );
    } finally {
      empty.close();
    }
  });

  it('from the command line: --format regions --coords image|fk5, and a wrong --coords in words', () => {
    const out = join(dir, 'cli.reg');
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['bin/ahunt.js', 'export', dir, ...args], { encoding: 'utf8' });
    const ok = run(['--format', 'regions', '--coords', 'image', '--out', out]);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(/cli\.reg {2}6 regions/);
    expect(readFileSync(out, 'utf8')).toMatch(
      /^image\n# frame: .*frame\.fits\[0\]\ncircle\(21,21,8\)/m,
    );
    const bad = run(['--format', 'regions', '--coords', 'galactic', '--out', out]);
    expect(bad.status).toBe(1);
    expect(bad.stderr.trim()).toBe('ahunt export: --coords must be fk5 or image, not "galactic".');
  });

  describe.runIf(haveDs9)('read back by DS9', () => {
    const ds9 = (regions: string, system: string[], saved: string) => {
      const result = spawnSync(
        'xvfb-run',
        [
          '-a',
          'ds9',
          frame,
          '-regions',
          'load',
          regions,
          ...system,
          '-regions',
          'save',
          saved,
          '-exit',
        ],
        { timeout: 90_000, encoding: 'utf8' },
      );
      expect(result.status, result.stderr).toBe(0);
      return circles(readFileSync(saved, 'utf8'));
    };

    it('in fk5: the same positions, colours and texts', () => {
      const ours = circles(readFileSync(join(dir, 'sky.reg'), 'utf8'));
      const back = ds9(
        join(dir, 'sky.reg'),
        ['-regions', 'system', 'wcs', '-regions', 'sky', 'fk5'],
        join(dir, 'sky-back.reg'),
      );
      expect(back).toHaveLength(ours.length);
      back.forEach((c, i) => {
        expect(c.a).toBeCloseTo(ours[i]!.a, 6);
        expect(c.b).toBeCloseTo(ours[i]!.b, 6);
        expect(c.colour).toBe(ours[i]!.colour);
        expect(c.text).toBe(ours[i]!.text);
      });
    });

    it('in image coordinates: DS9 reads the same pixels', () => {
      const out = join(dir, 'pixels.reg');
      exportRegions(project, { out, coords: 'image' });
      const ours = circles(readFileSync(out, 'utf8'));
      const back = ds9(out, ['-regions', 'system', 'image'], join(dir, 'pixels-back.reg'));
      expect(back.map((c) => [c.a, c.b, Number(c.r), c.text])).toEqual(
        ours.map((c) => [c.a, c.b, Number(c.r), c.text]),
      );
      // Our 0-based x = 20 is DS9's 1-based 21.
      expect(ours[0]!.a).toBe(21);
    });
  });
});
