/**
 * MNIST in LeCun's IDX format, gzip-compressed (train-images-idx3-ubyte.gz and friends).
 * IDX: big-endian; magic = 0x0000 + type byte (0x08 = uint8) + number of dimensions; then
 * one uint32 per dimension; then the data.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DatasetError } from './types';
import type { LabelledImages, LoadOptions } from './types';

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** Parses an IDX file of unsigned bytes (gzip or plain). */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (raw.byteLength < 4 || view.getUint16(0) !== 0) {
    throw new DatasetError(
      `${file} is not an IDX file (bad magic number); expected MNIST IDX data.`,
    );
  }
  const type = view.getUint8(2);
  const rank = view.getUint8(3);
  if (type !== 0x08) {
    throw new DatasetError(
      `${file} holds IDX type 0x${type.toString(16)}; only unsigned bytes (0x08) are supported.`,
    );
  }
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(view.getUint32(4 + 4 * d));
  const offset = 4 + 4 * rank;
  const expected = dims.reduce((a, b) => a * b, 1);
  if (raw.byteLength - offset < expected) {
    throw new DatasetError(
      `${file} is truncated: ${raw.byteLength - offset} bytes for ${dims.join('×')} values.`,
    );
  }
  return { dims, data: raw.subarray(offset, offset + expected) };
}

const SPLITS = [
  ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
] as const;

function findFile(dir: string, stem: string): string | null {
  for (const name of [`${stem}.gz`, stem, stem.replace(/-idx(\d)-/, '.idx$1-')]) {
    const full = path.join(dir, name);
    if (existsSync(full)) return full;
  }
  return null;
}

/**
 * Loads MNIST from a folder: training and test splits together (70,000 digits; the benchmark
 * protocol needs more 1s than the training split holds), pixels / 255, class names '0'…'9'.
 * A split that is absent is skipped; none at all is an error.
 */
export function loadMnist(dir: string, options: LoadOptions = {}): LabelledImages {
  if (!existsSync(dir)) {
    throw new DatasetError(
      `MNIST folder ${dir} does not exist; point mnist: at the folder holding train-images-idx3-ubyte.gz.`,
    );
  }
  const classNames = Array.from({ length: 10 }, (_, i) => String(i));
  const keep = options.classes ? new Set(options.classes) : null;
  if (keep) {
    for (const c of keep) {
      if (!classNames.includes(c))
        throw new DatasetError(`MNIST has no class "${c}"; classes are 0 to 9.`);
    }
  }
  const parts: Array<{ images: IdxArray; labels: IdxArray }> = [];
  for (const [imageStem, labelStem] of SPLITS) {
    const imageFile = findFile(dir, imageStem);
    const labelFile = findFile(dir, labelStem);
    if (!imageFile || !labelFile) continue;
    const images = parseIdx(readFileSync(imageFile), imageFile);
    const labels = parseIdx(readFileSync(labelFile), labelFile);
    if (images.dims.length !== 3 || labels.dims.length !== 1 || images.dims[0] !== labels.dims[0]) {
      throw new DatasetError(
        `${imageFile} (${images.dims.join('×')}) and ${labelFile} (${labels.dims.join('×')}) do not match; expected N×28×28 images and N labels.`,
      );
    }
    parts.push({ images, labels });
  }
  if (parts.length === 0) {
    throw new DatasetError(
      `No MNIST IDX files in ${dir}; expected train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz.`,
    );
  }
  const rows = parts[0]!.images.dims[1]!;
  const cols = parts[0]!.images.dims[2]!;
  if (rows !== cols)
    throw new DatasetError(
      `MNIST images in ${dir} are ${rows}×${cols}; only square images are supported.`,
    );
  const pixels = rows * cols;
  let count = 0;
  for (const p of parts) {
    for (const l of p.labels.data) if (!keep || keep.has(String(l))) count++;
  }
  const data = new Float32Array(count * pixels);
  const labels = new Int32Array(count);
  let n = 0;
  for (const p of parts) {
    const src = p.images.data;
    p.labels.data.forEach((label, i) => {
      if (keep && !keep.has(String(label))) return;
      labels[n] = label;
      const base = i * pixels;
      const out = n * pixels;
      for (let k = 0; k < pixels; k++) data[out + k] = src[base + k]! / 255;
      n++;
    });
  }
  return {
    images: { data, count, size: rows, bands: 1 },
    labels,
    classNames,
    source: `mnist:${dir}`,
  };
}
