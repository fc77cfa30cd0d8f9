import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEMO_ANOMALY_KINDS, renderCutout, type DemoKind } from './kinds';
import { createRng } from './rng';
import { fitsImageBytes } from './write-fits';

export interface DemoSurveyOptions {
  /** Number of cutouts (default 2,500). */
  count?: number;
  seed?: number;
  /** Side in pixels (default 64). */
  side?: number;
  /** Fraction of the survey per anomaly kind (default 0.008: 20 of each in 2,500). */
  anomalyRate?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoSurvey {
  dir: string;
  files: string[];
  /** CSV with id,file,ra,dec,kind: the ground truth for simulations, never imported as labels by default. */
  truth: string;
  counts: Record<DemoKind, number>;
}

/** Field centre (COSMOS) and pixel scale (SDSS, 0.396″): plausible numbers for a demo. */
const FIELD_RA = 150.1;
const FIELD_DEC = 2.2;
const FIELD_RADIUS_DEG = 0.7;
const PIXEL_DEG = 0.396 / 3600;
export const DEMO_TRUTH_FILE = 'truth.csv';

/**
 * Writes a deterministic synthetic survey into `dir`: `demo-00001.fits` … (64×64 float32,
 * TAN WCS centred on each object) and `truth.csv`, written last so its presence means the
 * survey is complete. The same seed gives the same bytes on every machine.
 */
export function generateDemoSurvey(dir: string, options: DemoSurveyOptions = {}): DemoSurvey {
  const count = options.count ?? 2500;
  const side = options.side ?? 64;
  const rate = options.anomalyRate ?? 0.008;
  const rng = createRng(options.seed ?? 1);
  const root = resolve(dir);
  mkdirSync(root, { recursive: true });

  const kinds = assignKinds(count, rate, rng);
  const counts = Object.fromEntries(['normal', ...DEMO_ANOMALY_KINDS].map((k) => [k, 0])) as Record<
    DemoKind,
    number
  >;
  const files: string[] = [];
  const lines = ['id,file,ra,dec,kind'];
  const digits = Math.max(5, String(count).length);
  for (let i = 0; i < count; i++) {
    const kind = kinds[i]!;
    counts[kind]++;
    const id = `demo-${String(i + 1).padStart(digits, '0')}`;
    const file = `${id}.fits`;
    // Uniform over a spherical cap around the field centre.
    const r = FIELD_RADIUS_DEG * Math.sqrt(rng.next());
    const theta = rng.uniform(0, 2 * Math.PI);
    const dec = FIELD_DEC + r * Math.sin(theta);
    const ra = FIELD_RA + (r * Math.cos(theta)) / Math.cos((dec * Math.PI) / 180);
    const pixels = renderCutout(kind, side, rng);
    const bytes = fitsImageBytes(pixels, side, side, [
      { key: 'OBJECT', value: id },
      { key: 'ORIGIN', value: 'AHUNT demo survey', comment: 'synthetic data' },
      { key: 'BUNIT', value: 'count' },
      { key: 'EQUINOX', value: 2000 },
      { key: 'RADESYS', value: 'ICRS' },
      { key: 'CTYPE1', value: 'RA---TAN' },
      { key: 'CTYPE2', value: 'DEC--TAN' },
      { key: 'CRPIX1', value: (side + 1) / 2 },
      { key: 'CRPIX2', value: (side + 1) / 2 },
      { key: 'CRVAL1', value: round(ra, 7) },
      { key: 'CRVAL2', value: round(dec, 7) },
      { key: 'CD1_1', value: -PIXEL_DEG },
      { key: 'CD1_2', value: 0 },
      { key: 'CD2_1', value: 0 },
      { key: 'CD2_2', value: PIXEL_DEG },
    ]);
    const path = join(root, file);
    writeFileSync(path, bytes);
    files.push(path);
    lines.push(`${id},${file},${round(ra, 7)},${round(dec, 7)},${kind}`);
    if (options.onProgress && ((i + 1) % 100 === 0 || i + 1 === count))
      options.onProgress(i + 1, count);
  }
  const truth = join(root, DEMO_TRUTH_FILE);
  writeFileSync(truth, `${lines.join('\n')}\n`);
  return { dir: root, files, truth, counts };
}

/** Exactly round(rate·count) (at least 1) of each anomaly kind, at shuffled positions. */
function assignKinds(count: number, rate: number, rng: ReturnType<typeof createRng>): DemoKind[] {
  const kinds: DemoKind[] = new Array<DemoKind>(count).fill('normal');
  const perKind = Math.max(1, Math.round(rate * count));
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  let at = 0;
  for (const kind of DEMO_ANOMALY_KINDS) {
    for (let k = 0; k < perKind && at < count; k++) kinds[order[at++]!] = kind;
  }
  return kinds;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
