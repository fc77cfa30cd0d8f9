import type { Db } from './open';
import { stmt } from './statement';

export interface SkyObject {
  id: number;
  source_id: number;
  hdu: number | null;
  x: number | null;
  y: number | null;
  ra: number;
  dec: number;
  size: number;
}

/**
 * Objects with a sky position in a declination band (a cheap first cut for "what is near
 * this position"; the caller measures true separations). A peer pointing at the sky is rare,
 * so a scan of the objects is acceptable here; no index is kept for it.
 */
export function objectsInDecBand(db: Db, decMin: number, decMax: number): SkyObject[] {
  return stmt<unknown[], SkyObject>(
    db,
    `SELECT id, source_id, hdu, x, y, ra, dec, size FROM objects
     WHERE ra IS NOT NULL AND dec IS NOT NULL AND dec BETWEEN ? AND ?`,
  ).all(decMin, decMax);
}

/** Another positioned object of the same image (source and HDU), to measure its pixel scale. */
export function neighbourInImage(db: Db, o: SkyObject): SkyObject | undefined {
  return stmt<unknown[], SkyObject>(
    db,
    `SELECT id, source_id, hdu, x, y, ra, dec, size FROM objects
     WHERE source_id = ? AND hdu IS ? AND id != ? AND ra IS NOT NULL AND dec IS NOT NULL
       AND x IS NOT NULL AND y IS NOT NULL AND (x != ? OR y != ?)
     LIMIT 1`,
  ).get(o.source_id, o.hdu, o.id, o.x, o.y);
}
