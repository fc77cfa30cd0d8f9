import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src-main/engine/ingest/ingest';
import { parseFits } from '../../src-main/engine/fits';
import { listClasses } from '../../src-main/engine/store/classes';
import { labelHistory } from '../../src-main/engine/store/labels';
import { getObjectByUid, getPixels } from '../../src-main/engine/store/objects';
import { decodeFloat16 } from '../../src-main/engine/store/pixels';
import { createProject, type Project } from '../../src-main/engine/store/project';
import { blob, tanWcs, tempDir, writeFits } from './helpers';

const tmp = tempDir();
afterAll(tmp.cleanup);
let projects = 0;
const newProject = (): Project => createProject(join(tmp.dir, `project-${++projects}`));
const objects = (p: Project) =>
  p.db
    .prepare('SELECT uid, x, y, ra, dec, bands, band_names, meta FROM objects ORDER BY id')
    .all() as {
    uid: string;
    x: number;
    y: number;
    ra: number;
    dec: number;
    bands: number;
    band_names: string | null;
    meta: string;
  }[];
/** The WCS exactly as the codec reads it from a written file. */
/** Brightness-weighted centre of the pixels above half the maximum, of one band of an HWC cutout. */
function centroid(px: Float32Array, bands: number, band: number): [number, number] {
  const side = Math.round(Math.sqrt(px.length / bands));
  let max = 0;
  for (let i = 0; i < side * side; i++) max = Math.max(max, px[i * bands + band]!);
  let [sx, sy, sw] = [0, 0, 0];
  for (let i = 0; i < side * side; i++) {
    const v = px[i * bands + band]!;
    if (v < max / 2) continue;
    sx += (i % side) * v;
    sy += Math.floor(i / side) * v;
    sw += v;
  }
  return [sx / sw, sy / sw];
}

const wcsOf = (keywords: ReturnType<typeof tanWcs>) => {
  const path = writeFits(join(tmp.dir, 'wcs-probe.fits'), 8, 8, () => 0, keywords);
  return parseFits(readFileSync(path), path).readImage().wcs!;
};

