import { latentsOfModel } from '../store/models';
import { maxObjectId } from '../store/objects';
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

/** Object ids read per range (and per turn of the event loop) when an index is read. */
const READ_RANGE = 16_384;

/**
 * Reads every latent vector `modelId` wrote into one packed index, a range of ids at a time,
 * letting the event loop run between ranges: at 10^6 objects the read takes seconds, and the
 * thread it runs on records the expert's labels.
 */
export async function readLatentIndex(db: Db, modelId: number): Promise<LatentIndex> {
  const builder = new LatentIndexBuilder(modelId);
  const last = maxObjectId(db);
  for (let from = 1; from <= last; from += READ_RANGE) {
    for (const row of latentsOfModel(db, modelId, from, from + READ_RANGE - 1)) {
      // float32 little-endian blobs (store/models.ts); one model writes one length.
      if (builder.latentSize !== 0 && row.latent.byteLength !== builder.latentSize * 4) continue;
      builder.addBytes(row.objectId, row.latent);
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return builder.finish();
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

/**
 * Collects the vectors a round keeps as they come back from the model (pages finish in any
 * order), so the search needs no read of the store after a round. Rows stay in the order they
 * were added until finish(), which sorts them by object id into a LatentIndex.
 */
export class LatentIndexBuilder {
  private ids = new Int32Array(1024);
  private vectors = new Float32Array(0);
  private bytes = new Uint8Array(0);
  private dims = 0;
  count = 0;

  constructor(readonly modelId: number) {}

  add(objectId: number, latent: Float32Array): void {
    const row = this.slot(objectId, latent.length); // first: it may replace the arrays
    this.vectors.set(latent, row * this.dims);
  }

  /** The same from a stored blob: float32 little-endian, as a Float32Array lays it out here. */
  addBytes(objectId: number, latent: Uint8Array): void {
    const row = this.slot(objectId, latent.byteLength / 4); // first: it may replace the arrays
    this.bytes.set(latent, row * this.dims * 4);
  }

  /** Claims the next row for `objectId`, growing the arrays when they are full. */
  private slot(objectId: number, dims: number): number {
    if (this.count === 0 && this.dims === 0) {
      this.dims = dims;
      this.vectors = new Float32Array(this.ids.length * this.dims);
      this.bytes = new Uint8Array(this.vectors.buffer);
    }
    if (dims !== this.dims) {
      throw new Error(`a latent vector of ${dims} values among ones of ${this.dims}`);
    }
    if (this.count === this.ids.length) {
      const ids = new Int32Array(this.ids.length * 2);
      ids.set(this.ids);
      this.ids = ids;
      const vectors = new Float32Array(ids.length * this.dims);
      vectors.set(this.vectors);
      this.vectors = vectors;
      this.bytes = new Uint8Array(vectors.buffer);
    }
    this.ids[this.count] = objectId;
    return this.count++;
  }

  /** The first `count` vectors added, in the order they were added (count × dims floats). */
  added(count = this.count): Float32Array {
    return this.vectors.subarray(0, count * this.dims);
  }

  get latentSize(): number {
    return this.dims;
  }

  /** The index, rows sorted by object id (an object added twice keeps its last vector). */
  finish(): LatentIndex {
    const order = Array.from({ length: this.count }, (_, i) => i).sort(
      (a, b) => this.ids[a]! - this.ids[b]! || b - a,
    );
    const ids = new Int32Array(this.count);
    const vectors = new Float32Array(this.count * this.dims);
    let count = 0;
    for (const row of order) {
      const id = this.ids[row]!;
      if (count > 0 && ids[count - 1] === id) continue; // the later one came first in order
      ids[count] = id;
      vectors.set(this.vectors.subarray(row * this.dims, (row + 1) * this.dims), count * this.dims);
      count++;
    }
    this.vectors = new Float32Array(0);
    this.ids = new Int32Array(0);
    return {
      modelId: this.modelId,
      dims: this.dims,
      count,
      ids: ids.subarray(0, count),
      vectors: vectors.subarray(0, count * this.dims),
    };
  }
}
