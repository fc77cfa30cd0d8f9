/**
 * "More like this" is exact at 10^5 objects: the neighbours the search returns are the ones a
 * brute-force sort of every distance gives, read from the store the way a round writes them.
 */
import { describe, expect, it } from 'vitest';
import {
  findClassByName,
  saveModel,
  saveScores,
  recordLabel,
  startRound,
  type Db,
} from '../../src-main/engine/store';
import {
  LatentIndexBuilder,
  latentStride,
  nearest,
  vectorOf,
} from '../../src-main/engine/hunt/latent-index';
import { SimilarSearch } from '../../src-main/engine/hunt/similar';
import { memoryProject } from '../store/helpers';

const DIMS = 64;

/** Seeded latents with structure: clusters plus noise, so near neighbours are not all ties. */
function seededLatents(n: number, seed: number): Float32Array {
  let s = seed;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const centres = Array.from({ length: 20 }, () => Float32Array.from({ length: DIMS }, rand));
  const out = new Float32Array(n * DIMS);
  for (let i = 0; i < n; i++) {
    const c = centres[i % centres.length]!;
    for (let j = 0; j < DIMS; j++) out[i * DIMS + j] = c[j]! + (rand() - 0.5) * 0.3;
  }
  return out;
}

function bruteForce(latents: Float32Array, ids: number[], query: number, k: number) {
  const q = latents.subarray(query * DIMS, (query + 1) * DIMS);
  const all: { objectId: number; d2: number }[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (i === query) continue;
    let d2 = 0;
    for (let j = 0; j < DIMS; j++) d2 += (latents[i * DIMS + j]! - q[j]!) ** 2;
    all.push({ objectId: ids[i]!, d2 });
  }
  all.sort((a, b) => a.d2 - b.d2 || a.objectId - b.objectId);
  return all.slice(0, k);
}

function storeLatents(db: Db, ids: number[], latents: Float32Array, keepEvery = 1): number {
  // The scores of a trained round's model: the only kind "more like this" compares with.
  const round = startRound(db, { strategy: 'most-anomalous', queries: 8 }).number;
  const modelId = saveModel(db, {
    round,
    backend: 'cpu',
    architecture: {},
    classMap: [1, 2],
    weights: new Uint8Array(4),
  });
  saveScores(
    db,
    modelId,
    ids.map((objectId, i) => ({
      objectId,
      score: 0,
      probs: Float32Array.of(0.5, 0.5),
      ...(i % keepEvery === 0 ? { latent: latents.slice(i * DIMS, (i + 1) * DIMS) } : {}),
    })),
  );
  return modelId;
}

const noModelRun = () => Promise.reject(new Error('the model should not be run'));

describe('objects.similar at 10^5 objects', () => {
  it('returns exactly the brute-force nearest neighbours, with labels, and says it is exact', async () => {
    const n = 100_000;
    const { db, objectIds } = memoryProject(n);
    const latents = seededLatents(n, 11);
    const modelId = storeLatents(db, objectIds, latents);
    const search = new SimilarSearch(db, () => n, noModelRun);

    for (const query of [0, 1, 4_321, 99_999]) {
      const k = query === 1 ? 500 : 24;
      const got = await search.similar(objectIds[query]!, k);
      const want = bruteForce(latents, objectIds, query, k);
      expect(got.items.map((i) => i.objectId)).toEqual(want.map((w) => w.objectId));
      got.items.forEach((item, i) => expect(item.distance).toBeCloseTo(Math.sqrt(want[i]!.d2), 4));
      expect(got).toMatchObject({ objectId: objectIds[query], searched: n, exact: true, modelId });
    }
    // A labelled neighbour carries its label in the answer.
    const before = await search.similar(objectIds[0]!, 24);
    const normal = findClassByName(db, 'normal')!.id;
    recordLabel(db, {
      objectId: before.items[3]!.objectId,
      classId: normal,
      round: 1,
      origin: 'ui',
    });
    const after = await search.similar(objectIds[0]!, 24);
    expect(after.items.map((i) => i.labelId)).toEqual(
      before.items.map((_, i) => (i === 3 ? normal : null)),
    );
  });

  it('searches only the sample beyond it, says so, and runs the model for a vector it lacks', async () => {
    const n = 1_000;
    const { db, objectIds } = memoryProject(n);
    const latents = seededLatents(n, 5);
    const stride = latentStride(n, 250);
    expect(stride).toBe(4);
    storeLatents(db, objectIds, latents, stride);
    const asked: number[] = [];
    const search = new SimilarSearch(
      db,
      () => n,
      (objectId) => {
        asked.push(objectId);
        const i = objectIds.indexOf(objectId);
        return Promise.resolve(latents.slice(i * DIMS, (i + 1) * DIMS));
      },
    );
    const got = await search.similar(objectIds[1]!, 10);
    expect(asked).toEqual([objectIds[1]]);
    expect(got).toMatchObject({ searched: 250, exact: false });
    const sampledIds = objectIds.filter((_, i) => i % stride === 0);
    const sampled = new Float32Array(sampledIds.length * DIMS);
    sampledIds.forEach((_, r) =>
      sampled.set(latents.subarray(r * stride * DIMS, (r * stride + 1) * DIMS), r * DIMS),
    );
    const index = search.loaded!;
    const query = latents.slice(DIMS, 2 * DIMS);
    expect(vectorOf(index, objectIds[1]!)).toBeNull();
    expect(nearest(index, query, 10, objectIds[1]!).map((x) => x.objectId)).toEqual(
      got.items.map((x) => x.objectId),
    );
    for (const item of got.items) expect(sampledIds).toContain(item.objectId);
  });

  it('builds an index from vectors added in any order, keeping the last one of an object', () => {
    const builder = new LatentIndexBuilder(7);
    builder.add(30, Float32Array.of(3, 0));
    builder.add(10, Float32Array.of(1, 0));
    builder.add(20, Float32Array.of(2, 0));
    builder.add(10, Float32Array.of(9, 9)); // asked again after the page that held it
    const index = builder.finish();
    expect(Array.from(index.ids)).toEqual([10, 20, 30]);
    expect(Array.from(vectorOf(index, 10)!)).toEqual([9, 9]);
    expect(nearest(index, Float32Array.of(2.1, 0), 2, 20).map((n) => n.objectId)).toEqual([30, 10]);
  });

  it('asks the user to finish a round when there is no model yet', async () => {
    const { db, objectIds } = memoryProject(3);
    const search = new SimilarSearch(db, () => 3, noModelRun);
    await expect(search.similar(objectIds[0]!, 5)).rejects.toThrow(/finish a round first/);
  });
});
