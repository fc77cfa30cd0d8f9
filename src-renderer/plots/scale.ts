/** Axis scales and tick values for the hand-drawn SVG plots. */

export interface LinearScale {
  (value: number): number;
  ticks: number[];
}

/** About `count` round tick values (1, 2 or 5 × 10^k steps) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push(Number(v.toPrecision(12)));
  }
  return ticks;
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
  scale.ticks = niceTicks(d0, d1, tickCount);
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
