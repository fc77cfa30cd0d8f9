import { ticks } from 'd3-array';

/**
 * Axis scales for the SVG plots. The plots are drawn as Svelte markup (crisp at any size, and
 * their figures are text a test can read); the round tick values are d3-array's.
 */

export interface LinearScale {
  (value: number): number;
  ticks: number[];
}

/** Maps [domainLo, domainHi] linearly onto [rangeLo, rangeHi]. */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
  tickCount = 5,
): LinearScale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const scale = ((value: number) => r0 + ((value - d0) / span) * (r1 - r0)) as LinearScale;
  scale.ticks = d1 > d0 ? ticks(d0, d1, tickCount) : [d0];
  return scale;
}

/** Index of the point nearest to (x, y) within `radius`, or -1. */
export function nearestPoint(
  points: readonly { x: number; y: number }[],
  x: number,
  y: number,
  radius: number,
): number {
  let best = -1;
  let bestDistance = radius * radius;
  for (let i = 0; i < points.length; i++) {
    const p = points[i]!;
    const d = (p.x - x) ** 2 + (p.y - y) ** 2;
    if (d <= bestDistance) {
      bestDistance = d;
      best = i;
    }
  }
  return best;
}
