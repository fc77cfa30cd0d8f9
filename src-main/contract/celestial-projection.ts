/**
 * Celestial WCS for the zenithal TAN (gnomonic) and SIN (orthographic) projections, following
 * Calabretta & Greisen 2002 (FITS WCS paper II), as plain numbers and pure functions: the
 * engine reads the parameters from a header (engine/fits/wcs.ts) and the renderer projects
 * the pixel under the cursor with the same code, without a round trip per mouse move.
 *
 * Pixel coordinates are 0-BASED (the centre of the first pixel is (0, 0)), like astropy's
 * `wcs_pix2world(x, y, 0)`; CRPIX is kept 1-based as FITS writes it. World coordinates are
 * degrees in the frame of CTYPE (RA/Dec, or Galactic/ecliptic longitude/latitude).
 */
export interface CelestialWcsParams {
  projection: 'TAN' | 'SIN';
  crpix: [number, number];
  /** CRVAL of the longitude and latitude axes, in that order whatever the file's axis order. */
  crval: [lon: number, lat: number];
  /** Pixel offset → intermediate world coordinates (degrees), row-major 2×2. */
  matrix: [number, number, number, number];
  /** LONPOLE in degrees. */
  lonPole: number;
  /** True when axis 1 is the latitude (DEC--TAN on axis 1, RA---TAN on axis 2). */
  latFirst: boolean;
  /** The longitude and latitude axes' names for readouts: RA/Dec, GLON/GLAT, ELON/ELAT … */
  axisNames: [string, string];
}

export interface CelestialWcs {
  projection: 'TAN' | 'SIN';
  params: CelestialWcsParams;
  pixelToWorld(x: number, y: number): [ra: number, dec: number];
  worldToPixel(ra: number, dec: number): [x: number, y: number];
}

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

/** The projection of `params`, or null when its matrix is singular. */
export function celestialProjection(params: CelestialWcsParams): CelestialWcs | null {
  const { matrix, latFirst } = params;
  const [crpix1, crpix2] = params.crpix;
  const det = matrix[0] * matrix[3] - matrix[1] * matrix[2];
  if (!Number.isFinite(det) || det === 0) return null;
  const inverse = [matrix[3] / det, -matrix[1] / det, -matrix[2] / det, matrix[0] / det] as const;
  const alphaP = params.crval[0] * D2R;
  const deltaP = params.crval[1] * D2R;
  const phiP = params.lonPole * D2R;
  const sinDp = Math.sin(deltaP);
  const cosDp = Math.cos(deltaP);
  const isTan = params.projection === 'TAN';

  return {
    projection: params.projection,
    params,
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

/** Hours (or degrees) as `hh:mm:ss.ss` with `decimals` on the seconds; sign only when asked. */
function sexagesimal(value: number, decimals: number, signed: boolean): string {
  const sign = value < 0 ? '-' : signed ? '+' : '';
  const scale = 10 ** decimals;
  // Round once, in the smallest unit, so 59.999 s carries into the minutes.
  let total = Math.round(Math.abs(value) * 3600 * scale);
  const seconds = (total % (60 * scale)) / scale;
  total = Math.floor(total / (60 * scale));
  const minutes = total % 60;
  const whole = Math.floor(total / 60);
  const two = (n: number) => String(n).padStart(2, '0');
  const secondsText = seconds.toFixed(decimals).padStart(decimals > 0 ? 3 + decimals : 2, '0');
  return `${sign}${two(whole)}:${two(minutes)}:${secondsText}`;
}

/** Right ascension in degrees as `hh:mm:ss.sss`. */
export function formatRightAscension(degrees: number): string {
  return sexagesimal(normaliseDegrees(degrees) / 15, 3, false);
}

/** Declination in degrees as `±dd:mm:ss.ss`. */
export function formatDeclination(degrees: number): string {
  return sexagesimal(degrees, 2, true);
}

function clamp(v: number): number {
  return v > 1 ? 1 : v < -1 ? -1 : v;
}

function normaliseDegrees(deg: number): number {
  const wrapped = deg % 360;
  return wrapped < 0 ? wrapped + 360 : wrapped;
}
