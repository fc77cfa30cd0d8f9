import { describe, expect, it } from 'vitest';
import {
  cutWindow,
  gridOrigins,
  onFrame,
  resizeSquare,
  windowCentre,
  windowOrigin,
} from '../../src-main/engine/ingest/geometry';
import { denormalise, normaliseBand, writeHalves } from '../../src-main/engine/ingest/normalise';
import { decodeFloat16, encodeFloat16 } from '../../src-main/engine/store/pixels';

const ramp = (w: number, h: number) => ({
  width: w,
  height: h,
  data: Float32Array.from({ length: w * h }, (_, i) => i),
});

describe('cutout geometry', () => {
  it('centres windows on the nearest pixel grid and reports the true centre', () => {
    expect(windowOrigin(10, 20, 4)).toEqual([9, 19]); // 8.5 and 18.5 round up: centre (10.5, 20.5)
    expect(windowOrigin(10, 20, 5)).toEqual([8, 18]);
    expect(windowCentre(8, 18, 5)).toEqual([10, 20]);
    expect(onFrame(-0.5, 0, 10, 10)).toBe(true);
    expect(onFrame(9.5, 0, 10, 10)).toBe(false);
  });

  it('copies interior windows exactly and pads outside pixels with NaN, counting them', () => {
    const plane = ramp(10, 8);
    const out = new Float32Array(9);
    expect(cutWindow(plane, 2, 3, 3, out)).toBe(0);
    expect([...out]).toEqual([32, 33, 34, 42, 43, 44, 52, 53, 54]);
    // Top-left corner: one row and one column hang off the frame.
    expect(cutWindow(plane, -1, -1, 3, out)).toBe(5);
    expect(Array.from(out, (v) => (Number.isNaN(v) ? null : v))).toEqual([
      null,
      null,
      null,
      null,
      0,
      1,
      null,
      10,
      11,
    ]);
  });

  it('tiles frames with whole tiles and an evenly split margin', () => {
    expect(gridOrigins(10, 7, 4)).toEqual([
      [1, 1],
      [5, 1],
    ]);
    expect(gridOrigins(3, 3, 4)).toEqual([]);
    expect(gridOrigins(721, 720, 64)).toHaveLength(121);
  });

  it('resizes by block-averaging the central square', () => {
    const plane = { width: 6, height: 4, data: new Float32Array(24).fill(1) };
    plane.data[1 * 6 + 1] = 5; // inside the central 4×4 square (x 1..4)
    const r = resizeSquare(plane, 2);
    expect(r.side).toBe(4);
    expect(r.x0).toBe(1);
    expect([...r.data]).toEqual([2, 1, 1, 1]); // (5 + 1 + 1 + 1) / 4
    // NaN pixels are left out of an average rather than poisoning it.
    plane.data[1 * 6 + 2] = NaN;
    expect(resizeSquare(plane, 2).data[0]).toBeCloseTo(7 / 3, 6);
  });
});

describe('normalisation', () => {
  it('maps to [0, 1] with robust percentiles, zeroes NaN, and is reversible', () => {
    const values = new Float32Array(4096);
    for (let i = 0; i < values.length; i++)
      values[i] = 100 + ((i * 7919) % 101) / 10 + (i === 2000 ? 5000 : 0);
    values[17] = NaN;
    const halves = new Uint16Array(4096);
    const { scale, blank } = normaliseBand(values, halves);
    const out = decodeFloat16(new Uint8Array(halves.buffer));
    expect(blank).toBe(1);
    expect(out[17]).toBe(0);
    expect(Math.min(...out)).toBe(0);
    expect(Math.max(...out)).toBe(1);
    expect(scale.lo).toBeGreaterThanOrEqual(100);
    expect(scale.hi).toBeLessThan(5000); // the single hot pixel clips instead of setting hi
    expect(scale.soft).toBeGreaterThan(0);
    // Inside [lo, hi] the stored value gives back the original to float16 precision.
    const back = denormalise(out, scale);
    for (const i of [0, 1, 500, 3000]) {
      if (values[i]! >= scale.lo && values[i]! <= scale.hi)
        expect(Math.abs(back[i]! - values[i]!)).toBeLessThan(0.05);
    }
  });

  it('interleaves bands (HWC) through offset and stride, and survives flat and blank bands', () => {
    const out = new Uint16Array(8);
    normaliseBand(new Float32Array([1, 2, 3, 4]), out, 0, 2);
    const flat = normaliseBand(new Float32Array([7, 7, 7, 7]), out, 1, 2);
    expect(out[6]).toBe(0x3c00); // 1.0 in float16
    expect([out[1], out[3], out[5], out[7]]).toEqual([0, 0, 0, 0]);
    expect(flat.scale.hi).toBeGreaterThan(flat.scale.lo);
    const blank = normaliseBand(new Float32Array([NaN, NaN]), new Uint16Array(2));
    expect(blank.blank).toBe(2);
  });

  it('writes float16 bit-identically to the store encoder for every value in [0, 1]', () => {
    // Every float32 from 0 to 1 in steps of 2^-7 of the mantissa, subnormal halves included.
    const values = new Float32Array(((127 << 23) >> 16) + 1);
    const bits = new Uint32Array(values.buffer);
    for (let i = 0; i < values.length; i++) bits[i] = (i << 16) | ((i * 40503) & 0xffff);
    bits[values.length - 1] = 127 << 23; // exactly 1
    const halves = new Uint16Array(values.length * 2);
    writeHalves(values, values.length, halves, 1, 2);
    const expected = new Uint16Array(encodeFloat16(values).buffer);
    const odd = halves.filter((_, i) => i % 2 === 1);
    expect(Buffer.from(odd.buffer).equals(Buffer.from(expected.buffer))).toBe(true);
    expect(halves.filter((_, i) => i % 2 === 0).every((h) => h === 0)).toBe(true);
  });
});
