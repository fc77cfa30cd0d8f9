import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { groupUnits } from '../../src-main/engine/ingest/bands';
import { decodeChunk } from '../../src-main/engine/ingest/decode';
import type { Decoder } from '../../src-main/engine/ingest/decoder';
import type { ChunkResult, DecodeSettings } from '../../src-main/engine/ingest/messages';
import { makeChunks } from '../../src-main/engine/ingest/plan';
import { pumpChunks } from '../../src-main/engine/ingest/pump';
import { scanPaths } from '../../src-main/engine/ingest/scan';
import { blob, tempDir, writeFits } from './helpers';

const settings: DecodeSettings = { size: 64, layout: 'auto', hdu: null, catalogue: null };
const CUTOUT_BYTES = 64 * 64 * 2;

describe('chunk pixel bound', () => {
  let cleanup = () => {};
  afterEach(() => cleanup());

  async function survey(count: number) {
    const t = tempDir();
    cleanup = t.cleanup;
    for (let i = 0; i < count; i++)
      writeFits(join(t.dir, `c${i}.fits`), 64, 64, blob(i + 1, 20 + i, 30));
    return groupUnits(await scanPaths([t.dir]), 'auto');
  }

  it('ends a chunk after the unit that fills it, never before its first unit', async () => {
    const [job] = makeChunks(await survey(5), 256, 1);
    const two = await decodeChunk(job!, settings, 2 * CUTOUT_BYTES);
    expect(two.outcomes.map((o) => o.index)).toEqual([0, 1]);
    expect(two.pixels.byteLength).toBe(2 * CUTOUT_BYTES);
    const one = await decodeChunk(job!, settings, 1);
    expect(one.outcomes).toHaveLength(1);
  });

  it('pumps the rest of an early-ended chunk before the next chunk, with the same pixels', async () => {
    const units = await survey(7);
    const jobs = makeChunks(units, 4, 0); // 4 + 3 files
    expect(jobs.map((j) => j.units.length)).toEqual([4, 3]);
    const whole = await Promise.all(jobs.map((j) => decodeChunk(j, settings)));
    const bounded: Decoder = {
      capacity: 2,
      decode: (job) => decodeChunk(job, settings, 2 * CUTOUT_BYTES),
      release: () => {},
      close: async () => {},
    };
    const written: ChunkResult[] = [];
    const cancelled = await pumpChunks(bounded, jobs, undefined, (r) => written.push(r));
    expect(cancelled).toBe(false);
    // Each result holds at most two cutouts; together they are every unit once, in order.
    expect(written.map((r) => r.outcomes.length)).toEqual([2, 2, 2, 1]);
    expect(written.flatMap((r) => r.outcomes.map((o) => o.index))).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const pixels = (results: ChunkResult[]) =>
      Buffer.concat(results.map((r) => Buffer.from(r.pixels)));
    expect(pixels(written).equals(pixels(whole))).toBe(true);
  });
});
