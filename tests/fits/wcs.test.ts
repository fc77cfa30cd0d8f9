import { describe, expect, it } from 'vitest';
import { parseFits } from '../../src-main/engine/fits';
import { fixtureBytes, loadExpected } from './helpers';

const expected = loadExpected();
const wcsCases = Object.entries(expected).filter(([, e]) => e.wcs !== undefined);

/** Angular distance in arcseconds (haversine: accurate for tiny separations, unlike acos). */
function separationArcsec(ra1: number, dec1: number, ra2: number, dec2: number): number {
  const r = Math.PI / 180;
  const a =
    Math.sin(((dec2 - dec1) * r) / 2) ** 2 +
    Math.cos(dec1 * r) * Math.cos(dec2 * r) * Math.sin(((ra2 - ra1) * r) / 2) ** 2;
  return ((2 * Math.asin(Math.sqrt(a))) / r) * 3600;
}

describe('celestial WCS matches astropy (0-based pixels)', () => {
  it('covers TAN and SIN with CD, PC+CDELT and CROTA2', () => {
    expect(wcsCases.map(([k]) => k).sort()).toEqual([
      'wcs_sin_cd.fits',
      'wcs_sin_pc.fits',
      'wcs_tan_cd.fits',
      'wcs_tan_crota.fits',
      'wcs_tan_pc.fits',
    ]);
  });

  for (const [name, want] of wcsCases) {
    it(name, () => {
      const img = parseFits(fixtureBytes(name), name).readImage();
      const wcs = img.wcs;
      expect(wcs).not.toBeNull();
      for (const [x, y, ra, dec] of want.wcs!) {
        const [gotRa, gotDec] = wcs!.pixelToWorld(x, y);
        expect(separationArcsec(gotRa, gotDec, ra, dec)).toBeLessThan(1e-6);
        const [backX, backY] = wcs!.worldToPixel(ra, dec);
        expect(Math.abs(backX - x)).toBeLessThan(1e-7);
        expect(Math.abs(backY - y)).toBeLessThan(1e-7);
      }
    });
  }

  it('is null for projections it does not implement', () => {
    const img = parseFits(fixtureBytes('bitpix16.fits'), 'bitpix16.fits').readImage();
    expect(img.wcs).toBeNull();
  });
});
