/** p50/p95 of one UI query, in milliseconds, over `calls` calls (after a few warm-up calls). */
export interface QueryTiming {
  calls: number;
  p50: number;
  p95: number;
  max: number;
}

export function timeCalls(calls: number, run: (i: number) => void): QueryTiming {
  for (let i = 0; i < Math.min(5, calls); i++) run(i); // statement cache and page cache warm
  const ms = new Float64Array(calls);
  for (let i = 0; i < calls; i++) {
    const start = performance.now();
    run(i);
    ms[i] = performance.now() - start;
  }
  ms.sort();
  return {
    calls,
    p50: round3(quantile(ms, 0.5)),
    p95: round3(quantile(ms, 0.95)),
    max: round3(ms[calls - 1] ?? 0),
  };
}

function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
