import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupUnits } from '../../src-main/engine/ingest/bands';
import { decodeChunk } from '../../src-main/engine/ingest/decode';
import type { ChunkResult, DecodeSettings } from '../../src-main/engine/ingest/messages';
import { PixelSink } from '../../src-main/engine/ingest/pixel-sink';
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

/** Bytes the objects of a chunk say they use: the buffer must hold exactly these. */
function objectBytes(result: ChunkResult): number {
  let end = 0;
  for (const outcome of result.outcomes)
    for (const o of outcome.objects) end = Math.max(end, o.offset + o.length);
  return end;
}

describe('pixel sink', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  it('hands over exactly the written bytes, whether or not the size was foreseen', () => {
    const foreseen = new PixelSink(8);
    foreseen.reserveHalves(4).halves.set([1, 2, 3, 4]);
    expect(Array.from(new Uint16Array(foreseen.finish()))).toEqual([1, 2, 3, 4]);

    const missed = new PixelSink(8);
    missed.reserveHalves(3).halves.set([5, 6, 7]);
    expect(Array.from(new Uint16Array(missed.finish()))).toEqual([5, 6, 7]);

    const grown = new PixelSink(4);
    grown.reserveHalves(5).halves.set([1, 2, 3, 4, 5]);
    expect(Array.from(new Uint16Array(grown.finish()))).toEqual([1, 2, 3, 4, 5]);

    const unknown = new PixelSink();
    unknown.add(new Uint8Array([9, 8, 7]));
    expect(Array.from(new Uint8Array(unknown.finish()))).toEqual([9, 8, 7]);
  });

  it('sizes a chunk of cutouts exactly, and still does with frames and rejected files', async () => {
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
