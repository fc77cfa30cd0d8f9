import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ClusterScoringError,
  readWorkList,
  recutObjects,
  type WorkRow,
} from '../../src-main/engine/cluster';
import sharp from 'sharp';
import { projectImageShape } from '../../src-main/engine/hunt/images';
import { ingest } from '../../src-main/engine/ingest';
import { loadImages } from '../../src-main/engine/store/image-batches';
import { createProject, type Project } from '../../src-main/engine/store';
import { objectIdOfUid } from '../../src-main/engine/store/uids';
import { blob, writeFits } from '../ingest/helpers';
import { exportObjectList, ingestSurvey, SMALL, writeSurvey, type Survey } from './survey';

// "One normalisation, not two": a cluster worker cuts each object from its source file again
// with ingest's own code. These tests hold it to the strictest standard there is: the float32
// values it hands the model equal, bit for bit, what a local round reads from the project.

describe('cutting objects again on a worker, from the object list', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ahunt-recut-'));
  let survey: Survey;
  let project: Project;
  let rows: WorkRow[];
  beforeAll(async () => {
    survey = writeSurvey(join(scratch, 'survey'), SMALL);
    project = await ingestSurvey(join(scratch, 'project'), survey, SMALL.size);
    rows = readWorkList(exportObjectList(project, join(scratch, 'objects.csv')));
  });
  afterAll(() => {
    project.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Every row's recut pixels against the stored ones; returns how many objects compared. */
  async function compare(list: WorkRow[], maxBatch?: number): Promise<number> {
    const shape = { size: SMALL.size, bands: 1 };
    let compared = 0;
    for await (const batch of recutObjects(list, shape.size, shape.bands, maxBatch)) {
      if (maxBatch) expect(batch.rows.length).toBeLessThanOrEqual(maxBatch);
      const ids = batch.rows.map((r) => objectIdOfUid(project.db, r.uid)!);
      const stored = loadImages(project.db, ids, shape);
      expect(new Uint32Array(batch.data.buffer)).toEqual(new Uint32Array(stored.data.buffer));
      compared += batch.rows.length;
    }
    return compared;
  }

  it('gives the very float32 bits ingest stored, for grid tiles, catalogue windows and whole images', async () => {
    expect(rows.length).toBe(survey.objects);
    const uids = rows.map((r) => r.uid);
    // All three cuts are in the list: catalogue (#id, edge ones padded), grid (@x0,y0) and whole.
    expect(uids.filter((u) => u.includes('#')).length).toBeGreaterThan(100);
    expect(uids.filter((u) => u.includes('@')).length).toBeGreaterThan(10);
    expect(uids.filter((u) => /\]$/.test(u)).length).toBe(SMALL.cutouts);
    expect(await compare(rows)).toBe(rows.length);
  });

  it('cuts any slice of the list in any order (a part of the job holds some objects of a frame)', async () => {
    const slice = rows.filter((_, i) => i % 7 === 3).reverse();
    expect(await compare(slice)).toBe(slice.length);
    // A frame's objects handed out in several batches.
    expect(await compare(rows, 50)).toBe(rows.length);
  });

  it('finds the files where the survey lies on the worker (--path-map)', async () => {
    const moved = join(scratch, 'elsewhere');
    mkdirSync(join(moved, 'cutouts'), { recursive: true });
    copyFileSync(join(survey.root, 'cutouts', 'obj-0.fits'), join(moved, 'cutouts', 'obj-0.fits'));
    const list = join(scratch, 'moved.csv');
    const row = rows.find((r) => r.uid.startsWith('obj-0.fits'))!;
    writeFileSync(list, `uid,source,hdu\n${row.uid},${row.source},0\n`);
    const mapped = readWorkList(list, [[survey.root, moved]]);
    expect(mapped[0]!.source).toBe(join(moved, 'cutouts', 'obj-0.fits'));
    expect(await compare(mapped)).toBe(1);
  });

  it('says which line is wrong when the list does not describe the files', async () => {
    const row = rows.find((r) => r.uid.includes('#'))!;
    const tile = rows.find((r) => r.uid.includes('@'))!;
    const cases: [WorkRow, RegExp][] = [
      // Not a tile of the grid ingest cut (its origins are multiples of the size).
      [{ ...tile, uid: tile.uid.replace(/@\d+,/, '@5,') }, /is not among the objects ingest cuts/],
      [{ ...row, hdu: 3 }, /its uid is not "<file>\[3\]…"/],
      [{ ...row, x: null }, /needs its x and y/],
      [
        { ...row, source: join(scratch, 'gone', 'frame-0.fits') },
        /is not on this worker;.*--path-map/,
      ],
      [{ ...row, source: join(scratch, 'objects.csv') }, /not a FITS, JPEG or PNG file/],
    ];
    for (const [bad, message] of cases) {
      const run = async () => {
        for await (const batch of recutObjects([bad], SMALL.size, 1)) void batch;
      };
      await expect(run()).rejects.toThrow(ClusterScoringError);
      await expect(run()).rejects.toThrow(message);
    }
  });
});

