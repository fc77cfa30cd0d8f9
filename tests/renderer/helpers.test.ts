import './runes-shim';
import { describe, expect, it } from 'vitest';
import type { PixelData } from '../../src-main/contract/contract';
import { formatDec, formatRa } from '../../src-renderer/components/format';
import { PixelCache } from '../../src-renderer/display/pixel-cache';
import { linearScale, nearestPoint } from '../../src-renderer/plots/scale';
import { percentile } from '../../src-renderer/state/metrics';
import { toApiError, ToastStore } from '../../src-renderer/state/toasts.svelte';

describe('coordinates', () => {
  it('formats RA in hours and Dec with its sign', () => {
    expect(formatRa(150)).toBe('10:00:00.00');
    expect(formatRa(-15)).toBe('23:00:00.00');
    expect(formatRa(83.633)).toBe('05:34:31.92');
    expect(formatDec(22.0145)).toBe('+22:00:52.2');
    expect(formatDec(-5.5)).toBe('−05:30:00.0');
  });
});

describe('plot scales', () => {
  it('picks round ticks', () => {
    expect(linearScale([0, 10], [0, 1], 5).ticks).toEqual([0, 2, 4, 6, 8, 10]);
    expect(linearScale([0, 1], [0, 1], 5).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearScale([0, 100], [0, 1], 4).ticks).toEqual([0, 20, 40, 60, 80, 100]);
    expect(linearScale([3, 3], [0, 1]).ticks).toEqual([3]);
  });

  it('maps domain onto range, inverted axes included', () => {
    const y = linearScale([0, 10], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(5)).toBe(100);
    expect(y(10)).toBe(0);
  });

  it('finds the nearest point within the radius only', () => {
    const points = [
      { x: 0, y: 0 },
      { x: 10, y: 10 },
    ];
    expect(nearestPoint(points, 9, 9, 5)).toBe(1);
    expect(nearestPoint(points, 5, 5, 2)).toBe(-1);
  });
});

describe('metrics', () => {
  it('nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(samples, 0.95)).toBe(95);
    expect(percentile(samples, 0.5)).toBe(50);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.95)).toBeNaN();
  });
});

describe('PixelCache', () => {
  const pixels = (id: number): PixelData => ({ size: 1, bands: 1, data: Float32Array.of(id) });

  it('fetches each object once, shares concurrent requests and evicts the oldest', async () => {
    const fetched: number[] = [];
    const cache = new PixelCache(async (ids) => {
      fetched.push(...ids);
      return ids.map(pixels);
    }, 2);
    const [a, b] = await Promise.all([cache.get(1), cache.get(1)]);
    expect(a).toBe(b);
    await cache.get(2);
    await cache.get(1); // 1 becomes the most recent
    await cache.get(3); // evicts 2
    await cache.get(1);
    await cache.get(2);
    expect(fetched).toEqual([1, 2, 3, 2]);
    expect(cache.size).toBe(2);
  });

  it('asks for everything requested in one tick in one batch, in batches of at most 512', async () => {
    const batches: number[][] = [];
    const cache = new PixelCache(async (ids) => {
      batches.push([...ids]);
      return ids.map((id) => (id === 13 ? null : pixels(id)));
    });
    const grid = Array.from({ length: 600 }, (_, i) => i + 1);
    const results = await Promise.allSettled(grid.map((id) => cache.get(id)));
    expect(batches.map((b) => b.length)).toEqual([512, 88]);
    expect(batches.flat()).toEqual(grid);
    // A missing object fails alone; its neighbours arrive.
    expect(results[12]).toMatchObject({ status: 'rejected' });
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(599);
    expect(((await cache.get(14)) as PixelData).data[0]).toBe(14);
  });

  it('forgets failed fetches so the object can be retried', async () => {
    let fail = true;
    const cache = new PixelCache(async (ids) => {
      if (fail) throw new Error('offline');
      return ids.map(pixels);
    });
    await expect(cache.get(5)).rejects.toThrow('offline');
    fail = false;
    expect((await cache.get(5)).data[0]).toBe(5);
  });
});

describe('toasts', () => {
  it('keeps the sentence, drops stacks and repeats, and caps the list', () => {
    const toasts = new ToastStore();
    toasts.push({ code: 'x', message: 'The file is not FITS.' });
    toasts.push({ code: 'x', message: 'The file is not FITS.' });
    expect(toasts.items).toHaveLength(1);
    for (let i = 0; i < 8; i++) toasts.push({ code: 'n', message: `m${i}` });
    expect(toasts.items).toHaveLength(5);
    toasts.dismiss(toasts.items[0]!.id);
    expect(toasts.items).toHaveLength(4);
    const error = new Error('Boom happened\n    at foo (bar.ts:1:1)');
    expect(toApiError(error)).toEqual({ code: 'client', message: 'Boom happened' });
  });
});
