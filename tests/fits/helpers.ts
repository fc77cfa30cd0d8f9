import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = path.join(repoRoot, 'tests/fixtures/fits');
export const datasetsDir = path.resolve(repoRoot, '../shared/datasets/fits');

export interface ExpectedImage {
  file?: string;
  hdu: number;
  shape: [number, number];
  depth: number;
  plane: number;
  astropyDtype: string;
  tolerance: number;
  stats: { min: number | null; max: number | null; mean: number | null; sum: number; nan: number };
  hdus: { type: string; extname: string | null; compression: string | null }[];
  pixels?: (number | null)[];
  samples?: [number, number, number | null][];
  wcs?: [number, number, number, number][];
}

export function loadExpected(): Record<string, ExpectedImage> {
  return JSON.parse(readFileSync(path.join(fixturesDir, 'expected.json'), 'utf8')) as Record<
    string,
    ExpectedImage
  >;
}

export function fixtureBytes(name: string): Uint8Array {
  // A plain Uint8Array copy: Buffer.slice() shares memory, which would let one test corrupt another.
  return new Uint8Array(readFileSync(path.join(fixturesDir, name)));
}

/** Relative-or-absolute closeness; null in JSON stands for NaN. */
export function close(actual: number, expected: number | null, tolerance: number): boolean {
  if (expected === null) return Number.isNaN(actual);
  if (actual === expected) return true;
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}
