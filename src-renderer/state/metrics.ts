/**
 * Timings measured in the page (performance.now), exposed on window.__ahuntMetrics so the
 * browser tests can read them.
 */
export interface Metrics {
  /** Keypress → label.set resolved and the grid updated, per label. */
  labelMs: number[];
  /** The label.set request alone (engine + transport), to tell engine time from page time. */
  labelRequestMs: number[];
  /** New questions: every cell drawn, pixels already at hand (render time). */
  gridRenderMs: number[];
  /** New questions → every cell drawn, including fetching their pixels. */
  gridLoadMs: number[];
  /** Display settings changed → every grid cell redrawn. */
  restretchMs: number[];
}

export function createMetrics(): Metrics {
  return { labelMs: [], labelRequestMs: [], gridRenderMs: [], gridLoadMs: [], restretchMs: [] };
}

/** The q-quantile (0..1) of samples, nearest-rank; NaN when there are none. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
