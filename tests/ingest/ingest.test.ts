import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src-main/engine/ingest/ingest';
import { getObjectByUid, getPixels } from '../../src-main/engine/store/objects';
import { createProject, type Project } from '../../src-main/engine/store/project';
import { findSource, listIngestErrors } from '../../src-main/engine/store/sources';
import { decodeFloat16 } from '../../src-main/engine/store/pixels';
import { blob, tanWcs, tempDir, writeFits } from './helpers';

const tmp = tempDir();
afterAll(tmp.cleanup);
let projects = 0;
function newProject(): Project {
  return createProject(join(tmp.dir, `project-${++projects}`));
}
const count = (p: Project, sql: string) => (p.db.prepare(sql).get() as { n: number }).n;

/** n cutouts of 64×64 with a WCS centred on each, in `dir`. */
function writeCutouts(dir: string, n: number): string {
  for (let i = 0; i < n; i++) {
    writeFits(
      join(dir, `obj-${String(i).padStart(3, '0')}.fits`),
      64,
      64,
      blob(i),
      tanWcs(150 + i / 100, 2, [32.5, 32.5]),
    );
  }
  return dir;
}

describe('ingesting FITS cutouts', () => {
  const survey = writeCutouts(join(tmp.dir, 'cutouts'), 5);
  writeFileSync(join(survey, 'broken.fits'), 'this is not a FITS file at all');
  const good = readFileSync(join(survey, 'obj-000.fits'));
  writeFileSync(join(survey, 'truncated.fits'), good.subarray(0, 2880 + 1000));

  it('stores one normalised float16 object per file, records bad files and goes on', async () => {
    const p = newProject();
    const s = await ingest(p, [survey], { workers: 0 });
    expect(s).toMatchObject({ ingested: 5, rejected: 2, skipped: 0, objects: 5, cancelled: false });
    expect(s.errors.map((e) => e.path.split('/').pop()).sort()).toEqual([
      'broken.fits',
      'truncated.fits',
    ]);
    for (const e of s.errors) expect(e.reason.length).toBeGreaterThan(10);
    expect(listIngestErrors(p.db)).toHaveLength(2);
    // Ingest leaves the connection as the store set it: NORMAL, automatic checkpoints on.
    expect(p.db.pragma('synchronous', { simple: true })).toBe(1);
    expect(p.db.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    expect(count(p, "SELECT count(*) n FROM sources WHERE status = 'rejected'")).toBe(2);

    const o = getObjectByUid(p.db, 'obj-003.fits[0]')!;
    expect(o).toMatchObject({ bands: 1, size: 64, pixel_format: 'f16', hdu: 0, x: 31.5, y: 31.5 });
    // CRPIX 32.5 (1-based) is the centre pixel 31.5 (0-based), so the centre is CRVAL.
    expect(o.ra).toBeCloseTo(150.03, 9);
    expect(o.dec).toBeCloseTo(2, 9);
    const px = getPixels(p.db, o.id)!;
    expect(px.pixels!.byteLength).toBe(64 * 64 * 2);
    const values = decodeFloat16(new Uint8Array(px.pixels!));
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(1);
    // The blob's peak is the brightest stored pixel.
    expect(values.indexOf(1)).toBe(31 * 64 + 31);
    const meta = JSON.parse(o.meta!);
    expect(meta).toMatchObject({ file: 'obj-003.fits', stretch: 'asinh' });
    expect(meta.scales[0].lo).toBe(o.lo);
    expect(o.lo!).toBeGreaterThan(90);
    expect(o.hi!).toBeGreaterThan(500);
    p.close();
  });

  it('skips unchanged files on a re-run and redoes a touched one without duplicating objects', async () => {
    const p = newProject();
    await ingest(p, [survey], { workers: 0 });
    // The stamp recorded is the decoded file's own (the scan lists names only).
    const one = join(survey, 'obj-001.fits');
    const info = statSync(one);
    expect(findSource(p.db, one)).toMatchObject({
      size: info.size,
      mtime_ms: Math.trunc(info.mtimeMs),
    });
    const again = await ingest(p, [survey], { workers: 0 });
    expect(again).toMatchObject({ ingested: 0, skipped: 5, rejected: 2, objects: 0 });
    utimesSync(join(survey, 'obj-001.fits'), new Date(), new Date(Date.now() + 5000));
    const touched = await ingest(p, [join(survey, 'obj-001.fits')], { workers: 0 });
    expect(touched).toMatchObject({ ingested: 1, skipped: 0 });
    expect(count(p, 'SELECT count(*) n FROM objects')).toBe(5);
    p.close();
  });
});

describe('resumability and cancellation', () => {
  const survey = writeCutouts(join(tmp.dir, 'many'), 60);

  it('an aborted run plus a re-run equals one clean run, with no duplicates', async () => {
    const clean = newProject();
    const reference = await ingest(clean, [survey], { workers: 0, batchFiles: 8 });
    expect(reference.ingested).toBe(60);

    const p = newProject();
    const controller = new AbortController();
    const first = await ingest(p, [survey], {
      workers: 0,
      batchFiles: 8,
      signal: controller.signal,
      onProgress: (q) => {
        if (q.done >= 16) controller.abort();
      },
    });
    expect(first.cancelled).toBe(true);
    expect(first.ingested).toBeGreaterThanOrEqual(16);
    expect(first.ingested).toBeLessThan(60);
    // Whole batches only: every object belongs to a source marked ingested, none pending.
    expect(count(p, 'SELECT count(*) n FROM objects')).toBe(first.ingested);
    expect(count(p, "SELECT count(*) n FROM sources WHERE status != 'ingested'")).toBe(0);

    const second = await ingest(p, [survey], { workers: 0, batchFiles: 8 });
    expect(second.skipped).toBe(first.ingested);
    expect(first.ingested + second.ingested).toBe(60);
    const objects = (q: Project) =>
      q.db.prepare('SELECT uid, hex(pixels) h FROM objects ORDER BY uid').all();
    expect(objects(p)).toEqual(objects(clean));
    p.close();
    clean.close();
  });

  it('decodes in worker threads (from TypeScript sources, bundled for the thread) with the same result', async () => {
    const inline = newProject();
    await ingest(inline, [survey], { workers: 0 });
    const threaded = newProject();
    const progress: number[] = [];
    const s = await ingest(threaded, [survey], {
      workers: 2,
      batchFiles: 10,
      onProgress: (q) => progress.push(q.done),
    });
    expect(s).toMatchObject({ ingested: 60, rejected: 0, objects: 60 });
    expect(progress.at(-1)).toBe(60);
    expect(progress.length).toBeGreaterThan(3);
    const rows = (q: Project) =>
      q.db.prepare('SELECT uid, hex(pixels) h, ra, dec FROM objects ORDER BY id').all();
    expect(rows(threaded)).toEqual(rows(inline));
    inline.close();
    threaded.close();
  });

  it('returns at once, writing nothing, when the signal is already aborted', async () => {
    const p = newProject();
    const s = await ingest(p, [survey], { signal: AbortSignal.abort() });
    expect(s).toMatchObject({ cancelled: true, ingested: 0 });
    expect(count(p, 'SELECT count(*) n FROM objects')).toBe(0);
    p.close();
  });
});
