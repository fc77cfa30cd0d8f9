/**
 * The object nearest a pointing: found through a growing box on the sky index, it must be
 * the one a pass over every object finds (across RA 0°/360° and near the poles too), and
 * each box must be an index range, never a scan of the objects.
 */
import { describe, expect, it } from 'vitest';
import { nearestObject, separationDeg } from '../../src-main/engine/samp/nearest';
import {
  insertObject,
  openDatabase,
  recordSource,
  seedClasses,
  type Db,
} from '../../src-main/engine/store';

/** Deterministic pseudo-random numbers in [0, 1). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Objects at the given positions, each on its own image (the 10″ fallback radius). */
function skyDb(positions: [number, number][]): { db: Db; ids: number[] } {
  const db = openDatabase(':memory:');
  seedClasses(db);
  const source = recordSource(
    db,
    { path: '/data/sky.fits', size: 1, mtimeMs: 0, kind: 'fits' },
    'ingested',
    0,
  );
  const ids = positions.map(([ra, dec], i) =>
    insertObject(db, {
      uid: `o-${i}`,
      sourceId: source,
      hdu: i,
      ra,
      dec,
      bands: 1,
      size: 4,
      pixelFormat: 'f32',
      pixels: new Uint8Array(64),
    }),
  );
  return { db, ids };
}

/** The nearest object by a pass over all of them, when within the 10″ every object has here. */
function bruteForce(positions: [number, number][], ids: number[], ra: number, dec: number) {
  let best = -1;
  let bestSep = Infinity;
  positions.forEach(([r, d], i) => {
    const sep = separationDeg(ra, dec, r, d);
    if (sep < bestSep) [best, bestSep] = [i, sep];
  });
  return bestSep * 3600 <= 10 ? ids[best] : null;
}

describe('nearest object to a pointing', () => {
  it('is the one a pass over every object finds, across RA 0°/360° and near the poles', () => {
    const next = random(17);
    const positions: [number, number][] = [];
    // Clusters where boxes are awkward: around RA 0/360 at the equator, near both poles, and
    // an ordinary field; each 3′ across, so pointings land near, between and off objects.
    const centres: [number, number][] = [
      [0, 0],
      [359.99, 1],
      [123, 89.97],
      [250, -89.98],
      [150, 2],
    ];
    for (const [ra, dec] of centres) {
      for (let i = 0; i < 400; i++) {
        const d = dec + (next() - 0.5) * 0.05;
        const r = ra + ((next() - 0.5) * 0.05) / Math.max(0.01, Math.cos((d * Math.PI) / 180));
        positions.push([((r % 360) + 360) % 360, Math.max(-90, Math.min(90, d))]);
      }
    }
    const { db, ids } = skyDb(positions);
    let hits = 0;
    for (let k = 0; k < 600; k++) {
      const [ra, dec] = centres[k % centres.length]!;
      // Half the pointings next to an object (within its 10″), half anywhere in the field.
      const [pr, pd] =
        k % 2 === 0
          ? positions[Math.floor(next() * positions.length)]!
          : [ra + (next() - 0.5) * 0.06, dec + (next() - 0.5) * 0.06];
      const pointRa = (((pr + (k % 2 === 0 ? (next() - 0.5) * 0.002 : 0)) % 360) + 360) % 360;
      const pointDec = Math.max(-90, Math.min(90, pd));
      const want = bruteForce(positions, ids, pointRa, pointDec);
      expect(
        nearestObject(db, pointRa, pointDec)?.objectId ?? null,
        `${pointRa}, ${pointDec}`,
      ).toBe(want);
      if (want !== null) hits++;
    }
    // The check covered both answers.
    expect(hits).toBeGreaterThan(100);
    expect(hits).toBeLessThan(600);
    db.close();
  });

  it('searches the sky index, never a scan of the objects', () => {
    const { db } = skyDb([[150, 2]]);
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id, source_id, hdu, x, y, ra, dec, size FROM objects
           WHERE dec BETWEEN ? AND ? AND (ra BETWEEN ? AND ? OR ra BETWEEN ? AND ?)`,
        )
        .all(1.99, 2.01, 149.99, 150.01, 1, 0) as { detail: string }[]
    )
      .map((r) => r.detail)
      .join('\n');
    expect(plan).toMatch(/SEARCH objects USING INDEX objects_sky \(dec>\? AND dec<\?\)/);
    expect(plan).not.toMatch(/SCAN/);
    db.close();
  });
});
