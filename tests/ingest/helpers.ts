import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitsImageBytes } from '../../src-main/engine/demo/write-fits';
import type { HeaderKeyword } from '../../src-main/engine/fits/write-header';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const datasets = resolve(repoRoot, '../shared/datasets');

/** A fresh temporary folder; call the returned cleanup in afterEach/afterAll. */
export function tempDir(prefix = 'ahunt-ingest-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** TAN WCS keywords centred on (ra, dec) at `crpix` (1-based), 1″ pixels, north up. */
export function tanWcs(
  ra: number,
  dec: number,
  crpix: [number, number],
  scaleDeg = 1 / 3600,
): HeaderKeyword[] {
  return [
    { key: 'CTYPE1', value: 'RA---TAN' },
    { key: 'CTYPE2', value: 'DEC--TAN' },
    { key: 'CRPIX1', value: crpix[0] },
    { key: 'CRPIX2', value: crpix[1] },
    { key: 'CRVAL1', value: ra },
    { key: 'CRVAL2', value: dec },
    { key: 'CD1_1', value: -scaleDeg },
    { key: 'CD1_2', value: 0 },
    { key: 'CD2_1', value: 0 },
    { key: 'CD2_2', value: scaleDeg },
  ];
}

/** Writes a float32 FITS image whose pixel (x, y) holds fill(x, y). */
export function writeFits(
  path: string,
  width: number,
  height: number,
  fill: (x: number, y: number) => number,
  keywords: HeaderKeyword[] = [],
): string {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = fill(x, y);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, fitsImageBytes(data, width, height, keywords));
  return path;
}

/** Deterministic noise plus a Gaussian blob: something with structure to normalise. */
export function blob(seed: number, cx = 31.5, cy = 31.5): (x: number, y: number) => number {
  return (x, y) => {
    const h = Math.sin(seed * 12.9898 + x * 78.233 + y * 37.719) * 43758.5453;
    const noise = h - Math.floor(h) - 0.5;
    return 100 + noise * 4 + 500 * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / 30);
  };
}
