import { describe, expect, it } from 'vitest';
import { selectKth } from '../../src-main/engine/ingest/select';

/** A small deterministic generator, so a failure names a reproducible input. */
function numbers(seed: number): () => number {
  let state = seed;
  return () => (state = (state * 1103515245 + 12345) >>> 0) / 4294967296;
}

function inputs(): { name: string; values: Float32Array }[] {
  const random = numbers(7);
  const make = (name: string, n: number, f: (i: number) => number) => ({
    name,
    values: Float32Array.from({ length: n }, (_, i) => f(i)),
  });
  return [
    make('random', 1024, () => random() * 100 - 50),
    make('few distinct', 1000, () => Math.floor(random() * 4)),
    make('constant', 700, () => 3.5),
    make('ascending', 513, (i) => i),
    make('descending', 513, (i) => -i),
    make('mostly zero', 900, () => (random() < 0.9 ? 0 : random())),
    make('organ pipe', 600, (i) => Math.min(i, 600 - i)),
    make('tiny', 5, () => random()),
    make('one', 1, () => 42),
  ];
}

describe('selectKth', () => {
  it('returns the k-th smallest for every rank', () => {
    for (const { name, values } of inputs()) {
      const sorted = values.slice().sort();
      for (let k = 0; k < values.length; k += Math.max(1, values.length >> 6)) {
        expect([name, k, selectKth(values.slice(), k)]).toEqual([name, k, sorted[k]]);
      }
    }
  });

  it('leaves the range partitioned around k, so lower ranks can be selected from the left', () => {
    for (const { name, values } of inputs()) {
      const a = values.slice();
      const k = a.length >> 1;
      const kth = selectKth(a, k);
      expect([name, a.subarray(0, k).every((v) => v <= kth)]).toEqual([name, true]);
      expect([name, a.subarray(k + 1).every((v) => v >= kth)]).toEqual([name, true]);
      const low = Math.floor(k / 10);
      expect(selectKth(a, low, 0, k)).toBe(values.slice().sort()[low]);
    }
  });

  it('selects within a sub-range only (k counts from the array start)', () => {
    const a = new Float32Array([9, 9, 5, 1, 3, 9, 9]);
    expect(selectKth(a, 3, 2, 4)).toBe(3);
    expect(selectKth(a, 4, 2, 4)).toBe(5);
    expect([a[0], a[1], a[5], a[6]]).toEqual([9, 9, 9, 9]);
  });
});
