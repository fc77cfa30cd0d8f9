import type { Db } from '../store/open';
import { neighbourInImage, objectsInSkyBox, type SkyObject } from '../store/sky';

/** Used when an image has one positioned object only, so its pixel scale cannot be measured. */
const FALLBACK_RADIUS_ARCSEC = 10;
/** Never search further than this for a nearest object, whatever the images' scale. */
const MAX_RADIUS_DEG = 0.5;
/** The first box searched (half-width), then 4× wider each time (30″, 2′, 8′, 32′ → 0.5°). */
const FIRST_RADIUS_DEG = 30 / 3600;

export interface NearestObject {
  objectId: number;
  separationArcsec: number;
  /** Half the object's cutout, on the sky: how far a pointing may be and still mean it. */
  radiusArcsec: number;
}

/**
 * The object nearest a sky position, when the position falls inside its cutout (a circle of
 * half the cutout's width). The cutout's angular size comes from the pixel scale of its image,
 * measured from a second positioned object of the same image; with none, 10″.
 */
export function nearestObject(db: Db, ra: number, dec: number): NearestObject | null {
  const found = nearestWithin(db, ra, dec);
  if (!found) return null;
  const radiusArcsec = cutoutRadiusArcsec(db, found.object);
  const separationArcsec = found.separationDeg * 3600;
  return separationArcsec <= radiusArcsec
    ? { objectId: found.object.id, separationArcsec, radiusArcsec }
    : null;
}

/**
 * The positioned object nearest (ra, dec) within MAX_RADIUS_DEG. Boxes around the position
 * grow until one holds an object no further than the box's half-width: every object nearer
 * than that lies in the box too, so it is the nearest of all. In a dense survey the first,
 * 1′-wide box answers: a few index probes, not a pass over every object.
 */
function nearestWithin(
  db: Db,
  ra: number,
  dec: number,
): { object: SkyObject; separationDeg: number } | null {
  for (let r = FIRST_RADIUS_DEG; ; r = Math.min(4 * r, MAX_RADIUS_DEG)) {
    // A circle of radius r spans r / cos(dec) in RA (all of it near a pole).
    const cos = Math.cos((Math.min(89.999, Math.abs(dec) + r) * Math.PI) / 180);
    const halfRa = Math.min(360, r / cos);
    let best: SkyObject | null = null;
    let bestSep = Infinity;
    for (const o of objectsInSkyBox(db, dec - r, dec + r, ra - halfRa, ra + halfRa)) {
      const sep = separationDeg(ra, dec, o.ra, o.dec);
      if (sep < bestSep) {
        bestSep = sep;
        best = o;
      }
    }
    if (best && bestSep <= r) return { object: best, separationDeg: bestSep };
    if (r >= MAX_RADIUS_DEG) return null;
  }
}

/** Half an object's cutout on the sky, in arcseconds (see nearestObject). */
export function cutoutRadiusArcsec(db: Db, o: SkyObject): number {
  const other = o.x !== null && o.y !== null ? neighbourInImage(db, o) : undefined;
  if (!other || other.x === null || other.y === null) return FALLBACK_RADIUS_ARCSEC;
  const pixels = Math.hypot(other.x - o.x!, other.y - o.y!);
  const arcsecPerPixel = (separationDeg(o.ra, o.dec, other.ra, other.dec) * 3600) / pixels;
  return Number.isFinite(arcsecPerPixel) && arcsecPerPixel > 0
    ? (arcsecPerPixel * o.size) / 2
    : FALLBACK_RADIUS_ARCSEC;
}

/** Great-circle separation in degrees (haversine: exact at the arcsecond scales used here). */
export function separationDeg(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const rad = Math.PI / 180;
  const dDec = (dec2 - dec1) * rad;
  const dRa = (ra2 - ra1) * rad;
  const h =
    Math.sin(dDec / 2) ** 2 + Math.cos(dec1 * rad) * Math.cos(dec2 * rad) * Math.sin(dRa / 2) ** 2;
  return (2 * Math.asin(Math.min(1, Math.sqrt(h)))) / rad;
}