describe('cutting band sets and JPEG/PNG cutouts again', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'ahunt-recut-bands-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** Ingests `paths` into a new project, then recuts every object and compares bit patterns. */
  async function roundTrip(
    name: string,
    paths: string[],
    options: Parameters<typeof ingest>[2],
  ): Promise<string[]> {
    const project = createProject(join(scratch, name));
    try {
      const summary = await ingest(project, paths, options);
      expect(summary.rejected).toBe(0);
      const rows = readWorkList(exportObjectList(project, join(scratch, `${name}.csv`)));
      const shape = projectImageShape(project.db)!;
      for await (const batch of recutObjects(rows, shape.size, shape.bands)) {
        const ids = batch.rows.map((r) => objectIdOfUid(project.db, r.uid)!);
        const stored = loadImages(project.db, ids, shape);
        expect(new Uint32Array(batch.data.buffer)).toEqual(new Uint32Array(stored.data.buffer));
      }
      return rows.map((r) => r.uid);
    } finally {
      project.close();
    }
  }

  it('finds every band of a set beside the first, for whole cutouts and gridded frames', async () => {
    const dir = join(scratch, 'bands');
    for (const [band, seed] of [
      ['g', 1],
      ['r', 2],
    ] as const) {
      writeFits(join(dir, 'cutouts', `m51_${band}.fits`), 20, 20, blob(seed, 9.5, 9.5));
      writeFits(join(dir, 'frames', `field_${band}.fits`), 48, 48, blob(seed + 5, 20, 30));
    }
    const cut = await roundTrip('cutout-bands', [join(dir, 'cutouts')], { size: 16 });
    expect(cut).toEqual(['m51_{g,r}.fits[0]']);
    const grid = await roundTrip('grid-bands', [join(dir, 'frames')], {
      size: 16,
      layout: 'grid',
    });
    expect(grid).toHaveLength(9);
    expect(grid[0]).toMatch(/^field_\{g,r\}\.fits\[0\]@0,0\/16$/);
  });

  it('decodes JPEG and PNG cutouts as ingest did (8-bit, RGB as three bands)', async () => {
    const dir = join(scratch, 'images', 'night 1');
    mkdirSync(dir, { recursive: true });
    const rgb = Buffer.alloc(50 * 40 * 3);
    for (let i = 0; i < rgb.length; i++) rgb[i] = (i * 37) % 251;
    await sharp(rgb, { raw: { width: 50, height: 40, channels: 3 } })
      .jpeg({ quality: 90 })
      .toFile(join(dir, 'a.jpg'));
    await sharp(rgb, { raw: { width: 50, height: 40, channels: 3 } })
      .png()
      .toFile(join(dir, 'b.png'));
    const uids = await roundTrip('images', [join(scratch, 'images')], { size: 16 });
    expect(uids.sort()).toEqual(['night 1/a.jpg', 'night 1/b.png']);
  });
});