describe('large frames with a catalogue', () => {
  const frameWcs = tanWcs(10, 20, [100.5, 75.5]);
  const frame = writeFits(
    join(tmp.dir, 'frames', 'field.fits'),
    200,
    150,
    blob(1, 60, 40),
    frameWcs,
  );
  const wcs = wcsOf(frameWcs);
  const at = (x: number, y: number) => wcs.pixelToWorld(x, y);
  const [raIn, decIn] = at(60.2, 40.2);
  const [raEdge, decEdge] = at(195.2, 3.2);
  const [raOff, decOff] = at(260, 40);
  const catalogue = join(tmp.dir, 'frames-cat.csv');
  writeFileSync(
    catalogue,
    `name,RAJ2000,DEJ2000\ninside,${raIn},${decIn}\nedge,${raEdge},${decEdge}\nfar,${raOff},${decOff}\n`,
  );

  it('cuts size×size windows at RA/Dec, pads edges with 0 and flags them, reports off-frame rows', async () => {
    const p = newProject();
    const s = await ingest(p, [frame], {
      size: 32,
      catalogue: { path: catalogue, ra: 'RAJ2000', dec: 'DEJ2000', id: 'name' },
    });
    expect(s).toMatchObject({ ingested: 1, rejected: 0, objects: 2 });
    expect(s.errors).toHaveLength(1);
    expect(s.errors[0]!.path).toBe(catalogue);
    expect(s.errors[0]!.reason).toMatch(/line 4: object far at RA .* is off every frame/);

    const inside = getObjectByUid(p.db, 'field.fits[0]#inside')!;
    expect(inside.x).toBeCloseTo(60.2, 6);
    expect(inside.y).toBeCloseTo(40.2, 6);
    expect(inside.ra).toBe(raIn);
    // (60.2, 40.2) − 15.5 rounds to the origin (45, 25); the blob at (60, 40) lands at (15, 15).
    expect(JSON.parse(inside.meta!)).toMatchObject({
      catalogueId: 'inside',
      catalogueRow: 1,
      window: [45, 25],
    });
    const px = decodeFloat16(new Uint8Array(getPixels(p.db, inside.id)!.pixels!));
    expect(centroid(px, 1, 0)[0]).toBeCloseTo(15, 0);
    expect(centroid(px, 1, 0)[1]).toBeCloseTo(15, 0);

    const edge = getObjectByUid(p.db, 'field.fits[0]#edge')!;
    const meta = JSON.parse(edge.meta!);
    expect(meta.flags).toContain('edge');
    // (195.2, 3.2): window x 180..211, y −12..19; only 20 × 20 of it lies on the 200×150 frame.
    expect(meta.window).toEqual([180, -12]);
    expect(meta.padded).toBe(32 * 32 - 20 * 20);
    const epx = decodeFloat16(new Uint8Array(getPixels(p.db, edge.id)!.pixels!));
    expect(epx[0]).toBe(0);
    expect(epx[31]).toBe(0);
    p.close();
  });

  it('cuts at 1-based pixel x/y and computes RA/Dec from the WCS', async () => {
    const pixels = join(tmp.dir, 'pixels-cat.csv');
    writeFileSync(pixels, 'id,x,y\na,61,41\nb,999,5\n');
    const p = newProject();
    const s = await ingest(p, [frame], { size: 32, catalogue: { path: pixels, x: 'x', y: 'y' } });
    expect(s.objects).toBe(1);
    expect(s.errors[0]!.reason).toMatch(/object b at x 999, y 5 \(1-based\) is off every frame/);
    const a = getObjectByUid(p.db, 'field.fits[0]#a')!;
    expect([a.x, a.y]).toEqual([60, 40]);
    expect(a.ra).toBeCloseTo(at(60, 40)[0], 10);
    expect(a.dec).toBeCloseTo(at(60, 40)[1], 10);
    p.close();
  });

  it('tiles a frame into a grid when there is no catalogue', async () => {
    const p = newProject();
    const s = await ingest(p, [frame], { size: 64 });
    expect(s.objects).toBe(6); // 3 × 2 tiles of 64 in 200 × 150
    const first = objects(p)[0]!;
    expect(first.uid).toBe('field.fits[0]@4,11/64');
    expect([first.x, first.y]).toEqual([35.5, 42.5]);
    const [ra, dec] = at(35.5, 42.5);
    expect(first.ra).toBeCloseTo(ra, 10);
    expect(first.dec).toBeCloseTo(dec, 10);
    // --layout cutout instead makes the whole frame one object.
    const q = newProject();
    expect((await ingest(q, [frame], { size: 64, layout: 'cutout' })).objects).toBe(1);
    expect(JSON.parse(objects(q)[0]!.meta).resizedFrom).toEqual([200, 150]);
    p.close();
    q.close();
  });
});

