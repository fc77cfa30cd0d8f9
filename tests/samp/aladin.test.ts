/**
 * Aladin (Debian's `aladin`, under Xvfb) as a real SAMP peer: it registers with our test hub,
 * subscribes to what we send, and holds what we send it: the catalogue as a plane with every
 * row, the cutout as an image plane of the cutout's size; it answers the point-at. What Aladin
 * holds is read from its script console (aladin.ts), since it does not answer table loads.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src-main/engine/ingest/ingest';
import { SampLink } from '../../src-main/engine/samp';
import { createProject, type Project } from '../../src-main/engine/store';
import { blob, writeFits } from '../ingest/helpers';
import { tempDir } from '../store/helpers';
import {
  aladinAvailable,
  aladinLockfile,
  aladinPlanes,
  aladinReady,
  startAladin,
  stopAladin,
} from './aladin';
import { astropyAvailable, Hub } from './helpers';

const ready = aladinAvailable() && astropyAvailable();
if (!ready && process.env.CI)
  throw new Error('CI must have aladin, xvfb and astropy for this test');

/** Polls until `test` holds for what Aladin lists (its loads finish after the send returns). */
async function until<T>(read: () => Promise<T>, test: (value: T) => boolean, ms = 60_000) {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (test(value) || Date.now() > end) return value;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe.runIf(ready)('Aladin as a SAMP peer', () => {
  const dir = tempDir('ahunt-samp-aladin-');
  const home = join(dir, 'home');
  let project: Project;
  let hub: Hub;
  let aladin: ReturnType<typeof startAladin>;
  let link: SampLink;
  let objectId: number;

  beforeAll(async () => {
    project = createProject(join(dir, 'project'), { name: 'aladin' });
    // A 240 × 180 frame with a TAN WCS and a catalogue of 40 positions on it.
    const wcs = [
      { key: 'CTYPE1', value: 'RA---TAN' },
      { key: 'CTYPE2', value: 'DEC--TAN' },
      { key: 'CRPIX1', value: 120.5 },
      { key: 'CRPIX2', value: 90.5 },
      { key: 'CRVAL1', value: 150.1 },
      { key: 'CRVAL2', value: 2.2 },
      { key: 'CDELT1', value: -0.5 / 3600 },
      { key: 'CDELT2', value: 0.5 / 3600 },
    ];
    writeFits(join(dir, 'field', 'frame.fits'), 240, 180, blob(3, 100, 70), wcs);
    const lines = ['id,x,y'];
    for (let i = 0; i < 40; i++)
      lines.push(`s${i},${30 + (i % 8) * 22},${30 + Math.floor(i / 8) * 25}`);
    writeFileSync(join(dir, 'catalogue.csv'), `${lines.join('\n')}\n`);
    await ingest(project, [join(dir, 'field')], {
      size: 16,
      catalogue: { path: join(dir, 'catalogue.csv'), x: 'x', y: 'y' },
    });
    objectId = (project.db.prepare('SELECT min(id) AS id FROM objects').get() as { id: number }).id;
    hub = await Hub.start(aladinLockfile(home));
    aladin = startAladin(home);
    link = new SampLink(
      project,
      () => {},
      () => ({ size: 16, bands: 1, data: new Float32Array(256) }),
      {
        discovery: { sampHub: hub.sampHub },
        pollMs: 500,
        replyTimeoutMs: 3000,
      },
    );
    await link.connect();
    const peer = await until(
      async () => link.status().peers.find((p) => /aladin/i.test(p.name)),
      (p) => p?.listensTo.includes('table.load.fits') === true,
      150_000,
    );
    expect(peer, `Aladin did not register:\n${aladin.output}`).toBeDefined();
    await aladinReady(aladin);
  }, 180_000);

  afterAll(async () => {
    await link?.close();
    if (aladin) await stopAladin(aladin);
    await hub?.stop();
    project?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('subscribes to tables, images, point-at and highlights', () => {
    const aladinPeer = link.status().peers.find((p) => /aladin/i.test(p.name))!;
    expect(aladinPeer.listensTo).toEqual(
      expect.arrayContaining([
        'table.load.fits',
        'table.load.votable',
        'image.load.fits',
        'coord.pointAt.sky',
        'table.highlight.row',
      ]),
    );
  });

  it('holds the catalogue with every row, sent as a FITS table', async () => {
    const report = await link.send({ what: 'catalogue' });
    expect(report.mtype).toBe('table.load.fits');
    expect(report.rows).toBe(40);
    const planes = await until(
      () => aladinPlanes(aladin),
      (ps) => ps.some((p) => p.type === 'Catalog' && p.objects === 40),
    );
    expect(planes, aladin.output.slice(-2000)).toContainEqual(
      expect.objectContaining({ type: 'Catalog', objects: 40 }),
    );
  }, 90_000);

  it('holds the cutout as an image of its size, and answers the point-at', async () => {
    const report = await link.send({ what: 'cutout', objectId });
    expect(report.sent).toMatch(/in the frame's units, with its WCS/);
    const planes = await until(
      () => aladinPlanes(aladin),
      (ps) => ps.some((p) => p.type === 'Image'),
    );
    expect(planes, aladin.output.slice(-2000)).toContainEqual(
      expect.objectContaining({ type: 'Image', width: 16 }),
    );
    const point = await link.send({ what: 'point', objectId });
    expect(point.recipients).toEqual([expect.objectContaining({ name: 'Aladin', ok: true })]);
  }, 90_000);
});
