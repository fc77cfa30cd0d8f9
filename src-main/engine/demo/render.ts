/**
 * Drawing primitives for synthetic survey cutouts, on a square Float32Array image with the
 * first pixel's centre at (0, 0). Light is added in arbitrary counts; sky is 0 before noise.
 */
export interface Shape {
  x: number;
  y: number;
  /** Axis ratio b/a (1 = round) and position angle in radians. */
  q: number;
  pa: number;
}

/**
 * Calls `f(index, r)` with each pixel's elliptical radius around a shape (in units of its
 * major axis). The rotation is hoisted out of the loop: this runs for every pixel of
 * thousands of demo cutouts.
 */
function forEachRadius(side: number, s: Shape, f: (index: number, r: number) => void): void {
  const c = Math.cos(s.pa);
  const n = Math.sin(s.pa);
  const invQ = 1 / s.q;
  for (let j = 0; j < side; j++) {
    const dy = j - s.y;
    for (let i = 0; i < side; i++) {
      const dx = i - s.x;
      const u = dx * c + dy * n;
      const v = (dy * c - dx * n) * invQ;
      f(j * side + i, Math.sqrt(u * u + v * v));
    }
  }
}

/** A Sérsic profile I(r) = amp·exp(−b_n((r/re)^(1/n) − 1)): n = 1 disc, n = 4 bulge. */
export function addSersic(
  img: Float32Array,
  side: number,
  s: Shape & { re: number; n: number; amp: number },
): void {
  const bn = 2 * s.n - 1 / 3 + 4 / (405 * s.n);
  const inv = 1 / s.n;
  const invRe = 1 / s.re;
  forEachRadius(side, s, (k, r) => {
    img[k]! += s.amp * Math.exp(-bn * (Math.pow(r * invRe, inv) - 1));
  });
}

/** A Gaussian annulus (a ring galaxy's ring, an Einstein ring). */
export function addRing(
  img: Float32Array,
  side: number,
  s: Shape & { radius: number; width: number; amp: number },
): void {
  const invWidth = 1 / s.width;
  forEachRadius(side, s, (k, r) => {
    const d = (r - s.radius) * invWidth;
    img[k]! += s.amp * Math.exp(-0.5 * d * d);
  });
}

/**
 * A circular arc of a Gaussian profile between angles `from` and `to` (radians), tapered
 * at its ends: lensing arcs and tidal tails.
 */
export function addArc(
  img: Float32Array,
  side: number,
  a: { x: number; y: number; radius: number; width: number; amp: number; from: number; to: number },
): void {
  const mid = (a.from + a.to) / 2;
  const half = Math.abs(a.to - a.from) / 2;
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      const dx = i - a.x;
      const dy = j - a.y;
      const d = (Math.sqrt(dx * dx + dy * dy) - a.radius) / a.width;
      let angle = Math.atan2(dy, dx) - mid;
      angle = Math.atan2(Math.sin(angle), Math.cos(angle));
      const t = Math.abs(angle) / half;
      if (t >= 1) continue;
      img[j * side + i]! += a.amp * Math.exp(-0.5 * d * d) * Math.cos((t * Math.PI) / 2);
    }
  }
}

/** A straight streak across the image (a satellite trail), one to two pixels wide. */
export function addTrail(
  img: Float32Array,
  side: number,
  t: { x: number; y: number; angle: number; width: number; amp: number },
): void {
  const nx = -Math.sin(t.angle);
  const ny = Math.cos(t.angle);
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      const d = ((i - t.x) * nx + (j - t.y) * ny) / t.width;
      img[j * side + i]! += t.amp * Math.exp(-0.5 * d * d);
    }
  }
}

/** Separable Gaussian blur (the PSF), edges clamped. */
export function blur(img: Float32Array, side: number, sigma: number): void {
  const radius = Math.ceil(3 * sigma);
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++)
    sum += kernel[k + radius] = Math.exp((-0.5 * k * k) / (sigma * sigma));
  for (let k = 0; k < kernel.length; k++) kernel[k]! /= sum;
  const tmp = new Float32Array(img.length);
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const x = Math.min(side - 1, Math.max(0, i + k));
        acc += kernel[k + radius]! * img[j * side + x]!;
      }
      tmp[j * side + i] = acc;
    }
  }
  for (let j = 0; j < side; j++) {
    for (let i = 0; i < side; i++) {
      let acc = 0;
      for (let k = -radius; k <= radius; k++) {
        const y = Math.min(side - 1, Math.max(0, j + k));
        acc += kernel[k + radius]! * tmp[y * side + i]!;
      }
      img[j * side + i] = acc;
    }
  }
}
