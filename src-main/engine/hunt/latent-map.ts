import { UMAP } from 'umap-js';
import type { LatentMap } from '../../contract/contract';
import { latentRows } from '../store/models';
import type { Db } from '../store/open';

/**
 * A 2-D picture of the model's latent space: labelled objects (all of them) plus a sample of
 * the rest, projected with PCA (instant) or UMAP (slower, shows clusters better).
 */
export function latentMap(db: Db, method: 'pca' | 'umap' = 'pca', limit = 3000): LatentMap {
  const rows = latentRows(db, limit);
  if (rows.length === 0) return { method, points: [] };
  const vectors = rows.map((r) => Array.from(new Float32Array(new Uint8Array(r.latent).buffer)));
  const xy = method === 'umap' && rows.length >= 20 ? umap(vectors) : pca2(vectors);
  return {
    method,
    points: rows.map((r, i) => ({
      objectId: r.objectId,
      x: xy[i]![0]!,
      y: xy[i]![1]!,
      classId: r.classId,
      score: r.score,
    })),
  };
}

function umap(vectors: number[][]): number[][] {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const reducer = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(15, vectors.length - 1),
    nEpochs: 200,
    random,
  });
  return reducer.fit(vectors);
}

/** The two leading principal components, by power iteration with deflation. */
export function pca2(vectors: number[][]): number[][] {
  const n = vectors.length;
  const d = vectors[0]!.length;
  const mean = new Array<number>(d).fill(0);
  for (const v of vectors) for (let j = 0; j < d; j++) mean[j]! += v[j]! / n;
  const centred = vectors.map((v) => v.map((x, j) => x - mean[j]!));
  const components: number[][] = [];
  for (let k = 0; k < 2; k++) {
    let w = Array.from({ length: d }, (_, j) => Math.sin(j + 1 + k));
    for (let it = 0; it < 60; it++) {
      const next = new Array<number>(d).fill(0);
      for (const v of centred) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += v[j]! * w[j]!;
        for (let j = 0; j < d; j++) next[j]! += dot * v[j]!;
      }
      for (const c of components) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += next[j]! * c[j]!;
        for (let j = 0; j < d; j++) next[j]! -= dot * c[j]!;
      }
      const norm = Math.hypot(...next) || 1;
      w = next.map((x) => x / norm);
    }
    components.push(w);
  }
  return centred.map((v) => components.map((c) => v.reduce((sum, x, j) => sum + x * c[j]!, 0)));
}
