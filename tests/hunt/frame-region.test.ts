/**
 * The preview's FITS original: a region of the object's parent frame (4× the cutout, clipped
 * at the edges, every band, the file's units) and the frame's WCS, checked pixel for pixel
 * and in RA/Dec against astropy reading the same shared files (and a tile-compressed copy).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { celestialProjection } from '../../src-main/contract/celestial-projection';
import type { FitsFrameRegion } from '../../src-main/contract/contract';
import { originalImage } from '../../src-main/engine/hunt/original-image';
import { forgetFrames } from '../../src-main/engine/hunt/frame-bands';
import { regionAround } from '../../src-main/engine/hunt/frame-region';
import { ingest } from '../../src-main/engine/ingest/ingest';
import { getObjectByUid } from '../../src-main/engine/store/objects';
import { createProject, type Project } from '../../src-main/engine/store/project';
import { datasetsDir, haveDataset } from '../shared-datasets';
import { tempDir } from '../ingest/helpers';

const PYTHON = '/usr/bin/python3';
const fitsDir = join(datasetsDir, 'fits');
const haveFits = haveDataset('fits');
const tmp = tempDir();
afterAll(tmp.cleanup);

/** Runs a python snippet with astropy and parses what it prints as JSON. */
function astropy<T>(script: string, args: string[]): T {
  const out = execFileSync(PYTHON, ['-c', script, ...args], { encoding: 'utf8' });
  return JSON.parse(out) as T;
}

/** astropy's pixels of (file, hdu, x0, y0, width, height), written as float32 to `out`. */
const SLICE = `
import sys, json, numpy as np
from astropy.io import fits
path, hdu, x0, y0, w, h, out = sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:7]), sys.argv[7]
data = fits.open(path)[hdu].data
np.asarray(data[y0:y0 + h, x0:x0 + w], dtype='<f4').tofile(out)
print(json.dumps(list(data.shape)))
`;

/**
 * astropy's world coordinates of 0-based pixels of (file, hdu), through the header's own
 * linear TAN WCS: a DSS plate (HorseHead) also carries its plate polynomial (AMDX…, PLTRAH…),
 * which astropy prefers and our WCS does not implement (≈0.1″ apart there), so those go.
 */
const WORLD = `
import sys, json, warnings
from astropy.io import fits
from astropy.wcs import WCS
warnings.simplefilter('ignore')
path, hdu, pixels = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
header = fits.open(path)[hdu].header
for key in [k for k in header if k.startswith(('AMD', 'PLT', 'PPO', 'CNPIX', 'XPIXELSZ', 'YPIXELSZ'))]:
    del header[key]
w = WCS(header)
print(json.dumps([[float(v) for v in w.wcs_pix2world(x, y, 0)] for x, y in pixels]))
`;

/** Writes a RICE_1 tile-compressed copy of a frame (lossless for integers), as fpack would. */
const COMPRESS = `
import sys
from astropy.io import fits
src = fits.open(sys.argv[1])[0]
fits.HDUList([fits.PrimaryHDU(), fits.CompImageHDU(src.data, src.header, compression_type='RICE_1')]).writeto(sys.argv[2], overwrite=True)
print('null')
`;

function decode(region: FitsFrameRegion): Float32Array {
  const bytes = Buffer.from(region.pixels, 'base64');
  expect(bytes.length).toBe(region.width * region.height * region.bands * 4);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

function expectSameBand(actual: Float32Array, file: string, hdu: number, r: FitsFrameRegion) {
  const out = join(tmp.dir, `slice-${Math.random().toString(36).slice(2)}.f32`);
  astropy(SLICE, [file, String(hdu), ...[r.x0, r.y0, r.width, r.height].map(String), out]);
  const bytes = readFileSync(out);
  const expected = new Float32Array(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  );
  expect(expected.length).toBe(actual.length);
  let differing = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(a) ? !Number.isNaN(e) : Math.abs(a - e) > 1e-6 * Math.max(1, Math.abs(e)))
      differing++;
  }
  expect(differing).toBe(0);
}

async function regionOf(project: Project, uid: string): Promise<FitsFrameRegion> {
  const object = getObjectByUid(project.db, uid);
  expect(object, uid).toBeDefined();
  const original = await originalImage(project.db, object!.id);
  if (original.kind !== 'fits') throw new Error(`${uid}: ${JSON.stringify(original)}`);
  return original;
}

describe('the region of the parent frame', () => {
  it('is 4× the cutout centred on it, clipped at the frame edges', () => {
    expect(regionAround({ x0: 400, y0: 400, width: 64, height: 64 }, 891, 893)).toEqual({
      x0: 304,
      y0: 304,
      width: 256,
      height: 256,
    });
    expect(regionAround({ x0: 10, y0: 850, width: 64, height: 64 }, 891, 893)).toEqual({
      x0: 0,
      y0: 754,
      width: 170,
      height: 139,
    });
    // A whole-file cutout is its whole frame.
    expect(regionAround({ x0: 0, y0: 0, width: 81, height: 81 }, 81, 81)).toEqual({
      x0: 0,
      y0: 0,
      width: 81,
      height: 81,
    });
  });
});

