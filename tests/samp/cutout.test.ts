/**
 * Cutouts sent over SAMP as FITS, read back by a real astropy client: every band (a cube
 * when there are several) in the frame's own units (each pixel equal to the frame's, as
 * astropy reads the frame, BSCALE and BZERO applied), and the frame's WCS moved to the
 * cutout, checked with astropy.wcs against the object's RA/Dec. A PNG object, and one whose
 * frame changed since ingest, go as stored.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PixelData } from '../../src-main/contract/contract';
import { parseFits, readCelestialWcs } from '../../src-main/engine/fits';
import { fitsImageBytes } from '../../src-main/engine/demo/write-fits';
import { ingest } from '../../src-main/engine/ingest/ingest';
import { SampLink } from '../../src-main/engine/samp';
import {
  createProject,
  getObjectByUid,
  getPixels,
  type Project,
} from '../../src-main/engine/store';
import { decodePixelsInto } from '../../src-main/engine/store/image-batches';
import type { HeaderKeyword } from '../../src-main/engine/fits/write-header';
import { blob, writeFits } from '../ingest/helpers';
import { tempDir } from '../store/helpers';
import { astropyAvailable, Hub, Peer } from './helpers';

const haveAstropy = astropyAvailable();
if (!haveAstropy && process.env.CI)
  throw new Error('CI must have python3-astropy for the SAMP tests');
const haveDs9 =
  spawnSync('sh', ['-c', 'command -v ds9 && command -v xvfb-run'], { stdio: 'ignore' }).status ===
  0;
if (!haveDs9 && process.env.CI) throw new Error('CI must have saods9 and xvfb for the DS9 check');

/** A TAN WCS at (ra, dec), 0.5″ pixels, rotated by 30° (a CD matrix with cross terms). */
function rotatedTan(ra: number, dec: number, crpix: [number, number]): HeaderKeyword[] {
  const scale = 0.5 / 3600;
  const t = (30 * Math.PI) / 180;
  return [
    { key: 'CTYPE1', value: 'RA---TAN-SIP' },
    { key: 'CTYPE2', value: 'DEC--TAN-SIP' },
    { key: 'CRPIX1', value: crpix[0] },
    { key: 'CRPIX2', value: crpix[1] },
    { key: 'CRVAL1', value: ra },
    { key: 'CRVAL2', value: dec },
    { key: 'CD1_1', value: -scale * Math.cos(t) },
    { key: 'CD1_2', value: scale * Math.sin(t) },
    { key: 'CD2_1', value: scale * Math.sin(t) },
    { key: 'CD2_2', value: scale * Math.cos(t) },
    { key: 'RADESYS', value: 'ICRS' },
  ];
}

/** Two positions agree to 0.1 mas (astropy's wcslib against our codec: the same sky). */
function expectSky(got: [number, number], want: [number, number]): void {
  expect(Math.abs(got[0] - want[0]) * 3600).toBeLessThan(1e-4);
  expect(Math.abs(got[1] - want[1]) * 3600).toBeLessThan(1e-4);
}

/**
 * Pixels of a FITS image as astropy reads them (BSCALE/BZERO applied), rows y0.. and columns
 * x0.., row after row, NaN as null: the independent reading of the frame a cutout is checked
 * against.
 */
