/** The preview's original: a JPEG/PNG cutout's own bytes, at their native size (FITS: frame-region.test.ts). */
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { originalImage } from '../../src-main/engine/hunt/original-image';
import { ingest } from '../../src-main/engine/ingest/ingest';
import { createProject } from '../../src-main/engine/store/project';
import { tempDir } from '../store/helpers';
import { syntheticProject } from './synthetic';

describe('the original image of an object', () => {
  it('is the JPEG file itself, untouched by the 64-px tensor', async () => {
    const data = tempDir();
    const file = join(data, 'galaxy.jpeg');
    const pixels = Buffer.alloc(300 * 200 * 3, 90);
    await sharp(pixels, { raw: { width: 300, height: 200, channels: 3 } })
      .jpeg()
      .toFile(file);
    const project = createProject(tempDir());
    await ingest(project, [data], { workers: 0, size: 64 });
    const original = await originalImage(project.db, 1);
    expect(original.kind).toBe('image');
    if (original.kind !== 'image') return;
    expect(original.mime).toBe('image/jpeg');
    const bytes = Buffer.from(original.dataUrl.replace(/^data:image\/jpeg;base64,/, ''), 'base64');
    expect(bytes.equals(readFileSync(file))).toBe(true);
    expect((await sharp(bytes).metadata()).width).toBe(300);

    // Moved away: a sentence, not an error.
    renameSync(file, `${file}.moved`);
    const gone = await originalImage(project.db, 1);
    expect(gone).toMatchObject({ kind: 'none', reason: expect.stringMatching(/is gone/) });
    await expect(originalImage(project.db, 99)).rejects.toThrow(/no object 99/);
    project.close();
  });

  it('says why there is none for sources that are not JPEG, PNG or FITS', async () => {
    const { project } = syntheticProject(tempDir(), 12, 2);
    expect(await originalImage(project.db, 1)).toMatchObject({ kind: 'none' });
    project.close();
  });
});
