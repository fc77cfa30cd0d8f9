import { mkdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingest } from '../../src-main/engine/ingest/ingest';
import { getObjectByUid, getPixels } from '../../src-main/engine/store/objects';
import { createProject, type Project } from '../../src-main/engine/store/project';
import { findSource } from '../../src-main/engine/store/sources';
import { blob, tempDir, writeFits } from './helpers';

// Finding 2 of issue 19: a later ingest must never claim objects it did not write, a file
// reached through a link is the same source, and a changed file is never kept silently.
const tmp = tempDir();
afterAll(tmp.cleanup);
let projects = 0;
const newProject = (): Project => createProject(join(tmp.dir, `project-${++projects}`));
const uids = (p: Project) =>
  (p.db.prepare('SELECT uid FROM objects ORDER BY id').all() as { uid: string }[]).map(
    (r) => r.uid,
  );
const objectCount = (p: Project) =>
  (p.db.prepare('SELECT count(*) AS n FROM objects').get() as { n: number }).n;

describe('source identity and uid collisions', () => {
  const night1 = writeFits(join(tmp.dir, 'night1', 'frame.fits'), 32, 32, blob(1, 15.5, 15.5));
  const night2 = writeFits(join(tmp.dir, 'night2', 'frame.fits'), 32, 32, blob(2, 10, 20));

  it('gives a second file of the same name its own objects, and counts only rows written', async () => {
    const p = newProject();
    const first = await ingest(p, [night1], { workers: 0, size: 32 });
    expect(first).toMatchObject({ ingested: 1, objects: 1, rejected: 0 });
    const second = await ingest(p, [night2], { workers: 0, size: 32 });
    expect(second).toMatchObject({ ingested: 1, objects: 1, rejected: 0 });
    expect(objectCount(p)).toBe(2);
    expect(uids(p)).toEqual(['frame.fits[0]', 'night2/frame.fits[0]']);
    // Each object holds its own file's pixels, under its own source.
    const a = getObjectByUid(p.db, 'frame.fits[0]')!;
    const b = getObjectByUid(p.db, 'night2/frame.fits[0]')!;
    expect(a.source_path).toBe(night1);
    expect(b.source_path).toBe(night2);
    expect(getPixels(p.db, a.id)!.pixels!.equals(getPixels(p.db, b.id)!.pixels!)).toBe(false);
    // A re-run of both skips both and writes nothing.
    const again = await ingest(p, [night1, night2], { workers: 0, size: 32 });
    expect(again).toMatchObject({ ingested: 0, skipped: 2, objects: 0 });
    expect(objectCount(p)).toBe(2);
    p.close();
  });

  it('names a frame anew as a whole when only a later tile of it collides', async () => {
    // night3's first tile is blank (so it is no object): night4's first tile is free, its
    // second is not, and the tiles already written under the shared name are taken back.
    const a = writeFits(join(tmp.dir, 'night3', 'tiles.fits'), 32, 32, (x, y) =>
      x < 16 && y < 16 ? NaN : blob(8)(x, y),
    );
    const b = writeFits(join(tmp.dir, 'night4', 'tiles.fits'), 32, 32, blob(9));
    const p = newProject();
    const options = { workers: 0, size: 16, layout: 'grid' as const };
    expect(await ingest(p, [a], options)).toMatchObject({ objects: 3 });
    expect(await ingest(p, [b], options)).toMatchObject({ objects: 4 });
    const names = uids(p);
    expect(names).toHaveLength(7);
    expect(names.filter((u) => u.startsWith('tiles.fits[0]@'))).toHaveLength(3);
    expect(names.filter((u) => u.startsWith('night4/tiles.fits[0]@'))).toHaveLength(4);
    p.close();
  });

  it('keeps both when two folders of one run hold the same names', async () => {
    const p = newProject();
    const s = await ingest(p, [join(tmp.dir, 'night1'), join(tmp.dir, 'night2')], {
      workers: 0,
      size: 32,
    });
    expect(s).toMatchObject({ ingested: 2, objects: 2 });
    expect(objectCount(p)).toBe(2);
    p.close();
  });

  it('ingests a file reached through a symbolic link once, as the same source', async () => {
    const link = join(tmp.dir, 'linked-night1');
    symlinkSync(join(tmp.dir, 'night1'), link);
    const p = newProject();
    const both = await ingest(p, [join(tmp.dir, 'night1'), link, join(link, 'frame.fits')], {
      workers: 0,
      size: 32,
    });
    expect(both).toMatchObject({ ingested: 1, objects: 1 });
    const later = await ingest(p, [link], { workers: 0, size: 32 });
    expect(later).toMatchObject({ ingested: 0, skipped: 1, objects: 0 });
    expect(objectCount(p)).toBe(1);
    expect(findSource(p.db, night1)).toMatchObject({ status: 'ingested' });
    p.close();
  });
});

