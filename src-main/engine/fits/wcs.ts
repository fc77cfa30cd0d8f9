import type { FitsHeader } from './header';
import { numberValue, stringValue } from './structure';

/**
 * Celestial WCS for the zenithal TAN (gnomonic) and SIN (orthographic) projections,
 * following Calabretta & Greisen 2002 (FITS WCS paper II). Pixel coordinates are 0-BASED
 * (the centre of the first pixel is (0, 0)), like astropy's `wcs_pix2world(x, y, 0)`;
 * FITS's own CRPIX is 1-based and converted here. World coordinates are degrees in the
 * frame of CTYPE (RA/Dec, or Galactic/ecliptic longitude/latitude).
 */
export interface CelestialWcs {
  projection: 'TAN' | 'SIN';
  pixelToWorld(x: number, y: number): [ra: number, dec: number];
  worldToPixel(ra: number, dec: number): [x: number, y: number];
}

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;
const LONGITUDE_PREFIXES = ['RA--', 'GLON', 'ELON', 'SLON', 'HLON'];
const LATITUDE_PREFIXES = ['DEC-', 'GLAT', 'ELAT', 'SLAT', 'HLAT'];

/** Returns null when the header has no celestial TAN/SIN WCS on axes 1 and 2 (or it is singular). */
export function readCelestialWcs(header: FitsHeader): CelestialWcs | null {
  const ctype1 = (stringValue(header.get('CTYPE1')) ?? '').toUpperCase();
  const ctype2 = (stringValue(header.get('CTYPE2')) ?? '').toUpperCase();
  const projection = ctype1.slice(5, 8);
  if (projection !== ctype2.slice(5, 8) || (projection !== 'TAN' && projection !== 'SIN'))
    return null;
  const lonFirst =
    LONGITUDE_PREFIXES.includes(ctype1.slice(0, 4)) &&
    LATITUDE_PREFIXES.includes(ctype2.slice(0, 4));
  const latFirst =
    LATITUDE_PREFIXES.includes(ctype1.slice(0, 4)) &&
    LONGITUDE_PREFIXES.includes(ctype2.slice(0, 4));
  if (!lonFirst && !latFirst) return null;
  // Slant orthographic (SIN with PV2_1/PV2_2 ≠ 0, e.g. NCP) is not implemented: refuse rather than be wrong.
  if (
    projection === 'SIN' &&
    ((num(header, 'PV2_1') ?? 0) !== 0 || (num(header, 'PV2_2') ?? 0) !== 0)
  )
    return null;

  const crpix1 = num(header, 'CRPIX1') ?? 0;
  const crpix2 = num(header, 'CRPIX2') ?? 0;
  const crval1 = num(header, 'CRVAL1') ?? 0;
  const crval2 = num(header, 'CRVAL2') ?? 0;
  const matrix = linearMatrix(header);
  const det = matrix[0] * matrix[3] - matrix[1] * matrix[2];
  if (!Number.isFinite(det) || det === 0) return null;
  const inverse = [matrix[3] / det, -matrix[1] / det, -matrix[2] / det, matrix[0] / det] as const;

  const [lon0, lat0] = lonFirst ? [crval1, crval2] : [crval2, crval1];
  const alphaP = lon0 * D2R;
  const deltaP = lat0 * D2R;
  // Zenithal projections have θ0 = 90°, so the default LONPOLE is 180° unless δ0 = 90°.
  const phiP = (num(header, 'LONPOLE') ?? (lat0 >= 90 ? 0 : 180)) * D2R;
  const sinDp = Math.sin(deltaP);
  const cosDp = Math.cos(deltaP);
  const isTan = projection === 'TAN';

  return {
    projection,
    pixelToWorld(x, y) {
      const dx = x + 1 - crpix1;
      const dy = y + 1 - crpix2;
      let ix = matrix[0] * dx + matrix[1] * dy;
      let iy = matrix[2] * dx + matrix[3] * dy;
      if (latFirst) [ix, iy] = [iy, ix];
      // Projection plane → native spherical (φ, θ).
      const r = Math.hypot(ix, iy);
      const phi = r === 0 ? 0 : Math.atan2(ix, -iy);
      const theta = isTan ? Math.atan2(R2D, r) : Math.acos(Math.min(1, r * D2R));
      // Native → celestial (paper II eq. 2).
      const sinT = Math.sin(theta);
      const cosT = Math.cos(theta);
      const dphi = phi - phiP;
      const lon =
        alphaP + Math.atan2(-cosT * Math.sin(dphi), sinT * cosDp - cosT * sinDp * Math.cos(dphi));
      const lat = Math.asin(clamp(sinT * sinDp + cosT * cosDp * Math.cos(dphi)));
      return [normaliseDegrees(lon * R2D), lat * R2D];
    },
    worldToPixel(ra, dec) {
      const alpha = ra * D2R;
      const delta = dec * D2R;
      const dalpha = alpha - alphaP;
      const sinD = Math.sin(delta);
      const cosD = Math.cos(delta);
      const phi =
        phiP + Math.atan2(-cosD * Math.sin(dalpha), sinD * cosDp - cosD * sinDp * Math.cos(dalpha));
      const theta = Math.asin(clamp(sinD * sinDp + cosD * cosDp * Math.cos(dalpha)));
      const r = isTan ? (R2D * Math.cos(theta)) / Math.sin(theta) : R2D * Math.cos(theta);
      let ix = r * Math.sin(phi);
      let iy = -r * Math.cos(phi);
      if (latFirst) [ix, iy] = [iy, ix];
      const dx = inverse[0] * ix + inverse[1] * iy;
      const dy = inverse[2] * ix + inverse[3] * iy;
      return [dx + crpix1 - 1, dy + crpix2 - 1];
    },
  };
}

/**
 * The pixel → intermediate-world matrix, in wcslib's order of precedence:
 * PCi_j (× CDELTi), else CDi_j, else CROTA2 with CDELTi, else CDELTi alone.
 */
function linearMatrix(header: FitsHeader): [number, number, number, number] {
  const cdelt1 = num(header, 'CDELT1') ?? 1;
  const cdelt2 = num(header, 'CDELT2') ?? 1;
  const hasPc = ['PC1_1', 'PC1_2', 'PC2_1', 'PC2_2'].some((k) => header.has(k));
  const hasCd = ['CD1_1', 'CD1_2', 'CD2_1', 'CD2_2'].some((k) => header.has(k));
  if (hasPc || !hasCd) {
    if (!hasPc && header.has('CROTA2')) {
      const rho = (num(header, 'CROTA2') ?? 0) * D2R;
      const c = Math.cos(rho);
      const s = Math.sin(rho);
      return [cdelt1 * c, -cdelt2 * s, cdelt1 * s, cdelt2 * c];
    }
    return [
      cdelt1 * (num(header, 'PC1_1') ?? 1),
      cdelt1 * (num(header, 'PC1_2') ?? 0),
      cdelt2 * (num(header, 'PC2_1') ?? 0),
      cdelt2 * (num(header, 'PC2_2') ?? 1),
    ];
  }
  return [
    num(header, 'CD1_1') ?? 0,
    num(header, 'CD1_2') ?? 0,
    num(header, 'CD2_1') ?? 0,
    num(header, 'CD2_2') ?? 0,
  ];
}

function num(header: FitsHeader, key: string): number | null {
  return numberValue(header.get(key));
}

function clamp(v: number): number {
  return v > 1 ? 1 : v < -1 ? -1 : v;
}

function normaliseDegrees(deg: number): number {
  const wrapped = deg % 360;
  return wrapped < 0 ? wrapped + 360 : wrapped;
}