describe('multi-band sets', () => {
  it('stacks x_g/x_r/x_i cutouts into one 3-band object, interleaved', async () => {
    const dir = join(tmp.dir, 'bands');
    for (const [band, level] of [
      ['g', 1],
      ['r', 2],
      ['i', 3],
    ] as const) {
      writeFits(
        join(dir, `x_${band}.fits`),
        64,
        64,
        (x, y) => level * blob(7)(x, y),
        tanWcs(30, -5, [32.5, 32.5]),
      );
    }
    const p = newProject();
    const s = await ingest(p, [dir], { bands: ['g', 'r', 'i'] });
    expect(s).toMatchObject({ ingested: 3, objects: 1 });
    const o = getObjectByUid(p.db, 'x_{g,r,i}.fits[0]')!;
    expect(o.bands).toBe(3);
    expect(JSON.parse(o.band_names!)).toEqual(['g', 'r', 'i']);
    expect(o.ra).toBeCloseTo(30, 9);
    const px = getPixels(p.db, o.id)!.pixels!;
    expect(px.byteLength).toBe(64 * 64 * 3 * 2);
    const meta = JSON.parse(o.meta!);
    expect(meta.files).toEqual(['x_g.fits', 'x_r.fits', 'x_i.fits']);
    expect(meta.scales[2].lo).toBeCloseTo(3 * meta.scales[0].lo, 0);
    expect(p.db.prepare("SELECT count(*) n FROM sources WHERE status = 'ingested'").get()).toEqual({
      n: 3,
    });
    p.close();
  });

  it('reprojects a band whose WCS differs onto the first band grid', async () => {
    const dir = join(tmp.dir, 'shifted');
    const gWcs = tanWcs(30, -5, [100.5, 100.5]);
    const sky = wcsOf(gWcs).pixelToWorld(60, 70);
    // Band r: the same sky, its pixel grid shifted by (7, −4) pixels.
    const rWcs = tanWcs(30, -5, [107.5, 96.5]);
    const rPos = wcsOf(rWcs).worldToPixel(...sky);
    writeFits(join(dir, 'f_g.fits'), 200, 200, blob(3, 60, 70), gWcs);
    writeFits(join(dir, 'f_r.fits'), 200, 200, blob(4, rPos[0], rPos[1]), rWcs);
    const catalogue = join(tmp.dir, 'shifted.csv');
    writeFileSync(catalogue, `id,ra,dec\nsrc,${sky[0]},${sky[1]}\n`);
    const p = newProject();
    const s = await ingest(p, [dir], { size: 32, catalogue: { path: catalogue } });
    expect(s).toMatchObject({ ingested: 2, objects: 1 });
    const o = getObjectByUid(p.db, 'f_{g,r}.fits[0]#src')!;
    expect(JSON.parse(o.meta!).flags).toContain('reprojected');
    const px = decodeFloat16(new Uint8Array(getPixels(p.db, o.id)!.pixels!));
    const [x0, y0] = JSON.parse(o.meta!).window as [number, number];
    const [gx, gy] = centroid(px, 2, 0);
    const [rx, ry] = centroid(px, 2, 1);
    expect(Math.abs(gx - (60 - x0))).toBeLessThan(0.1);
    expect(Math.abs(gy - (70 - y0))).toBeLessThan(0.1);
    expect(Math.abs(rx - gx)).toBeLessThan(0.1);
    expect(Math.abs(ry - gy)).toBeLessThan(0.1);
    p.close();
  });
});