describe.skipIf(!haveFits)('FITS originals on the shared frames, against astropy', () => {
  let project: Project;
  const compressed = join(tmp.dir, 'packed', 'M51_rice.fits');
  beforeAll(async () => {
    mkdirSync(join(tmp.dir, 'packed'));
    astropy(COMPRESS, [join(fitsDir, 'M51.fits'), compressed]);
    project = createProject(join(tmp.dir, 'project'));
    for (const dir of [fitsDir, join(tmp.dir, 'packed')])
      await ingest(project, [dir], { workers: 0, size: 64 });
  }, 120_000);
  afterAll(() => project?.close());

  it('reads a grid tile of HorseHead with its neighbourhood, pixel for pixel, and its RA/Dec', async () => {
    const file = join(fitsDir, 'HorseHead.fits');
    const uids = project.db
      .prepare(`SELECT uid, meta FROM objects WHERE uid LIKE 'HorseHead.fits[0]%' ORDER BY id`)
      .all() as { uid: string; meta: string }[];
    // One in the middle and one in a corner, whose region the frame's edge clips.
    const middle = uids[Math.floor(uids.length / 2)]!;
    const corner = uids[0]!;
    for (const { uid, meta } of [middle, corner]) {
      const region = await regionOf(project, uid);
      const [wx, wy] = (JSON.parse(meta) as { window: [number, number] }).window;
      expect(region.cutout).toEqual({ x0: wx, y0: wy, width: 64, height: 64 });
      expect(region).toMatchObject({ frameWidth: 891, frameHeight: 893, bands: 1, hdu: 0 });
      expect(region.x0).toBeLessThanOrEqual(wx);
      expect(region.x0 + region.width).toBeGreaterThanOrEqual(wx + 64);
      expectSameBand(decode(region), file, 0, region);
      if (uid === middle.uid) expect([region.width, region.height]).toEqual([256, 256]);
      else expect(region.x0 === 0 || region.y0 === 0).toBe(true);

      const wcs = celestialProjection(region.wcs!)!;
      const pixels: [number, number][] = [
        [region.x0, region.y0],
        [region.x0 + region.width - 1, region.y0 + region.height - 1],
        [wx + 31.5, wy + 12.25],
      ];
      const world = astropy<[number, number][]>(WORLD, [file, '0', JSON.stringify(pixels)]);
      pixels.forEach(([x, y], i) => {
        const [ra, dec] = wcs.pixelToWorld(x, y);
        expect(Math.abs(ra - world[i]![0])).toBeLessThan(1e-8);
        expect(Math.abs(dec - world[i]![1])).toBeLessThan(1e-8);
      });
      expect(region.wcs!.axisNames).toEqual(['RA', 'Dec']);
    }
  });

  it('reads all three bands of the 2MASS set, each from its own file', async () => {
    const uid = (
      project.db
        .prepare(`SELECT uid FROM objects WHERE band_names IS NOT NULL AND uid LIKE 'gc_2mass%'`)
        .all() as { uid: string }[]
    )[20]!.uid;
    const region = await regionOf(project, uid);
    expect(region.bands).toBe(3);
    const pixels = decode(region);
    const n = region.width * region.height;
    const files = ['j', 'h', 'k'].map((b) => join(fitsDir, `gc_2mass_${b}.fits`));
    const names = region.bandNames!.map((b) => b.toLowerCase());
    names.forEach((band, b) => {
      expectSameBand(
        pixels.subarray(b * n, (b + 1) * n),
        files[['j', 'h', 'k'].indexOf(band)]!,
        0,
        region,
      );
    });
    expect(region.scales).toHaveLength(3);
    const world = astropy<[number, number][]>(WORLD, [files[0]!, '0', '[[100.5, 200.25]]']);
    const [ra, dec] = celestialProjection(region.wcs!)!.pixelToWorld(100.5, 200.25);
    expect(Math.abs(ra - world[0]![0])).toBeLessThan(1e-8);
    expect(Math.abs(dec - world[0]![1])).toBeLessThan(1e-8);
  });

  /** A grid tile of the RICE-compressed M51 near the frame's middle. */
  const packedTile = () =>
    (
      project.db
        .prepare(`SELECT uid FROM objects WHERE uid LIKE 'M51_rice.fits[1]@%' ORDER BY id`)
        .all() as { uid: string }[]
    )[27]!.uid;

  it('reads a tile-compressed frame as astropy decompresses it', async () => {
    const region = await regionOf(project, packedTile());
    expect(region.hdu).toBe(1);
    expectSameBand(decode(region), compressed, 1, region);
  });

  it('shows a whole-file cutout as its whole file, and a cube as its mean over planes', async () => {
    const psf = await regionOf(project, 'irac_ch1_flight.fits[0]');
    expect(psf).toMatchObject({ x0: 0, y0: 0, width: 81, height: 81, wcs: null });
    expect(psf.cutout).toEqual({ x0: 0, y0: 0, width: 81, height: 81 });
    expectSameBand(decode(psf), join(fitsDir, 'irac_ch1_flight.fits'), 0, psf);
    const cube = await regionOf(project, 'l1448_13co.fits[0]');
    expect([cube.width, cube.height, cube.bands]).toEqual([105, 105, 1]);
  });

  it('says why, in a sentence, when the frame is gone', async () => {
    const object = getObjectByUid(project.db, packedTile())!;
    renameSync(compressed, `${compressed}.moved`);
    forgetFrames();
    const original = await originalImage(project.db, object.id);
    renameSync(`${compressed}.moved`, compressed);
    expect(original).toMatchObject({
      kind: 'none',
      reason: expect.stringMatching(/cannot be read/),
    });
  });
});
