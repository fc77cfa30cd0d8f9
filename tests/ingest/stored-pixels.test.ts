import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupUnits } from '../../src-main/engine/ingest/bands';
import { decodeChunk } from '../../src-main/engine/ingest/decode';
import type { DecodeSettings } from '../../src-main/engine/ingest/messages';
import { makeChunks } from '../../src-main/engine/ingest/plan';
import { scanPaths } from '../../src-main/engine/ingest/scan';
import { decodeFloat16 } from '../../src-main/engine/store/pixels';
import { blob, repoRoot, tempDir, writeFits } from './helpers';

const settings: DecodeSettings = { size: 64, layout: 'auto', hdu: null, catalogue: null };

async function decodeFolder(dir: string) {
  const units = groupUnits(await scanPaths([dir]), 'auto');
  const results = [];
  for (const job of makeChunks(units, 256, 1)) results.push(await decodeChunk(job, settings));
  return results;
}

describe('stored pixels', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('stay bit-identical for the fixture files (pixels and scales as first shipped)', async () => {
    // Pinned from the decoder before its speed-ups (quickselect copy, read buffer, pixel
    // sink reuse): a faster ingest must store exactly the same float16 values and scales.
    const hash = createHash('sha256');
    let objects = 0;
    for (const result of await decodeFolder(join(repoRoot, 'tests/fixtures/fits'))) {
      hash.update(new Uint8Array(result.pixels));
      for (const outcome of result.outcomes) {
        for (const o of outcome.objects) hash.update(JSON.stringify([o.uid, o.meta.scales]));
        objects += outcome.objects.length;
      }
    }
    expect(objects).toBe(23);
    expect(hash.digest('hex')).toBe(
      '436866e75388cb6d8953acbdd05ea0e63ce2f3efb63a169f03fe92d859c832cd',
    );
  });

  it('reads a file whole when it changed size after the scan', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const small = writeFits(join(t.dir, 'a.fits'), 64, 64, blob(1));
    const grown = writeFits(join(t.dir, 'b.fits'), 64, 64, blob(2));
    const units = groupUnits(await scanPaths([t.dir]), 'auto');
    // After the scan: a.fits shrinks to a 32 × 32 image, b.fits grows to 96 × 96.
    writeFits(small, 32, 32, blob(3, 15.5, 15.5));
    writeFits(grown, 96, 96, blob(4, 47.5, 47.5));
    const decoded = [];
    for (const job of makeChunks(units, 256, 1)) decoded.push(await decodeChunk(job, settings));
    const objects = decoded.flatMap((r) =>
      r.outcomes.map((o) => {
        expect(o.rejected).toBeNull();
        const object = o.objects[0]!;
        const pixels = decodeFloat16(
          r.pixels.subarray(object.offset, object.offset + object.length),
        );
        return { meta: object.meta, pixels };
      }),
    );
    expect(objects.map((o) => o.meta.resizedFrom)).toEqual([
      [32, 32],
      [96, 96],
    ]);
    // Each object's pixels are its own file's, not another file's left in a reused buffer.
    expect(objects[0]!.pixels).not.toEqual(objects[1]!.pixels);
  });
});
