/**
 * What the window's ingest form asks before committing: a CSV's columns with ingest's guesses,
 * and the first cutouts a frame + catalogue would give, decoded as ingest decodes them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectTable, previewIngest } from '../../src-main/engine/ingest/preview';
import { blob, tempDir, writeFits } from './helpers';

const tmp = tempDir();
afterAll(tmp.cleanup);

describe('ingest preview', () => {
  const frame = join(tmp.dir, 'frame.fits');
  writeFits(frame, 128, 128, blob(1, 40, 40));
  const catalogue = join(tmp.dir, 'positions.csv');
  writeFileSync(catalogue, 'source,px,py,flux\nA,40,40,1.5\nB,90,100,0.2\nC,20,110,0.3\n');

  it('lists a table’s columns, first rows and the guessed roles', () => {
    const t = inspectTable(catalogue);
    expect(t.columns).toEqual(['source', 'px', 'py', 'flux']);
    expect(t.rows).toBe(3);
    expect(t.sample[0]).toEqual(['A', '40', '40', '1.5']);
    // None of these names is one ingest knows: the user maps them in the form.
    expect(t.guess).toMatchObject({ id: null, ra: null, x: null });
    expect(() => inspectTable(join(tmp.dir, 'missing.csv'))).toThrow(/does not exist/);
  });

  it('cuts the first few objects out of a frame with the mapped columns, writing nothing', async () => {
    const preview = await previewIngest(
      [frame],
      { size: 16, catalogue: { path: catalogue, id: 'source', x: 'px', y: 'py' } },
      2,
    );
    expect(preview.files).toBe(1);
    expect(preview.cutouts.map((c) => c.uid)).toEqual(['frame.fits[0]#A', 'frame.fits[0]#B']);
    const first = preview.cutouts[0]!;
    expect(first.pixels).toHaveLength(16 * 16);
    // The blob is centred on A: its centre is the brightest part of the cutout.
    const centre = first.pixels[8 * 16 + 8]!;
    expect(centre).toBeGreaterThan(first.pixels[0]!);
    await expect(
      previewIngest([frame], { size: 16, catalogue: { path: catalogue, x: 'nope', y: 'py' } }, 2),
    ).rejects.toThrow(/has no column "nope"/);
  });
});
