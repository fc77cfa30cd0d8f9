/**
 * Cutouts sent over SAMP as FITS, read back by a real astropy client: every band (a cube
 * when there are several), and the frame's WCS moved to the cutout, checked with
 * astropy.wcs against the object's RA/Dec.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
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

  it('sends a three-band cutout as a cube: each band sums as stored, and the WCS puts the object where it is', async () => {
    const o = getObjectByUid(project.db, 'f_{g,r,i}.fits[0]#src')!;
    expect(o.bands).toBe(3);
    const after = peer.lines.length;
    const report = await link.send({ what: 'cutout', objectId: o.id });
    expect(report.sent).toBe(`cutout of ${o.uid} (3 bands, with its WCS)`);
    const got = await peer.received('image.load.fits', after);
    expect(got.read!.shape).toEqual([3, 32, 32]);
    const ours = bandSums(o.id);
    got.read!.planeSums!.forEach((sum, b) => expect(sum).toBeCloseTo(ours[b]!, 3));
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

  it('a whole image resized into one object carries its WCS scaled to the new pixels', async () => {
    const o = getObjectByUid(project.db, 'whole.fits[0]')!;
    expect(JSON.parse(o.meta!).resizedFrom).toEqual([50, 40]);
    const after = peer.lines.length;
    await link.send({ what: 'cutout', objectId: o.id });
    const got = await peer.received('image.load.fits', after);
    expect(got.read!.shape).toEqual([32, 32]);
    expect(got.read!.sum).toBeCloseTo(bandSums(o.id)[0]!, 3);
    // The central 40 × 40 of the image, so the centre is the image's: the object's RA/Dec.
    expectSky(got.read!.centre!, [o.ra!, o.dec!]);
    // Its first pixel averages frame pixels 5..6.25 × 0..1.25 (step 40/32): centred at
    // frame (5 + 0.625 − 0.5, 0 + 0.625 − 0.5).
    expectSky(got.read!.corner!, smallWcs.pixelToWorld(5.125, 0.125));
  });

  it('a frame that changed since ingest is not trusted: the cutout goes without a WCS, and says why', async () => {
    const o = getObjectByUid(project.db, 'f_{g,r,i}.fits[0]#src')!;
    // A fresh link: the first one remembers the frame's WCS from the earlier send.
    const fresh = new SampLink(project, () => {}, pixelsOf, {
      discovery: { sampHub: hub.sampHub },
    });
    try {
      await fresh.connect();
      writeFits(o.source_path, 240, 180, blob(9, 10, 10), wcsKeywords);
      const after = peer.lines.length;
      const report = await fresh.send({ what: 'cutout', objectId: o.id });
      expect(report.sent).toMatch(
        /3 bands, no WCS: its frame .*f_g\.fits changed since it was ingested/,
      );
      const got = await peer.received('image.load.fits', after);
      expect(got.read!.shape).toEqual([3, 32, 32]);
      expect(got.read!.centre).toBeNull();
    } finally {
      await fresh.close();
    }
  });
});
