import type { Db } from '../store/open';
import { neighbourInImage, objectsInDecBand, type SkyObject } from '../store/sky';

/** Used when an image has one positioned object only, so its pixel scale cannot be measured. */
const FALLBACK_RADIUS_ARCSEC = 10;
/** Never search further than this for a nearest object, whatever the images' scale. */
const MAX_RADIUS_DEG = 0.5;

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
  const candidates = objectsInDecBand(db, dec - MAX_RADIUS_DEG, dec + MAX_RADIUS_DEG);
  let best: SkyObject | null = null;
  let bestSep = Infinity;
  for (const o of candidates) {
    const sep = separationDeg(ra, dec, o.ra, o.dec);
    if (sep < bestSep) {
      bestSep = sep;
      best = o;
    }
  }
  if (!best || bestSep > MAX_RADIUS_DEG) return null;
  const radiusArcsec = cutoutRadiusArcsec(db, best);
  const separationArcsec = bestSep * 3600;
  return separationArcsec <= radiusArcsec
    ? { objectId: best.id, separationArcsec, radiusArcsec }
    : null;
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
