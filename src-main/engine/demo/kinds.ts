import { addArc, addRing, addSersic, addTrail, blur, type Shape } from './render';
import type { Rng } from './rng';

/** Ground-truth kinds of the demo survey. Everything but `normal` is an anomaly. */
export const DEMO_KINDS = [
  'normal',
  'ring',
  'merger',
  'lens',
  'satellite',
  'cosmic',
  'badcolumn',
] as const;
export type DemoKind = (typeof DEMO_KINDS)[number];
export const DEMO_ANOMALY_KINDS = DEMO_KINDS.filter((k) => k !== 'normal') as Exclude<
  DemoKind,
  'normal'
>[];

/** Noise σ in counts; galaxies peak at 10–150σ like well-detected survey galaxies. */
const NOISE = 1;
const PSF_SIGMA = 1.1;

/** Renders one cutout of the given kind. Sky-subtracted, PSF-blurred, with Gaussian noise. */
export function renderCutout(kind: DemoKind, side: number, rng: Rng): Float32Array {
  const img = new Float32Array(side * side);
  const c = (side - 1) / 2;
  const centre = { x: c + rng.uniform(-1.5, 1.5), y: c + rng.uniform(-1.5, 1.5) };
  switch (kind) {
    case 'ring': {
      const g = addGalaxy(img, side, rng, centre, { bulgeOnly: true, scale: 0.7 });
      addRing(img, side, {
        ...g,
        radius: rng.uniform(9, 16),
        width: rng.uniform(1.2, 2.2),
        amp: rng.uniform(2.5, 5),
      });
      break;
    }
    case 'merger': {
      const a = addGalaxy(
        img,
        side,
        rng,
        { x: centre.x - rng.uniform(4, 8), y: centre.y + rng.uniform(-4, 4) },
        {},
      );
      const b = addGalaxy(
        img,
        side,
        rng,
        { x: centre.x + rng.uniform(4, 8), y: centre.y + rng.uniform(-4, 4) },
        { scale: 0.7 },
      );
      const mx = (a.x + b.x) / 2;
      const my = (a.y + b.y) / 2;
      const start = rng.uniform(0, 2 * Math.PI);
      // Two tidal tails leaving the pair in opposite directions.
      for (const offset of [0, Math.PI]) {
        addArc(img, side, {
          x: mx,
          y: my,
          radius: rng.uniform(10, 18),
          width: rng.uniform(1.5, 2.5),
          amp: rng.uniform(1.2, 2.5),
          from: start + offset,
          to: start + offset + rng.uniform(1.2, 2.2),
        });
      }
      break;
    }
    case 'lens': {
      addGalaxy(img, side, rng, centre, { bulgeOnly: true });
      const from = rng.uniform(0, 2 * Math.PI);
      addArc(img, side, {
        x: centre.x,
        y: centre.y,
        radius: rng.uniform(9, 14),
        width: rng.uniform(0.8, 1.3),
        amp: rng.uniform(4, 8),
        from,
        to: from + rng.uniform(1.0, 2.0),
      });
      break;
    }
    default:
      addGalaxy(img, side, rng, centre, {});
  }
  blur(img, side, PSF_SIGMA);
  for (let i = 0; i < img.length; i++) img[i]! += NOISE * rng.normal();
  // Detector and sky artefacts are not blurred by the telescope's PSF.
  if (kind === 'satellite') {
    addTrail(img, side, {
      x: rng.uniform(10, side - 10),
      y: rng.uniform(10, side - 10),
      angle: rng.uniform(0, Math.PI),
      width: rng.uniform(0.6, 1.0),
      amp: rng.uniform(8, 20),
    });
  } else if (kind === 'cosmic') {
    const hits = 1 + rng.int(3);
    for (let h = 0; h < hits; h++) {
      // A short, sharp track: one to five pixels far above the noise.
      let x = rng.int(side);
      let y = rng.int(side);
      const dx = rng.int(3) - 1;
      const dy = rng.int(3) - 1;
      const length = 1 + rng.int(5);
      for (
        let k = 0;
        k < length && x >= 0 && y >= 0 && x < side && y < side;
        k++, x += dx, y += dy
      ) {
        img[y * side + x]! += rng.uniform(40, 200);
      }
    }
  } else if (kind === 'badcolumn') {
    const x = 4 + rng.int(side - 8);
    const level = rng.next() < 0.5 ? rng.uniform(15, 40) : -rng.uniform(15, 40);
    const from = rng.next() < 0.5 ? 0 : rng.int(side / 2);
    for (let y = from; y < side; y++) img[y * side + x]! += level;
  }
  return img;
}

/** An elliptical (bulge) or disc galaxy, optionally with a bulge; returns its shape. */
function addGalaxy(
  img: Float32Array,
  side: number,
  rng: Rng,
  at: { x: number; y: number },
  opts: { bulgeOnly?: boolean; scale?: number },
): Shape {
  const scale = opts.scale ?? 1;
  const shape: Shape = { x: at.x, y: at.y, q: rng.uniform(0.35, 1), pa: rng.uniform(0, Math.PI) };
  const elliptical = opts.bulgeOnly || rng.next() < 0.4;
  if (elliptical) {
    addSersic(img, side, {
      ...shape,
      q: Math.max(0.55, shape.q),
      re: scale * rng.uniform(2.5, 6),
      n: rng.uniform(3, 4.5),
      amp: rng.uniform(3, 12),
    });
  } else {
    addSersic(img, side, {
      ...shape,
      re: scale * rng.uniform(4, 9),
      n: rng.uniform(0.8, 1.3),
      amp: rng.uniform(3, 10),
    });
    if (rng.next() < 0.7) {
      addSersic(img, side, {
        ...shape,
        q: Math.min(1, shape.q + 0.3),
        re: scale * rng.uniform(1.2, 2.5),
        n: 4,
        amp: rng.uniform(5, 20),
      });
    }
  }
  return shape;
}
