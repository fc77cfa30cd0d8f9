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
 * Objects with a sky position in a box (a cheap first cut for "what is near this position";
 * the caller measures true separations): declination in [decMin, decMax] and RA in
 * [raMin, raMax], degrees, where the RA range may cross 0°/360° (raMin < 0 or raMax > 360)
 * and covers every RA when it is 360° wide or more. An index range on objects_sky (dec, ra).
 */
export function objectsInSkyBox(
  db: Db,
  decMin: number,
  decMax: number,
  raMin: number,
  raMax: number,
): SkyObject[] {
  // Two RA ranges on the circle: the part in [0, 360] and the part that wrapped around.
  let ranges: [number, number, number, number];
  if (raMax - raMin >= 360) ranges = [0, 360, 1, 0];
  else if (raMin < 0) ranges = [0, raMax, raMin + 360, 360];
  else if (raMax > 360) ranges = [raMin, 360, 0, raMax - 360];
  else ranges = [raMin, raMax, 1, 0];
  return stmt<unknown[], SkyObject>(
    db,
    `SELECT id, source_id, hdu, x, y, ra, dec, size FROM objects
     WHERE dec BETWEEN ? AND ? AND (ra BETWEEN ? AND ? OR ra BETWEEN ? AND ?)`,
  ).all(decMin, decMax, ...ranges);
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
