/**
 * Real inputs for the ONNX equality tests, read from the shared reference data (never copied
 * into the repo). Each loader returns null when the data is absent so tests can skip.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { datasetsDir } from '../../shared-datasets';

// Where every real-data test looks (AHUNT_DATASETS, or ../shared/datasets beside the checkout).
export const datasetsRoot = datasetsDir;
export const mnistDir = path.join(datasetsRoot, 'mnist');
export const galaxyZooDir = path.join(datasetsRoot, 'galaxyzoo1');

export const hasMnist = existsSync(path.join(mnistDir, 't10k-images-idx3-ubyte.gz'));
export const hasGalaxyZoo = existsSync(path.join(galaxyZooDir, 'labels.csv'));
export const missingDataMessage = `reference data not found at ${datasetsRoot}; skipping the tests on real images`;

export interface Digits {
  /** count × 28 × 28 floats in [0, 1], NHWC with one band. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

/**
 * IDX format (LeCun): big-endian magic (0x0803 images, 0x0801 labels), then one uint32 per
 * dimension, then uint8 values.
 */
export function readMnistTest(limit: number): Digits {
  const images = gunzipSync(readFileSync(path.join(mnistDir, 't10k-images-idx3-ubyte.gz')));
  const labels = gunzipSync(readFileSync(path.join(mnistDir, 't10k-labels-idx1-ubyte.gz')));
  if (images.readUInt32BE(0) !== 0x803 || labels.readUInt32BE(0) !== 0x801) {
    throw new Error('MNIST files do not start with the IDX magic numbers');
  }
  const total = images.readUInt32BE(4);
  const rows = images.readUInt32BE(8);
  const cols = images.readUInt32BE(12);
  if (rows !== 28 || cols !== 28 || labels.readUInt32BE(4) !== total) {
    throw new Error(`unexpected MNIST layout ${total}×${rows}×${cols}`);
  }
  const count = Math.min(limit, total);
  const pixels = new Float32Array(count * 28 * 28);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (images[16 + i] as number) / 255;
  return { images: pixels, labels: Uint8Array.from(labels.subarray(8, 8 + count)), count };
}

/** The first `count` Galaxy Zoo cutouts, resized to size×size RGB, scaled to [0, 1]. */
export async function readGalaxies(count: number, size: number): Promise<Float32Array> {
  const files = galaxyRows()
    .slice(0, count)
    .map((row) => row.split(',')[0] as string);
  return readGalaxyImages(files, size);
}

/**
 * `count` Galaxy Zoo cutouts spread evenly over the catalogue (it is sorted by class), in an
 * order that interleaves the classes, resized to size×size RGB in [0, 1], with their labels.
 */
export async function readSpreadGalaxies(
  count: number,
  size: number,
): Promise<{ images: Float32Array; labels: Uint8Array }> {
  const rows = galaxyRows();
  const step = rows.length / count;
  // Stride through the catalogue with a step coprime to its length, so neighbours differ in class.
  const picks = Array.from(
    { length: count },
    (_, i) =>
      (rows[Math.floor(((i * 7919) % count) * step)] as string).split(',') as [string, string],
  );
  const images = await readGalaxyImages(
    picks.map(([file]) => file),
    size,
  );
  return { images, labels: Uint8Array.from(picks, ([, label]) => Number(label)) };
}

/** labels.csv's rows after its header: `file,label`. */
function galaxyRows(): string[] {
  return readFileSync(path.join(galaxyZooDir, 'labels.csv'), 'utf8').trim().split('\n').slice(1);
}

/** The cutouts `files` (as labels.csv names them), resized to size×size RGB in [0, 1]. */
async function readGalaxyImages(files: string[], size: number): Promise<Float32Array> {
  const { default: sharp } = await import('sharp');
  const out = new Float32Array(files.length * size * size * 3);
  for (const [n, file] of files.entries()) {
    const rgb = await sharp(path.join(galaxyZooDir, 'images', path.basename(file)))
      .resize(size, size)
      .removeAlpha()
      .raw()
      .toBuffer();
    for (let i = 0; i < rgb.length; i++) out[n * rgb.length + i] = (rgb[i] as number) / 255;
  }
  return out;
}
