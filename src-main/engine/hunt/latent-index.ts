import { latentsOfModel } from '../store/models';
import type { Db } from '../store/open';

/**
 * The latent vectors one model wrote, packed for search: `ids` ascending, row i of `vectors`
 * (`dims` floats) belongs to `ids[i]`. 2·10^5 vectors of 64 floats are 51 MB.
 */
export interface LatentIndex {
  modelId: number;
  dims: number;
  count: number;
  ids: Int32Array;
  vectors: Float32Array;
}

/** Reads every latent vector `modelId` wrote into one packed index. */
export function loadLatentIndex(db: Db, modelId: number): LatentIndex {
  let ids = new Int32Array(4096);
  let vectors = new Float32Array(0);
  let dims = 0;
  let count = 0;
  let bytes = new Uint8Array(0);
  for (const row of latentsOfModel(db, modelId)) {
    if (count === 0) {
      dims = row.latent.byteLength / 4;
      vectors = new Float32Array(ids.length * dims);
      bytes = new Uint8Array(vectors.buffer);
    }
    if (row.latent.byteLength !== dims * 4) continue; // not one model's; skipped, not trusted
    if (count === ids.length) {
      const grownIds = new Int32Array(ids.length * 2);
      grownIds.set(ids);
      ids = grownIds;
      const grown = new Float32Array(ids.length * dims);
      grown.set(vectors);
      vectors = grown;
      bytes = new Uint8Array(vectors.buffer);
    }
    ids[count] = row.objectId;
    // The blob's bytes are float32 little-endian (store/models.ts), as a Float32Array is here.
    bytes.set(row.latent, count * dims * 4);
    count++;
  }
  return { modelId, dims, count, ids, vectors };
}

/** The stored vector of `objectId`, or null when the index does not hold it. */
export function vectorOf(index: LatentIndex, objectId: number): Float32Array | null {
  let lo = 0;
  let hi = index.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const id = index.ids[mid]!;
    if (id === objectId) return index.vectors.subarray(mid * index.dims, (mid + 1) * index.dims);
    if (id < objectId) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

export interface Neighbour {
  objectId: number;
  /** Euclidean distance in the latent space. */
  distance: number;
}

/**
 * The k vectors nearest to `query` (Euclidean), nearest first, by comparing every one: exact,
 * and at 2·10^5 × 64 floats a few tens of milliseconds, so no approximate index is needed.
 * Ties go to the lower object id, so the answer does not depend on anything but the data.
 */
export function nearest(
  index: LatentIndex,
  query: Float32Array,
  k: number,
  excludeId: number,
): Neighbour[] {
  const { dims, vectors, ids } = index;
  if (query.length !== dims) {
    throw new Error(`the query has ${query.length} dimensions, the index ${dims}`);
  }
  // The best k so far, sorted by squared distance; a candidate beyond the worst is dropped
  // after one comparison, so the insertion cost is paid only by the few that get in.
  const bestDist = new Float64Array(k);
  const bestRow = new Int32Array(k);
  let filled = 0;
  for (let row = 0; row < index.count; row++) {
    if (ids[row] === excludeId) continue;
    const base = row * dims;
    let d2 = 0;
    for (let j = 0; j < dims; j++) {
      const diff = vectors[base + j]! - query[j]!;
      d2 += diff * diff;
    }
    if (filled === k && d2 >= bestDist[k - 1]!) continue;
    let at = filled < k ? filled++ : k - 1;
    while (at > 0 && bestDist[at - 1]! > d2) {
      bestDist[at] = bestDist[at - 1]!;
      bestRow[at] = bestRow[at - 1]!;
      at--;
    }
    bestDist[at] = d2;
    bestRow[at] = row;
  }
  return Array.from({ length: filled }, (_, i) => ({
    objectId: ids[bestRow[i]!]!,
    distance: Math.sqrt(bestDist[i]!),
  }));
}

/**
 * Which scored objects keep their latent vector: every `stride`-th in scoring order, so at
 * most `keep` of `total` (all of them while total ≤ keep, and then the search is exact).
 */
export function latentStride(total: number, keep: number): number {
  return Math.max(1, Math.ceil(total / Math.max(1, keep)));
}
