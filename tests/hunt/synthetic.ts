import {
  createProject,
  insertObject,
  setSetting,
  recordSource,
  type Project,
} from '../../src-main/engine/store';

/**
 * A small project of 16×16 cutouts: smooth blobs (normal) and rings (the anomaly), so a
 * round's behaviour can be checked quickly. Returns the ids of the rings.
 */
export function syntheticProject(
  dir: string,
  n = 240,
  rings = 12,
  seed = 7,
): { project: Project; ringIds: Set<number> } {
  const project = createProject(dir);
  const { db } = project;
  let s = seed;
  const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const size = 16;
  const ringIds = new Set<number>();
  const sourceId = recordSource(
    db,
    {
      path: '/synthetic',
      size: 0,
      mtimeMs: 0,
      kind: 'generated',
    },
    'ingested',
    0,
  );
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const ring = i % Math.floor(n / rings) === 3;
      const px = new Float32Array(size * size);
      const cx = 7.5 + (rand() - 0.5) * 2;
      const cy = 7.5 + (rand() - 0.5) * 2;
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const r = Math.hypot(x - cx, y - cy);
          const v = ring ? Math.exp(-((r - 5) ** 2) / 1.5) : Math.exp(-(r ** 2) / (6 + rand() * 4));
          px[y * size + x] = Math.min(1, Math.max(0, v + (rand() - 0.5) * 0.1));
        }
      }
      const id = insertObject(db, {
        uid: `syn-${i}`,
        sourceId,
        bands: 1,
        size,
        pixelFormat: 'f32',
        pixels: new Uint8Array(px.buffer),
      });
      if (ring) ringIds.add(id);
    }
    setSetting(db, 'hunt', { backend: 'wasm', queries: 8, epochs: 3 });
  })();
  return { project, ringIds };
}
