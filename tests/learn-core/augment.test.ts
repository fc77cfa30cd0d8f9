import { describe, it, expect } from 'vitest';
import { augmentInto, makeRng } from '../../src-main/engine/learn/augment';

function image(size: number, bands: number): Float32Array {
  return Float32Array.from({ length: size * size * bands }, (_, i) => ((i * 37) % 101) / 100);
}

describe('augmentInto', () => {
  it("copies unchanged with 'none'", () => {
    const src = image(6, 2);
    const dst = new Float32Array(src.length * 2);
    augmentInto(src, 0, dst, 1, 6, 2, 'none', makeRng(1));
    expect(Array.from(dst.subarray(72))).toEqual(Array.from(src));
  });

  it('flips, rotations and shifts only move pixels around (no new values)', () => {
    const size = 10;
    const src = image(size, 3);
    const values = new Set(Array.from(src));
    const rng = makeRng(5);
    for (let k = 0; k < 20; k++) {
      const dst = new Float32Array(src.length);
      augmentInto(src, 0, dst, 0, size, 3, 'flips-rot90', rng);
      for (const v of dst) expect(values.has(v)).toBe(true);
    }
  });

  it('produces the 8 dihedral images of an asymmetric cutout, exactly', () => {
    const size = 4;
    // Shifts are at most round(0.1·4) = 0 pixels here, so only flips and rotations act.
    const src = Float32Array.from({ length: size * size }, (_, i) => i);
    const seen = new Set<string>();
    const rng = makeRng(9);
    for (let k = 0; k < 200; k++) {
      const dst = new Float32Array(src.length);
      augmentInto(src, 0, dst, 0, size, 1, 'flips-rot90', rng);
      expect(Array.from(dst).sort((a, b) => a - b)).toEqual(Array.from(src));
      seen.add(dst.join(','));
    }
    expect(seen.size).toBe(8);
  });

  it("rotates by arbitrary angles for 'galaxy' and is reproducible from the seed", () => {
    const size = 16;
    const src = image(size, 1);
    const a = new Float32Array(src.length);
    const b = new Float32Array(src.length);
    augmentInto(src, 0, a, 0, size, 1, 'galaxy', makeRng(3));
    augmentInto(src, 0, b, 0, size, 1, 'galaxy', makeRng(3));
    expect(Array.from(a)).toEqual(Array.from(b));
    const values = new Set(Array.from(src));
    expect(Array.from(a).some((v) => !values.has(v))).toBe(true); // interpolated
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(1);
  });
});
