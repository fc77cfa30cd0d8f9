import { describe, expect, it } from 'vitest';
import { fitsImageBytes } from '../../src-main/engine/demo/write-fits';
import { parseFits, releasePixels } from '../../src-main/engine/fits';
import { fixtureBytes } from './helpers';

function image(fill: number, width = 8, height = 8) {
  const data = new Float32Array(width * height).fill(fill);
  return parseFits(fitsImageBytes(data, width, height, []), `${fill}.fits`).readImage();
}

describe('releasePixels', () => {
  it('lets the next plain image of the same size decode into a released plane', () => {
    const first = image(1);
    const kept = image(2);
    releasePixels(first.data);
    const next = image(3);
    expect(next.data).toBe(first.data);
    expect(Array.from(new Set(next.data))).toEqual([3]);
    // An array never released is never written again.
    image(4);
    expect(Array.from(new Set(kept.data))).toEqual([2]);
  });

  it('hands out a plane released twice only once, and only for its own size and type', () => {
    const a = image(1);
    releasePixels(a.data);
    releasePixels(a.data);
    const b = image(2);
    const c = image(3);
    expect(b.data).toBe(a.data);
    expect(c.data).not.toBe(a.data);
    releasePixels(c.data);
    expect(image(5, 4, 4).data).not.toBe(c.data);
    const wide = parseFits(fixtureBytes('bitpix-64.fits'), 'bitpix-64.fits').readImage();
    expect(wide.data).toBeInstanceOf(Float64Array);
    expect(image(6).data).toBe(c.data);
  });
});
