import { describe, expect, it } from 'vitest';
import { colormapTable, colour, lutSize } from '../../src-renderer/display/colormaps';
import {
  computeLimits,
  minMax,
  percentileLimits,
  skyLimits,
  zscale,
} from '../../src-renderer/display/limits';
import { dragLimits, histogram, scaleLimits, shiftLimits } from '../../src-renderer/display/adjust';
import { fitGrid } from '../../src-renderer/display/grid-fit';
import { luptonRgb } from '../../src-renderer/display/lupton';
import {
  displayTable,
  renderPixels,
  sharedLimits,
  type DisplayOptions,
} from '../../src-renderer/display/render';
import {
  cycleStretch,
  equalisationTable,
  stretchNames,
  stretchValue,
} from '../../src-renderer/display/stretch';

/** Deterministic pseudo-random numbers. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

describe('stretches', () => {
  it('pin the ends at 0 and 1 and stay monotonic', () => {
    for (const name of stretchNames) {
      expect(stretchValue(name, 0)).toBeCloseTo(0, 6);
      expect(stretchValue(name, 1)).toBeCloseTo(1, 6);
      let previous = -1;
      for (let i = 0; i <= 100; i++) {
        const v = stretchValue(name, i / 100);
        expect(v).toBeGreaterThanOrEqual(previous);
        previous = v;
      }
    }
  });

  it('match the DS9 formulas at a midpoint', () => {
    expect(stretchValue('sqrt', 0.25)).toBeCloseTo(0.5, 6);
    expect(stretchValue('log', 0.5)).toBeCloseTo(Math.log(501) / Math.log(1001), 6);
    expect(stretchValue('asinh', 0.5)).toBeCloseTo(Math.asinh(5) / Math.asinh(10), 6);
    expect(stretchValue('linear', 0.3)).toBeCloseTo(0.3, 6);
    expect(stretchValue('linear', 7)).toBe(1);
  });

  it('cycle with wrap-around both ways', () => {
    expect(cycleStretch('linear', 1)).toBe('log');
    expect(cycleStretch('linear', -1)).toBe('histeq');
    expect(cycleStretch('histeq', 1)).toBe('linear');
  });

  it('histogram equalisation spreads a skewed image evenly', () => {
    // 90 % of the pixels at 0.1, 10 % at 0.9: equalised, 0.1 maps near 0.9 of the output.
    const data = new Float32Array(1000).map((_, i) => (i < 900 ? 0.1 : 0.9));
    const table = equalisationTable(data, 0, 1, 1001);
    expect(table[100]).toBeCloseTo(0.9, 6);
    expect(table[900]).toBeCloseTo(1, 6);
    expect(table[50]).toBe(0);
  });
});

describe('limits', () => {
  it('min–max and percentile clip', () => {
    const ramp = Float32Array.from({ length: 1001 }, (_, i) => i);
    expect(minMax(ramp)).toEqual({ lo: 0, hi: 1000 });
    const p99 = percentileLimits(ramp, 99);
    expect(p99.lo).toBeCloseTo(5, 6);
    expect(p99.hi).toBeCloseTo(995, 6);
    expect(percentileLimits(ramp, 99.9).hi).toBeCloseTo(999.5, 6);
    expect(computeLimits('custom', ramp, { lo: 3, hi: 4 })).toEqual({ lo: 3, hi: 4 });
  });

  it('ignores NaN pixels', () => {
    const data = Float32Array.from([Number.NaN, 1, 2, 3, Number.NaN]);
    expect(percentileLimits(data, 100)).toEqual({ lo: 1, hi: 3 });
  });

  it('zscale keeps the sky visible next to a bright star', () => {
    const next = random(3);
    const sky = new Float32Array(64 * 64);
    for (let i = 0; i < sky.length; i++) sky[i] = 100 + (next() + next() + next() - 1.5) * 10;
    // A saturated star over 2 % of the pixels.
    for (let i = 0; i < 80; i++) sky[i * 51] = 60_000;
    const limits = zscale(sky);
    // Sky σ = 5: zscale shows about ±5σ around the median, the star (60 000) is clipped.
    expect(limits.lo).toBeGreaterThan(65);
    expect(limits.lo).toBeLessThan(90);
    expect(limits.hi).toBeGreaterThan(110);
    expect(limits.hi).toBeLessThan(135);
    expect(minMax(sky).hi).toBe(60_000);
  });

  it('zscale of a linear ramp is its full range (slope / contrast exceeds it)', () => {
    const ramp = Float32Array.from({ length: 500 }, (_, i) => i);
    expect(zscale(ramp)).toEqual({ lo: 0, hi: 499 });
  });
});

describe('colour maps', () => {
  it('grey, inverted, heat and viridis endpoints', () => {
    expect(colour('grey', 0.5)).toEqual([127.5, 127.5, 127.5]);
    expect(colour('inverted', 0)).toEqual([255, 255, 255]);
    expect(colour('heat', 1)).toEqual([255, 255, 255]);
    expect(colour('heat', 1 / 3)).toEqual([255, 0, 0]);
    expect(colour('viridis', 0)).toEqual([68, 1, 84]);
    expect(colour('viridis', 1)).toEqual([253, 231, 37]);
    expect(colour('inferno', 1)).toEqual([252, 255, 164]);
  });

  it('tables have one RGB triplet per LUT entry', () => {
    const table = colormapTable('grey');
    expect(table.length).toBe(lutSize * 3);
    expect(table[(lutSize - 1) * 3]).toBe(255);
    expect(displayTable('sqrt', 'grey')[Math.round((lutSize - 1) * 0.25) * 3]).toBeCloseTo(128, -1);
  });
});

describe('rendering', () => {
  const options: DisplayOptions = {
    stretch: 'linear',
    limits: 'minmax',
    custom: { lo: 0, hi: 1 },
    colormap: 'grey',
    rgb: true,
  };

  it('maps min to black and max to white in linear grey', () => {
    const pixels = { size: 2, bands: 1, data: Float32Array.from([0, 0.5, 1, 0.25]) };
    const out = new Uint8ClampedArray(16);
    const limits = renderPixels(pixels, options, out);
    expect(limits).toEqual({ lo: 0, hi: 1 });
    expect([...out.subarray(0, 4)]).toEqual([0, 0, 0, 255]);
    expect(out[4]).toBeCloseTo(128, -1);
    expect([...out.subarray(8, 12)]).toEqual([255, 255, 255, 255]);
  });

  it('custom limits clip outside values', () => {
    const pixels = { size: 2, bands: 1, data: Float32Array.from([0, 0.4, 0.6, 1]) };
    const out = new Uint8ClampedArray(16);
    renderPixels(pixels, { ...options, limits: 'custom', custom: { lo: 0.4, hi: 0.6 } }, out);
    expect([out[0], out[4], out[8], out[12]]).toEqual([0, 0, 255, 255]);
  });

  it('draws 3-band objects as a Lupton composite that keeps colour', () => {
    // Bands bluest first (g, r, i): a pixel bright in the reddest band is drawn red.
    const data = Float32Array.from([0, 0, 0, 0.2, 0.4, 0.8, 0.1, 0.1, 0.1, 0.1, 0.2, 0.4]);
    const out = new Uint8ClampedArray(16);
    renderPixels({ size: 2, bands: 3, data }, options, out);
    expect([...out.subarray(0, 3)]).toEqual([0, 0, 0]);
    // Red-dominated pixel stays red > green > blue with the same 4:2:1 ratio.
    const [r, g, b] = [out[4]!, out[5]!, out[6]!];
    expect(r).toBeGreaterThan(g);
    expect(g).toBeGreaterThan(b);
    expect(r / b).toBeCloseTo(4, 0);
  });

  it('Lupton scales saturated pixels down instead of clipping to white', () => {
    const out = new Uint8ClampedArray(4);
    luptonRgb(Float32Array.from([25, 50, 100]), out, { q: 8, stretch: 0.01, minimum: [0, 0, 0] });
    expect(out[0]).toBe(255);
    expect(out[1]).toBeCloseTo(128, -1);
    expect(out[2]).toBeCloseTo(64, -1);
  });
});

describe('the grid fills its pane', () => {
  const fits = (w: number, h: number, n: number, columns: number, cell: number) => {
    const rows = Math.ceil(n / columns);
    return columns * (cell + 4) + (columns - 1) * 6 <= w && rows * (cell + 4) + (rows - 1) * 6 <= h;
  };

  it.each([
    [620, 600, 16],
    [1900, 1320, 16],
    [620, 600, 64],
    [1000, 300, 12],
    [300, 1000, 7],
  ])('%i×%i px, %i cells: the largest cell that fits, none larger', (w, h, n) => {
    const { columns, cell } = fitGrid(w, h, n);
    expect(fits(w, h, n, columns, cell)).toBe(true);
    for (let c = 1; c <= n; c++) expect(fits(w, h, n, c, cell + 1)).toBe(false);
    // Little of the pane is left empty along the tighter side.
    const rows = Math.ceil(n / columns);
    const usedW = columns * (cell + 4) + (columns - 1) * 6;
    const usedH = rows * (cell + 4) + (rows - 1) * 6;
    expect(Math.max(usedW / w, usedH / h)).toBeGreaterThan(0.9);
  });

  it('16 cells fill a 1280×720 window’s pane at ≈140 px and a 2560×1440 one’s at >300 px', () => {
    expect(fitGrid(620, 600, 16).cell).toBeGreaterThanOrEqual(135);
    expect(fitGrid(1900, 1320, 16).cell).toBeGreaterThan(300);
  });

  it('too many for the pane: the smallest cells, and the pane scrolls', () => {
    expect(fitGrid(300, 200, 200)).toEqual({ columns: 5, cell: 48 });
  });
});

describe('the default display: asinh between sky limits', () => {
  // 64×64 sky of σ = 1 around 100, an exponential galaxy of peak 200 σ, scale 4 px, centred.
  const size = 64;
  const rand = random(11);
  const gaussian = () =>
    Math.sqrt(-2 * Math.log(Math.max(1e-12, rand()))) * Math.cos(2 * Math.PI * rand());
  const data = new Float32Array(size * size);
  const galaxy = new Float32Array(size * size);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) {
      const r = Math.hypot(x - 31.5, y - 31.5);
      galaxy[y * size + x] = 200 * Math.exp(-r / 4);
      data[y * size + x] = 100 + galaxy[y * size + x]! + gaussian();
    }
  const pixels = { size, bands: 1, data };
  const grey = (options: Partial<DisplayOptions>) => {
    const out = new Uint8ClampedArray(size * size * 4);
    renderPixels(
      pixels,
      {
        stretch: 'asinh',
        limits: 'sky',
        custom: { lo: 0, hi: 1 },
        colormap: 'grey',
        rgb: true,
        ...options,
      },
      out,
    );
    return (i: number) => out[i * 4]! / 255;
  };
  const where = (test: (g: number) => boolean) =>
    [...galaxy.keys()].filter((i) => test(galaxy[i]!));
  const noise = where((g) => g < 0.01);
  const faint = where((g) => g > 2 && g < 5);
  const mean = (shade: (i: number) => number, at: number[]) =>
    at.reduce((sum, i) => sum + shade(i), 0) / at.length;
  const bright = (shade: (i: number) => number, at: number[]) =>
    at.filter((i) => shade(i) > 0.25).length / at.length;

  it('keeps pure noise dark where linear zscale fills the cell with it', () => {
    const sky = grey({});
    const zscaled = grey({ stretch: 'linear', limits: 'zscale' });
    expect(bright(sky, noise)).toBeLessThan(0.02);
    expect(bright(zscaled, noise)).toBeGreaterThan(0.2);
  });

  it('lifts faint structure (2–5 σ a pixel) well above the noise, and keeps the core', () => {
    const sky = grey({});
    expect(faint.length).toBeGreaterThan(50);
    expect(mean(sky, faint)).toBeGreaterThan(mean(sky, noise) + 0.12);
    // The core is not a saturated disc: only the brightest few pixels reach white.
    expect(where((g) => g > 20).filter((i) => sky(i) >= 0.999).length).toBeLessThan(8);
  });
});

describe('one scale across the grid', () => {
  it('takes limits from every object together: a faint object keeps its faintness', () => {
    const faint = { size: 2, bands: 1, data: Float32Array.from([0, 0.1, 0.2, 0.1]) };
    const bright = { size: 2, bands: 1, data: Float32Array.from([0, 0.5, 1, 0.5]) };
    expect(sharedLimits([faint, bright], 'minmax', { lo: 0, hi: 1 })).toMatchObject({
      lo: 0,
      hi: 1,
    });
    const out = new Uint8ClampedArray(16);
    const options: DisplayOptions = {
      stretch: 'linear',
      limits: 'custom',
      custom: sharedLimits([faint, bright], 'minmax', { lo: 0, hi: 1 }),
      colormap: 'grey',
      rgb: true,
    };
    renderPixels(faint, options, out);
    // Its brightest pixel is a fifth of the batch's white, not white as on its own scale.
    expect(out[8]).toBeCloseTo(51, -1);
  });

  it('the sky limits measure the noise they soften the asinh by', () => {
    const rand = random(5);
    const noise = Float32Array.from({ length: 4096 }, () => {
      const u = Math.max(1e-12, rand());
      return 10 + 2 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
    });
    const limits = skyLimits(noise);
    expect(limits.noise).toBeGreaterThan(1.8);
    expect(limits.noise).toBeLessThan(2.2);
    expect(limits.lo).toBeCloseTo(11, 0);
    expect(limits.hi - limits.lo).toBeGreaterThanOrEqual(15 * limits.noise!);
  });
});

describe('contrast and bias', () => {
  const start = { lo: 0, hi: 10, noise: 1 };

  it('bias slides the window, contrast narrows it about its centre, keeping the noise', () => {
    expect(shiftLimits(start, 0.1)).toEqual({ lo: 1, hi: 11, noise: 1 });
    expect(scaleLimits(start, 2)).toEqual({ lo: 2.5, hi: 7.5, noise: 1 });
  });

  it('a drag right moves the window up; a drag up raises the contrast', () => {
    expect(dragLimits(start, 100, 0, 200)).toEqual({ lo: 5, hi: 15, noise: 1 });
    const harder = dragLimits(start, 0, -200, 200);
    expect(harder.hi - harder.lo).toBeCloseTo(10 / 8, 6);
    expect((harder.hi + harder.lo) / 2).toBeCloseTo(5, 6);
  });

  it('a histogram spans the data and counts every finite value once', () => {
    const { counts, min, max } = histogram(Float32Array.from([0, 1, 1, 2, NaN, 4]), 4);
    expect([min, max]).toEqual([0, 4]);
    expect([...counts]).toEqual([1, 2, 1, 1]);
  });
});
