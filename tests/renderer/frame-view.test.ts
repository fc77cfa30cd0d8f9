/** The FITS frame view's pure half: decoding, the square it is drawn on, and the readout. */
import { describe, expect, it } from 'vitest';
import type { FitsFrameRegion } from '../../src-main/contract/contract';
import {
  decodeFloat32,
  formatValue,
  frameView,
  readFramePixel,
  toStoredScale,
} from '../../src-renderer/display/frame-view';
import { normaliseBand } from '../../src-main/engine/ingest/normalise';
import { decodeFloat16 } from '../../src-main/engine/store/pixels';

function base64(values: number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64');
}

/** A 6×4 region of a 1-band frame at (10, 20), its cutout 2×2 at (12, 21); value = 100·y + x. */
function region(overrides: Partial<FitsFrameRegion> = {}): FitsFrameRegion {
  const values: number[] = [];
  for (let y = 20; y < 24; y++) for (let x = 10; x < 16; x++) values.push(100 * y + x);
  return {
    kind: 'fits',
    file: 'f.fits',
    hdu: 0,
    frameWidth: 16,
    frameHeight: 24,
    x0: 10,
    y0: 20,
    width: 6,
    height: 4,
    cutout: { x0: 12, y0: 21, width: 2, height: 2 },
    bands: 1,
    bandNames: null,
    unit: null,
    scales: [{ lo: 2000, hi: 2400, soft: 50 }],
    pixels: base64(values),
    wcs: null,
    ...overrides,
  };
}

describe('the FITS frame view', () => {
  it('decodes the float32 pixels the engine sent', () => {
    expect([...decodeFloat32(base64([1.5, -2, NaN]))]).toEqual([1.5, -2, NaN]);
  });

  it('maps values as ingest stored the cutout, so display limits mean the same', () => {
    const values = new Float32Array(256).map((_, i) => 100 + ((i * 37) % 251));
    const halves = new Uint16Array(256);
    const { scale } = normaliseBand(values, halves);
    const stored = decodeFloat16(new Uint8Array(halves.buffer));
    values.forEach((v, i) => {
      const mapped = Math.min(1, Math.max(0, toStoredScale(v, scale)));
      expect(Math.abs(mapped - stored[i]!)).toBeLessThan(2e-3);
    });
  });

  it('lays the region on a square centred on the cutout, blank beyond it', () => {
    const view = frameView(region());
    // Cutout centre (13, 22); farthest region edge 3 px away → a 6-px square from (10, 19).
    expect([view.side, view.x0, view.y0]).toEqual([6, 10, 19]);
    const { data } = view.square;
    expect(Number.isNaN(data[0]!)).toBe(true); // row y = 19 is above the region
    expect(data[6]!).toBeCloseTo(toStoredScale(2010, { lo: 2000, hi: 2400, soft: 50 }), 6);
  });

  it('reads a pixel back in the file units, null off the region', () => {
    const view = frameView(region());
    expect(readFramePixel(view, 13, 22)).toEqual({ x: 13, y: 22, values: [2213], world: null });
    expect(readFramePixel(view, 13, 19)).toBeNull();
    expect(readFramePixel(view, 16, 22)).toBeNull();
  });

  it('projects the pixel with the frame WCS and writes RA/Dec both ways', () => {
    const view = frameView(
      region({
        wcs: {
          projection: 'TAN',
          crpix: [14, 23],
          crval: [83.8221, -5.3911],
          matrix: [-1 / 3600, 0, 0, 1 / 3600],
          lonPole: 180,
          latFirst: false,
          axisNames: ['RA', 'Dec'],
        },
      }),
    );
    const readout = readFramePixel(view, 13, 22)!;
    expect(readout.world!.lon).toBeCloseTo(83.8221, 9);
    expect(readout.world!.lat).toBeCloseTo(-5.3911, 9);
    expect(readout.world!.text).toBe('RA 05:35:17.304 Dec -05:23:27.96 (83.822100°, -5.391100°)');
  });

  it('formats values for people', () => {
    expect(formatValue(NaN)).toBe('blank');
    expect(formatValue(16111)).toBe('16111');
    expect(formatValue(0.123456789)).toBe('0.123457');
    expect(formatValue(1.5e-7)).toBe('1.50000e-7');
  });
});
