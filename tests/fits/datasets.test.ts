import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageStats, readFitsFile } from '../../src-main/engine/fits';
import { close, datasetsDir, fixturesDir } from './helpers';
import { haveDataset } from '../shared-datasets';

interface DatasetExpectation {
  hdus: { type: string; extname: string | null; bitpix: number; shape: number[] }[];
  image: null | {
    hdu: number;
    shape: [number, number];
    dtype: string;
    scaled: boolean;
    stats: { min: number; max: number; mean: number; sum: number; nan: number };
    samples: [number, number, number | null][];
    wcs?: [number, number, number, number][];
  };
}

const expected = JSON.parse(
  readFileSync(path.join(fixturesDir, 'datasets-expected.json'), 'utf8'),
) as Record<string, DatasetExpectation>;
const present = haveDataset('fits');

describe.skipIf(!present)('real FITS files in shared/datasets match astropy', () => {
  it('covers every file in the folder', () => {
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(13);
  });

  for (const [name, want] of Object.entries(expected)) {
    it(name, async () => {
      const fits = await readFitsFile(path.join(datasetsDir, name));
      expect(
        fits.hdus.map((h) => ({
          type: h.type,
          extname: h.extname,
          bitpix: h.bitpix,
          shape: h.shape,
        })),
      ).toEqual(want.hdus.map((h) => ({ ...h, extname: h.extname ?? null })));
      expect(fits.firstImageHdu()).toBe(want.image?.hdu ?? null);
      if (want.image === null) return;
      const img = fits.readImage();
      expect([img.width, img.height]).toEqual(want.image.shape);
      // astropy scales 16-bit data in float32 arithmetic (BSCALE rounded to float32, two
      // roundings); we scale in double and round once, so scaled files differ by a few ulp.
      const tolerance = want.image.scaled ? 1e-6 : img.data instanceof Float32Array ? 1e-7 : 1e-15;
      for (const [x, y, v] of want.image.samples) {
        expect(close(img.data[y * img.width + x]!, v, tolerance)).toBe(true);
      }
      const stats = imageStats(img);
      expect(stats.nan).toBe(want.image.stats.nan);
      expect(close(stats.min, want.image.stats.min, tolerance)).toBe(true);
      expect(close(stats.max, want.image.stats.max, tolerance)).toBe(true);
      const sumTolerance = want.image.scaled ? 1e-7 : 1e-9;
      expect(close(stats.mean, want.image.stats.mean, sumTolerance)).toBe(true);
      expect(close(stats.sum, want.image.stats.sum, sumTolerance)).toBe(true);
      for (const [x, y, ra, dec] of want.image.wcs ?? []) {
        const [gotRa, gotDec] = img.wcs!.pixelToWorld(x, y);
        expect(Math.abs(gotRa - ra) * Math.cos((dec * Math.PI) / 180)).toBeLessThan(1e-9);
        expect(Math.abs(gotDec - dec)).toBeLessThan(1e-9);
        const [px, py] = img.wcs!.worldToPixel(ra, dec);
        expect(Math.abs(px - x)).toBeLessThan(1e-6);
        expect(Math.abs(py - y)).toBeLessThan(1e-6);
      }
    });
  }
});