describe('a project ingested before sources were keyed by real path', () => {
  it('still skips a file it knows under the linked path it was ingested through', async () => {
    const real = writeFits(join(tmp.dir, 'legacy-real', 'old.fits'), 32, 32, blob(10));
    symlinkSync(join(tmp.dir, 'legacy-real'), join(tmp.dir, 'legacy-link'));
    const linked = join(tmp.dir, 'legacy-link', 'old.fits');
    const p = newProject();
    await ingest(p, [real], { workers: 0, size: 32 });
    // What an earlier version recorded: the path as walked, through the link.
    p.db.prepare('UPDATE sources SET path = ? WHERE path = ?').run(linked, real);
    const again = await ingest(p, [join(tmp.dir, 'legacy-link')], { workers: 0, size: 32 });
    expect(again).toMatchObject({ skipped: 1, ingested: 0, objects: 0 });
    expect(objectCount(p)).toBe(1);
    p.close();
  });
});

describe('a file changed since it was ingested', () => {
  it('is refused with a reason when its pixels differ, and its earlier objects are kept', async () => {
    const file = writeFits(join(tmp.dir, 'changing', 'm51.fits'), 32, 32, blob(3));
    const p = newProject();
    await ingest(p, [file], { workers: 0, size: 32 });
    const before = getObjectByUid(p.db, 'm51.fits[0]')!;
    const pixels = Buffer.from(getPixels(p.db, before.id)!.pixels!);
    const row = findSource(p.db, file)!;

    writeFits(file, 32, 32, blob(4)); // re-reduced: other pixels
    utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    for (let run = 0; run < 2; run++) {
      const s = await ingest(p, [file], { workers: 0, size: 32 });
      expect(s).toMatchObject({ ingested: 0, skipped: 0, rejected: 1, objects: 0 });
      expect(s.errors[0]!.reason).toMatch(/has changed since it was ingested.*pixels differ/);
      expect(s.errors[0]!.reason).toMatch(/copy it under another name/);
    }
    expect(objectCount(p)).toBe(1);
    expect(getPixels(p.db, before.id)!.pixels!.equals(pixels)).toBe(true);
    expect(findSource(p.db, file)).toEqual(row);
    p.close();
  });

  it('only has its stamp updated when it was touched but its pixels are the same', async () => {
    const file = writeFits(join(tmp.dir, 'touched', 'm82.fits'), 32, 32, blob(5));
    const p = newProject();
    await ingest(p, [file], { workers: 0, size: 32 });
    writeFileSync(file, readFileSync(file)); // copied back: same bytes, new time
    utimesSync(file, new Date(), new Date(Date.now() + 10_000));
    const s = await ingest(p, [file], { workers: 0, size: 32 });
    expect(s).toMatchObject({ ingested: 1, rejected: 0, objects: 0 });
    expect(objectCount(p)).toBe(1);
    const again = await ingest(p, [file], { workers: 0, size: 32 });
    expect(again).toMatchObject({ skipped: 1 });
    p.close();
  });

  it('is compared as a band set member too', async () => {
    const dir = join(tmp.dir, 'bands');
    mkdirSync(dir, { recursive: true });
    for (const band of ['g', 'r']) writeFits(join(dir, `x_${band}.fits`), 32, 32, blob(6));
    const p = newProject();
    expect(await ingest(p, [dir], { workers: 0, size: 32 })).toMatchObject({ objects: 1 });
    writeFits(join(dir, 'x_r.fits'), 32, 32, blob(7));
    utimesSync(join(dir, 'x_r.fits'), new Date(), new Date(Date.now() + 10_000));
    const s = await ingest(p, [dir], { workers: 0, size: 32 });
    expect(s).toMatchObject({ rejected: 2, objects: 0 });
    expect(s.errors[0]!.reason).toMatch(/^x_r\.fits: has changed/);
    p.close();
  });
});