function astropyPixels(path: string, x0: number, y0: number, side: number): (number | null)[] {
  const script = [
    'import json, sys, numpy as np',
    'from astropy.io import fits',
    'x0, y0, n = (int(a) for a in sys.argv[2:5])',
    'data = fits.getdata(sys.argv[1]).astype(np.float64)[y0:y0 + n, x0:x0 + n]',
    'print(json.dumps([None if np.isnan(v) else float(v) for v in data.ravel()]))',
  ].join('\n');
  const run = spawnSync(PYTHON, ['-c', script, path, String(x0), String(y0), String(side)], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (run.status !== 0) throw new Error(`astropy could not read ${path}: ${run.stderr}`);
  return JSON.parse(run.stdout) as (number | null)[];
}

/** A 16-bit integer frame with BSCALE/BZERO and BUNIT, written by astropy. */
function writeScaledFits(path: string, width: number, height: number, wcs: HeaderKeyword[]): void {
  const script = [
    'import json, sys, numpy as np',
    'from astropy.io import fits',
    'w, h = int(sys.argv[2]), int(sys.argv[3])',
    'y, x = np.mgrid[0:h, 0:w]',
    'counts = np.round(400 * np.exp(-((x - 100) ** 2 + (y - 70) ** 2) / 60) + (x * 7 + y * 3) % 13)',
    'hdu = fits.PrimaryHDU((1000 + 0.25 * counts).astype(np.float32))',
    "hdu.scale('int16', bscale=0.25, bzero=1000)",
    "hdu.header['BUNIT'] = 'nanomaggy'",
    'for k in json.loads(sys.argv[4]): hdu.header[k["key"]] = k["value"]',
    'hdu.writeto(sys.argv[1], overwrite=True)',
  ].join('\n');
  const args = ['-c', script, path, String(width), String(height), JSON.stringify(wcs)];
  const run = spawnSync(PYTHON, args, { encoding: 'utf8', timeout: 30_000 });
  if (run.status !== 0) throw new Error(`astropy could not write ${path}: ${run.stderr}`);
}

/** Each value equal to float32 precision (the cutout is float32; the frame may be wider). */
function expectSameValues(got: (number | null)[], want: (number | null)[]): void {
  expect(got).toHaveLength(want.length);
  const off = got.findIndex((v, i) => {
    const w = want[i]!;
    return v === null || w === null ? v !== w : Math.abs(v - w) > 1e-6 * Math.max(1, Math.abs(w));
  });
  expect(off, `pixel ${off}: ${got[off]} against the frame's ${want[off]}`).toBe(-1);
}

const PYTHON = '/usr/bin/python3';

/** Half a pixel's diagonal: how far the cutout's centre can be from the object it is cut at. */
const HALF_DIAGONAL_ARCSEC = (Math.SQRT2 / 2) * 0.5;

describe.runIf(haveAstropy)('SAMP cutouts: every band, with the WCS', () => {
  const dir = tempDir('ahunt-samp-cutout-');
  let project: Project;
  let hub: Hub;
  let peer: Peer;
  let link: SampLink;
  let sentCube: { path: string; centre: [number, number] } | null = null;
  const wcsKeywords = rotatedTan(150.1, 2.2, [120.5, 90.5]);
  const smallKeywords = rotatedTan(150.1, 2.2, [20.5, 30.5]);
  const wcsOf = (keywords: HeaderKeyword[]) =>
    readCelestialWcs(
      parseFits(fitsImageBytes(new Float32Array(4), 2, 2, keywords), 'wcs').readImage().header,
    )!;
  const frameWcs = wcsOf(wcsKeywords);
  const smallWcs = wcsOf(smallKeywords);

  const pixelsOf = (id: number): PixelData => {
    const o = project.db.prepare('SELECT size, bands FROM objects WHERE id = ?').get(id) as {
      size: number;
      bands: number;
    };
    const stored = getPixels(project.db, id)!;
    const data = new Float32Array(o.size * o.size * o.bands);
    decodePixelsInto(stored.format, stored.pixels, data, 0, data.length);
    return { size: o.size, bands: o.bands, data };
  };
  /** Sum of each band of an object's stored pixels (HWC). */
  const bandSums = (id: number) => {
    const { size, bands, data } = pixelsOf(id);
    const sums = new Array<number>(bands).fill(0);
    for (let i = 0; i < size * size; i++)
      for (let b = 0; b < bands; b++) sums[b]! += data[i * bands + b]!;
    return sums;
  };

  beforeAll(async () => {
    project = createProject(join(dir, 'project'), { name: 'cutouts' });
    // Three aligned bands of one 240 × 180 field, and a catalogue by RA/Dec.
    const field = join(dir, 'field');
    for (const [i, band] of ['g', 'r', 'i'].entries())
      writeFits(join(field, `f_${band}.fits`), 240, 180, blob(i + 1, 100, 70), wcsKeywords);
    const [ra, dec] = frameWcs.pixelToWorld(100.3, 70.2);
    const catalogue = join(dir, 'catalogue.csv');
    writeFileSync(catalogue, `id,ra,dec\nsrc,${ra},${dec}\n`);
    await ingest(project, [field], {
      size: 32,
      bands: ['g', 'r', 'i'],
      catalogue: { path: catalogue },
    });
    // One 50 × 40 image that becomes one object as a whole, resized to 32 × 32.
    const small = join(dir, 'small');
    writeFits(join(small, 'whole.fits'), 50, 40, blob(7, 25, 20), smallKeywords);
    await ingest(project, [small], { size: 32, layout: 'cutout' });
    // The same field stored as integers: BITPIX 16, BSCALE 0.25, BZERO 1000, in nanomaggies,
    // written by astropy (our codec must apply the scaling, not write it).
    const scaled = join(dir, 'scaled', 'scaled.fits');
    mkdirSync(dirname(scaled), { recursive: true });
    writeScaledFits(scaled, 240, 180, wcsKeywords);
    await ingest(project, [dirname(scaled)], { size: 32, catalogue: { path: catalogue } });
    // A PNG cutout: no frame, no units, no sky.
    const pngs = join(dir, 'pngs');
    mkdirSync(pngs, { recursive: true });
    const rgb = Buffer.alloc(40 * 40 * 3);
    for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 37) % 251;
    await sharp(rgb, { raw: { width: 40, height: 40, channels: 3 } })
      .png()
      .toFile(join(pngs, 'face.png'));
    await ingest(project, [pngs], { size: 32 });

    hub = await Hub.start(join(dir, 'lockfile'));
    peer = await Peer.start(hub, { name: 'Image Peer' });
    link = new SampLink(project, () => {}, pixelsOf, {
      discovery: { sampHub: hub.sampHub },
      pollMs: 200,
    });
    expect((await link.connect()).state).toBe('connected');
  }, 60_000);

  afterAll(async () => {
    await link?.close();
    await peer?.stop();
    await hub?.stop();
    project?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends a three-band cutout as a cube of the frame's pixels, and the WCS puts the object where it is", async () => {
    const o = getObjectByUid(project.db, 'f_{g,r,i}.fits[0]#src')!;
    expect(o.bands).toBe(3);
    const after = peer.lines.length;
    const report = await link.send({ what: 'cutout', objectId: o.id });
    expect(report.sent).toBe(`cutout of ${o.uid} (3 bands, in the frame's units, with its WCS)`);
    const got = await peer.received('image.load.fits', after);
    expect(got.read!.shape).toEqual([3, 32, 32]);
    // Each plane is its band's frame at the window ingest cut, value for value (not the
    // stored 0..1 cutout), and carries no BUNIT the frame did not have.
    const [wx, wy] = JSON.parse(o.meta!).window as [number, number];
    const frames = ['g', 'r', 'i'].map((b) => join(dir, 'field', `f_${b}.fits`));
    expectSameValues(
      got.read!.values!,
      frames.flatMap((f) => astropyPixels(f, wx, wy, 32)),
    );
    expect(got.read!.bunit).toBeNull();
    // The window starts at round(x − 15.5), round(y − 15.5): its centre is within half a
    // pixel of the object in each axis.
    const [ra, dec] = got.read!.centre!;
    const offArcsec =
      Math.hypot((ra - o.ra!) * Math.cos((o.dec! * Math.PI) / 180), dec - o.dec!) * 3600;
    expect(offArcsec).toBeLessThanOrEqual(HALF_DIAGONAL_ARCSEC + 1e-9);
    // And exactly the frame's sky at the window's centre (astropy's wcslib against our codec).
    const [x0, y0] = JSON.parse(o.meta!).window as [number, number];
    expectSky(got.read!.centre!, frameWcs.pixelToWorld(x0 + 15.5, y0 + 15.5));
    expectSky(got.read!.corner!, frameWcs.pixelToWorld(x0, y0));
    sentCube = { path: fileURLToPath(String(got.params!.url)), centre: got.read!.centre! };
  });

  it.runIf(haveDs9)(
    'DS9 opens that cube and puts its centre at the same sky position as astropy',
    () => {
      // DS9 (saods9 under Xvfb) loads the cube at its third plane, reads a circle at the
      // centre of the 32 × 32 image (1-based 16.5, 16.5) and writes it back in ICRS, the
      // frame's RADESYS (fk5 would differ by ~20 mas, the frame tie), with its own WCS.
      const regions = join(dir, 'centre.reg');
      const saved = join(dir, 'centre-icrs.reg');
      writeFileSync(regions, 'image\ncircle(16.5,16.5,2)\n');
      const ds9 = spawnSync(
        'xvfb-run',
        ['-a', 'ds9', sentCube!.path, '-cube', '3', '-regions', 'load', regions]
          .concat(['-regions', 'system', 'wcs', '-regions', 'sky', 'icrs'])
          .concat(['-regions', 'skyformat', 'degrees', '-regions', 'save', saved, '-exit']),
        { timeout: 90_000, encoding: 'utf8' },
      );
      expect(ds9.status, ds9.stderr).toBe(0);
      const circle = /circle\(([-\d.]+),([-\d.]+),/.exec(readFileSync(saved, 'utf8'));
      expect(circle, readFileSync(saved, 'utf8')).not.toBeNull();
      // DS9 writes degrees with 7 decimals (0.36 mas).
      expect(Math.abs(Number(circle![1]) - sentCube!.centre[0])).toBeLessThan(2e-7);
      expect(Math.abs(Number(circle![2]) - sentCube!.centre[1])).toBeLessThan(2e-7);
    },
  );

  it("a whole image resized into one object goes as its central square at the frame's resolution, with its WCS", async () => {
    const o = getObjectByUid(project.db, 'whole.fits[0]')!;
    expect(JSON.parse(o.meta!).resizedFrom).toEqual([50, 40]);
    const after = peer.lines.length;
    await link.send({ what: 'cutout', objectId: o.id });
    const got = await peer.received('image.load.fits', after);
    // The central 40 × 40 of the 50 × 40 image that ingest resized to 32 × 32, not resampled.
    expect(got.read!.shape).toEqual([40, 40]);
    expectSameValues(got.read!.values!, astropyPixels(join(dir, 'small', 'whole.fits'), 5, 0, 40));
    // Its centre is the image's: the object's RA/Dec; its first pixel is frame pixel (5, 0).
    expectSky(got.read!.centre!, [o.ra!, o.dec!]);
    expectSky(got.read!.corner!, smallWcs.pixelToWorld(5, 0));
  });

  it('a frame scaled from integers (BSCALE, BZERO, BUNIT) arrives in its physical units', async () => {
    const o = getObjectByUid(project.db, 'scaled.fits[0]#src')!;
    const after = peer.lines.length;
    const report = await link.send({ what: 'cutout', objectId: o.id });
    expect(report.sent).toBe(
      `cutout of ${o.uid} (1 band, in the frame's units (nanomaggy), with its WCS)`,
    );
    const got = await peer.received('image.load.fits', after);
    expect(got.read!.shape).toEqual([32, 32]);
    expect(got.read!.bunit).toBe('nanomaggy');
    const [wx, wy] = JSON.parse(o.meta!).window as [number, number];
    const want = astropyPixels(join(dir, 'scaled', 'scaled.fits'), wx, wy, 32);
    expectSameValues(got.read!.values!, want);
    // Physical values (1000 + 0.25 × the stored integers), not 0..1.
    expect(Math.min(...want.map(Number))).toBeGreaterThan(900);
    expectSky(got.read!.centre!, frameWcs.pixelToWorld(wx + 15.5, wy + 15.5));
  });

  it('a PNG object goes as stored (0..1), saying so', async () => {
    const o = getObjectByUid(project.db, 'face.png')!;
    const after = peer.lines.length;
    const report = await link.send({ what: 'cutout', objectId: o.id });
    expect(report.sent).toBe(
      `cutout of ${o.uid} (3 bands, stored 0..1 pixels and no WCS: it was not cut from a FITS frame)`,
    );
    const got = await peer.received('image.load.fits', after);
    expect(got.read!.bunit).toBe('normalised');
    got.read!.planeSums!.forEach((sum, b) => expect(sum).toBeCloseTo(bandSums(o.id)[b]!, 3));
  });

  it('a frame that changed since ingest is not trusted: the cutout goes without a WCS, and says why', async () => {
    const o = getObjectByUid(project.db, 'f_{g,r,i}.fits[0]#src')!;
    // A fresh link, as before (links read the frame again for every send anyway).
    const fresh = new SampLink(project, () => {}, pixelsOf, {
      discovery: { sampHub: hub.sampHub },
    });
    try {
      await fresh.connect();
      writeFits(o.source_path, 240, 180, blob(9, 10, 10), wcsKeywords);
      const after = peer.lines.length;
      const report = await fresh.send({ what: 'cutout', objectId: o.id });
      expect(report.sent).toMatch(
        /3 bands, stored 0\.\.1 pixels and no WCS: its frame .*f_g\.fits changed since it was ingested\)$/,
      );
      const got = await peer.received('image.load.fits', after);
      expect(got.read!.shape).toEqual([3, 32, 32]);
      expect(got.read!.centre).toBeNull();
      expect(got.read!.bunit).toBe('normalised');
      const ours = bandSums(o.id);
      got.read!.planeSums!.forEach((sum, b) => expect(sum).toBeCloseTo(ours[b]!, 3));
    } finally {
      await fresh.close();
    }
  });
});
