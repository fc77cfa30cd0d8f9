import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupUnits } from '../../src-main/engine/ingest/bands';
import { decodeChunk } from '../../src-main/engine/ingest/decode';
import type { ChunkResult, DecodeSettings } from '../../src-main/engine/ingest/messages';
import { keepBuffer, PixelSink } from '../../src-main/engine/ingest/pixel-sink';
import { makeChunks } from '../../src-main/engine/ingest/plan';
import { scanPaths } from '../../src-main/engine/ingest/scan';
import { blob, tempDir, writeFits } from './helpers';

const settings: DecodeSettings = { size: 64, layout: 'auto', hdu: null, catalogue: null };

async function decodeFolder(dir: string): Promise<ChunkResult[]> {
  const units = groupUnits(await scanPaths([dir]), 'auto');
  const results = [];
  for (const job of makeChunks(units, 256, 1)) results.push(await decodeChunk(job, settings));
  return results;
}

/** Bytes the objects of a chunk say they use: the chunk's pixels must be exactly these. */
function objectBytes(result: ChunkResult): number {
  let end = 0;
  for (const outcome of result.outcomes)
    for (const o of outcome.objects) end = Math.max(end, o.offset + o.length);
  return end;
}

describe('pixel sink', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('hands over exactly the written bytes, and packs the next chunk into a handed-back buffer', () => {
    const halves = new PixelSink();
    halves.reserveHalves(4).halves.set([1, 2, 3, 4]);
    const first = halves.finish();
    expect(Array.from(new Uint16Array(first.buffer, first.byteOffset, 2))).toEqual([1, 2]);
    expect(first.byteLength).toBe(8);

    const grown = new PixelSink();
    grown.add(new Uint8Array(1 << 20).fill(7));
    grown.add(new Uint8Array([9, 8, 7]));
    const big = grown.finish();
    expect(big.byteLength).toBe((1 << 20) + 3);
    expect(Array.from(big.subarray(-4))).toEqual([7, 9, 8, 7]);

    // The writer hands the first buffer back: the next sink packs into it; a sink working
    // at the same time gets a buffer of its own.
    keepBuffer(first.buffer);
    const reusing = new PixelSink();
    const concurrent = new PixelSink();
    reusing.add(new Uint8Array([5]));
    concurrent.add(new Uint8Array([6]));
    const again = reusing.finish();
    expect(again.buffer).toBe(first.buffer);
    expect(concurrent.finish().buffer).not.toBe(first.buffer);
    expect(Array.from(again)).toEqual([5]);
  });

  it('gives each chunk exactly the bytes of its objects, with frames and rejected files too', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    for (let i = 0; i < 3; i++) writeFits(join(t.dir, `c${i}.fits`), 64, 64, blob(i));
    const cutouts = await decodeFolder(t.dir);
    for (const chunk of cutouts) expect(objectBytes(chunk)).toBe(chunk.pixels.byteLength);
    expect(cutouts.reduce((sum, chunk) => sum + chunk.pixels.byteLength, 0)).toBe(3 * 64 * 64 * 2);

    writeFits(join(t.dir, 'frame.fits'), 128, 128, blob(9, 60, 60));
    writeFits(join(t.dir, 'tiny.fits'), 4, 4, blob(8));
    const mixed = await decodeFolder(t.dir);
    const outcomes = mixed.flatMap((chunk) => chunk.outcomes);
    expect(outcomes.filter((o) => o.rejected !== null)).toHaveLength(1);
    expect(outcomes.flatMap((o) => o.objects)).toHaveLength(3 + 4);
    for (const chunk of mixed) expect(objectBytes(chunk)).toBe(chunk.pixels.byteLength);
  });
});
