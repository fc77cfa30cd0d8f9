/**
 * Timings measured in the page (performance.now), exposed on window.__ahuntMetrics so the
 * browser tests can read them. Label spans start at the keydown event's own timeStamp (set
 * when the browser received the key), so time the key waited for a busy page counts too.
 */
export interface Metrics {
  /**
   * Keydown → the label in the DOM (Svelte flushed the update), so the next frame paints it:
   * ≤ 16 ms means the label is in the first frame after the key.
   */
  labelShownMs: number[];
  /**
   * Keydown → the start of the frame that paints the label (requestAnimationFrame after the
   * DOM update). Includes the wait for that frame, up to a whole frame interval (16.7 ms at
   * 60 Hz) however little work the key costs.
   */
  labelFrameMs: number[];
  /** Keydown → the engine's reply that the label is stored (label.set resolved ok). */
  labelPersistedMs: number[];
  /** Keydown → label.set resolved and the grid updated, per label: what the expert waits for. */
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
  return {
    labelShownMs: [],
    labelFrameMs: [],
    labelPersistedMs: [],
    labelMs: [],
    labelRequestMs: [],
    gridRenderMs: [],
    gridLoadMs: [],
    restretchMs: [],
  };
}

/** The q-quantile (0..1) of samples, nearest-rank; NaN when there are none. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}
