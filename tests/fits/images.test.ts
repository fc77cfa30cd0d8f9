import { describe, expect, it } from 'vitest';
import { imageStats, parseFits } from '../../src-main/engine/fits';
import { close, fixtureBytes, loadExpected } from './helpers';

const expected = loadExpected();
const imageCases = Object.entries(expected).filter(([, e]) => e.shape !== undefined);

describe('FITS images match astropy pixel for pixel', () => {
  it('has fixtures for every feature the brief lists', () => {
    expect(imageCases.length).toBeGreaterThanOrEqual(40);
  });

  for (const [key, want] of imageCases) {
    it(key, () => {
      const fileName = want.file ?? key;
      const fits = parseFits(fixtureBytes(fileName), fileName);
      expect(fits.hdus.map((h) => h.type)).toEqual(want.hdus.map((h) => h.type));
      expect(fits.hdus.map((h) => h.extname)).toEqual(want.hdus.map((h) => h.extname ?? null));
      expect(fits.hdus.map((h) => h.compression)).toEqual(
        want.hdus.map((h) => h.compression ?? null),
      );
      const img = fits.readImage({ hdu: want.hdu, plane: want.plane });
      expect([img.width, img.height]).toEqual(want.shape);
      expect(img.depth).toBe(want.depth);
      // Float32 wherever astropy gives float32 (or narrower integers), so values round alike.
      const narrow = ['uint8', 'int16', 'uint16', 'float32', '>i2', '>f4'].includes(
        want.astropyDtype,
      );
      expect(img.data instanceof Float32Array).toBe(narrow || want.astropyDtype === 'int8');
      const tolerance = Math.max(want.tolerance, img.data instanceof Float32Array ? 1e-7 : 0);
      if (want.pixels) {
        expect(img.data.length).toBe(want.pixels.length);
        const wrong: string[] = [];
        want.pixels.forEach((v, i) => {
          if (!close(img.data[i]!, v, want.tolerance)) wrong.push(`#${i}: ${img.data[i]} ≠ ${v}`);
        });
        expect(wrong.slice(0, 5)).toEqual([]);
      }
      for (const [x, y, v] of want.samples ?? []) {
        expect(close(img.data[y * img.width + x]!, v, tolerance)).toBe(true);
      }
      const stats = imageStats(img);
      expect(stats.nan).toBe(want.stats.nan);
      expect(close(stats.min, want.stats.min, tolerance)).toBe(true);
      expect(close(stats.max, want.stats.max, tolerance)).toBe(true);
      // Summation order differs from numpy's pairwise sum: allow rounding relative to Σ|v|.
      let sumAbs = 0;
      for (const v of img.data) if (!Number.isNaN(v)) sumAbs += Math.abs(v);
      expect(Math.abs(stats.sum - want.stats.sum)).toBeLessThanOrEqual(1e-12 * sumAbs + 1e-9);
      const valid = img.data.length - stats.nan;
      expect(Math.abs(stats.mean - want.stats.mean!)).toBeLessThanOrEqual(
        (1e-12 * sumAbs + 1e-9) / valid,
      );
    });
  }
});
