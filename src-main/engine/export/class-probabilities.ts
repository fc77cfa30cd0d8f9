import { listClasses, type ClassRow } from '../store/classes';
import { modelClassMap } from '../store/models';
import type { Db } from '../store/open';

/**
 * For each model, which live class each of its softmax columns counts towards. Models differ:
 * an old model has fewer columns (classes created later) and columns of classes merged since.
 */
export function probabilityMapper(
  db: Db,
  live: ClassRow[],
): (modelId: number, probs: Buffer) => (number | null)[] {
  const all = listClasses(db, { includeMerged: true });
  const byId = new Map(all.map((c) => [c.id, c]));
  const liveIndex = new Map(live.map((c, i) => [c.id, i]));
  const toLive = (id: number): number | undefined => {
    let c = byId.get(id);
    for (let hops = 0; c && c.merged_into !== null && hops < 100; hops++)
      c = byId.get(c.merged_into);
    return c ? liveIndex.get(c.id) : undefined;
  };
  const cache = new Map<number, (number | undefined)[]>();
  return (modelId, probs) => {
    let columns = cache.get(modelId);
    if (!columns) {
      columns = modelClassMap(db, modelId).map(toLive);
      cache.set(modelId, columns);
    }
    const out = new Array<number | null>(live.length).fill(null);
    const n = Math.min(columns.length, Math.floor(probs.length / 4));
    for (let j = 0; j < n; j++) {
      const target = columns[j];
      if (target === undefined) continue;
      const p = probs.readFloatLE(j * 4);
      out[target] = (out[target] ?? 0) + p;
    }
    return out.map((p) => (p === null || !Number.isFinite(p) ? null : Math.fround(p)));
  };
}