describe('other inputs', () => {
  it('ingests JPEG/PNG cutouts as 8-bit objects (RGB → 3 bands, grey → 1)', async () => {
    const dir = join(tmp.dir, 'images');
    mkdirSync(dir, { recursive: true });
    const rgb = Buffer.alloc(100 * 80 * 3);
    for (let i = 0; i < rgb.length; i += 3) [rgb[i], rgb[i + 1], rgb[i + 2]] = [200, 100, 50];
    await sharp(rgb, { raw: { width: 100, height: 80, channels: 3 } })
      .jpeg({ quality: 95 })
      .toFile(join(dir, 'a.jpg'));
    await sharp(Buffer.alloc(40 * 40, 128), { raw: { width: 40, height: 40, channels: 1 } })
      .png()
      .toFile(join(dir, 'b.png'));
    writeFileSync(join(dir, 'c.png'), 'not a png');
    const p = newProject();
    const s = await ingest(p, [dir], { size: 64 });
    expect(s).toMatchObject({ ingested: 2, rejected: 1 });
    expect(s.errors[0]!.reason).toMatch(/cannot be decoded as an image/);
    const a = getObjectByUid(p.db, 'a.jpg')!;
    expect(a).toMatchObject({ bands: 3, pixel_format: 'u8', lo: 0, hi: 255, size: 64 });
    const apx = getPixels(p.db, a.id)!.pixels!;
    expect(apx.byteLength).toBe(64 * 64 * 3);
    // Stored bluest band first, like a g, r, i set: blue (50), green (100), red (200).
    expect(Math.abs(apx[0]! - 50)).toBeLessThan(4);
    expect(Math.abs(apx[1]! - 100)).toBeLessThan(4);
    expect(Math.abs(apx[2]! - 200)).toBeLessThan(4);
    const b = getObjectByUid(p.db, 'b.png')!;
    expect(b.bands).toBe(1);
    expect(getPixels(p.db, b.id)!.pixels!.byteLength).toBe(64 * 64);
    p.close();
  });

  it('reads gzip-compressed FITS (.fits.gz) like plain FITS', async () => {
    const plain = writeFits(join(tmp.dir, 'gz', 'src.fits'), 64, 64, blob(9));
    writeFileSync(join(tmp.dir, 'gz', 'packed.fits.gz'), gzipSync(readFileSync(plain)));
    const p = newProject();
    const s = await ingest(p, [join(tmp.dir, 'gz')]);
    expect(s).toMatchObject({ ingested: 2, rejected: 0, objects: 2 });
    const pixels = (uid: string) => getPixels(p.db, getObjectByUid(p.db, uid)!.id)!.pixels!;
    expect(pixels('packed.fits.gz[0]').equals(pixels('src.fits[0]'))).toBe(true);
    p.close();
  });

  it('averages a cube over its planes into one image', async () => {
    const path = join(tmp.dir, 'cube', 'cube.fits');
    mkdirSync(join(tmp.dir, 'cube'), { recursive: true });
    const [w, h, d] = [32, 32, 3];
    // A 3-D image HDU by hand (the codec's writer makes 2-D images only).
    const card = (key: string, value: string | number) =>
      `${key.padEnd(8)}= ${String(value).padStart(20)}`;
    const cards = [
      card('SIMPLE', 'T'),
      card('BITPIX', -32),
      card('NAXIS', 3),
      card('NAXIS1', w),
      card('NAXIS2', h),
      card('NAXIS3', d),
      'END',
    ];
    const header = Buffer.from(
      cards
        .map((c) => c.padEnd(80))
        .join('')
        .padEnd(2880),
      'latin1',
    );
    const body = Buffer.alloc(Math.ceil((w * h * d * 4) / 2880) * 2880);
    // Plane p holds p everywhere except pixel 5, which is 100 in every plane.
    for (let i = 0; i < w * h * d; i++)
      body.writeFloatBE(i % (w * h) === 5 ? 100 : Math.floor(i / (w * h)), i * 4);
    writeFileSync(path, Buffer.concat([header, body]));
    const p = newProject();
    const s = await ingest(p, [path], { size: 32 });
    expect(s.objects).toBe(1);
    const o = getObjectByUid(p.db, 'cube.fits[0]')!;
    expect(JSON.parse(o.meta!).collapsedPlanes).toBe(3);
    expect(o.lo).toBe(1); // every ordinary pixel averages (0 + 1 + 2) / 3
    p.close();
  });
});

describe('label import', () => {
  it('records round-0 import events, creates classes, and does not duplicate on re-run', async () => {
    const dir = join(tmp.dir, 'labelled');
    for (const name of ['a', 'b', 'c', 'd'])
      writeFits(join(dir, 'sub', `${name}.fits`), 32, 32, blob(name.charCodeAt(0)));
    const labels = join(tmp.dir, 'labels.csv');
    writeFileSync(
      labels,
      'file,label,label_name\nsub/a.fits,0,elliptical\nb.fits,5,merger\nc.fits,0,elliptical\nz.fits,5,merger\n',
    );
    const p = newProject();
    const s = await ingest(p, [dir], {
      size: 32,
      labels: { path: labels, normalClasses: ['elliptical'] },
    });
    expect(s.labels).toEqual({
      imported: 3,
      unmatched: 1,
      classesCreated: ['elliptical', 'merger'],
    });
    expect(s.errors).toEqual([
      { path: labels, reason: 'line 5: no ingested object for file "z.fits"' },
    ]);
    const classes = listClasses(p.db);
    expect(classes.find((c) => c.name === 'merger')).toMatchObject({
      kind: 'anomaly',
      interest: 1,
    });
    expect(classes.find((c) => c.name === 'elliptical')).toMatchObject({
      kind: 'normal',
      interest: 0,
    });
    const history = labelHistory(p.db);
    expect(history).toHaveLength(3);
    for (const e of history)
      expect(e).toMatchObject({ kind: 'import', origin: 'import', round: 0 });
    const again = await ingest(p, [dir], { size: 32, labels: { path: labels } });
    expect(again.labels!.imported).toBe(0);
    expect(labelHistory(p.db)).toHaveLength(3);
    p.close();
  });
});
