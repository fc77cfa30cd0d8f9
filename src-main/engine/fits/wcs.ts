import {
  celestialProjection,
  type CelestialWcs,
  type CelestialWcsParams,
} from '../../contract/celestial-projection';
import type { FitsHeader } from './header';
import { numberValue, stringValue } from './structure';

/**
 * A header's celestial WCS (TAN or SIN; see contract/celestial-projection.ts, which holds the
 * projection itself so the renderer can use it too). Pixel coordinates are 0-based, like
 * astropy's `wcs_pix2world(x, y, 0)`.
 */
export type { CelestialWcs, CelestialWcsParams };

const D2R = Math.PI / 180;
const LONGITUDE_PREFIXES = ['RA--', 'GLON', 'ELON', 'SLON', 'HLON'];
const LATITUDE_PREFIXES = ['DEC-', 'GLAT', 'ELAT', 'SLAT', 'HLAT'];

/** Returns null when the header has no celestial TAN/SIN WCS on axes 1 and 2 (or it is singular). */
export function readCelestialWcs(header: FitsHeader): CelestialWcs | null {
  const params = readCelestialWcsParams(header);
  return params ? celestialProjection(params) : null;
}

/** The numbers of a header's celestial TAN/SIN WCS on axes 1 and 2, or null when it has none. */
export function readCelestialWcsParams(header: FitsHeader): CelestialWcsParams | null {
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

  const crval1 = num(header, 'CRVAL1') ?? 0;
  const crval2 = num(header, 'CRVAL2') ?? 0;
  const [lon0, lat0] = lonFirst ? [crval1, crval2] : [crval2, crval1];
  const [lonType, latType] = lonFirst ? [ctype1, ctype2] : [ctype2, ctype1];
  return {
    projection,
    crpix: [num(header, 'CRPIX1') ?? 0, num(header, 'CRPIX2') ?? 0],
    crval: [lon0, lat0],
    matrix: linearMatrix(header),
    // Zenithal projections have θ0 = 90°, so the default LONPOLE is 180° unless δ0 = 90°.
    lonPole: num(header, 'LONPOLE') ?? (lat0 >= 90 ? 0 : 180),
    latFirst,
    axisNames: [axisName(lonType), axisName(latType)],
  };
}

/** RA---TAN → RA, DEC--TAN → Dec, GLON-TAN → GLON. */
function axisName(ctype: string): string {
  const name = ctype.slice(0, 4).replace(/-+$/, '');
  return name === 'DEC' ? 'Dec' : name;
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
