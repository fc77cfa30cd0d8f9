/**
 * Decodes a list of image files (JPEG/PNG/WebP/TIFF, anything sharp reads) into one float32
 * NHWC batch in [0, 1], each resized to size × size (stretched: survey cutouts are square).
 */
import sharp from 'sharp';
import type { Metadata } from 'sharp';
import { DatasetError } from './types';
import type { ImageBatch } from '../../engine/learn/types';

export interface DecodeOptions {
  /** Side length; the first image's width when absent. */
  size?: number;
  /** 1 = grey, 3 = RGB; from the first image when absent. */
  bands?: 1 | 3;
  concurrency?: number;
  /** Refuses a count and shape that will not fit, before decoding (see LoadOptions). */
  checkFit?: (count: number, size: number, bands: number) => string | null;
}

async function decodeOne(file: string, size: number, bands: 1 | 3): Promise<Uint8Array> {
  try {
    let pipeline = sharp(file).resize(size, size, { fit: 'fill' }).removeAlpha();
    pipeline = bands === 1 ? pipeline.greyscale() : pipeline.toColourspace('srgb');
    const { data, info } = await pipeline.raw().toBuffer({ resolveWithObject: true });
    if (info.channels === bands) return data;
    // Some inputs keep extra channels through greyscale(); keep the first one.
    const out = new Uint8Array(size * size * bands);
    for (let p = 0; p < size * size; p++) {
      for (let b = 0; b < bands; b++)
        out[p * bands + b] = data[p * info.channels + Math.min(b, info.channels - 1)]!;
    }
    return out;
  } catch (error) {
    throw new DatasetError(
      `Cannot decode image ${file}: ${(error as Error).message}. Remove it or replace it with a readable JPEG/PNG.`,
    );
  }
}

export async function decodeImageFiles(
  files: readonly string[],
  options: DecodeOptions = {},
): Promise<ImageBatch> {
  if (files.length === 0) throw new DatasetError('No image files to load.');
  let size = options.size ?? 0;
  let bands: 1 | 3 = options.bands ?? 1;
  if (options.size === undefined || options.bands === undefined) {
    const first = files[0]!;
    let meta: Metadata;
    try {
      meta = await sharp(first).metadata();
    } catch (error) {
      throw new DatasetError(`Cannot read image ${first}: ${(error as Error).message}.`);
    }
    size = options.size ?? meta.width ?? 0;
    bands = options.bands ?? ((meta.channels ?? 1) >= 3 ? 3 : 1);
  }
  if (!Number.isInteger(size) || size < 1)
    throw new DatasetError(`Image size must be a positive integer, got ${size}.`);
  const refusal = options.checkFit?.(files.length, size, bands);
  if (refusal) throw new DatasetError(refusal);
  const pixels = size * size * bands;
  const data = new Float32Array(files.length * pixels);
  const concurrency = Math.max(1, options.concurrency ?? 8);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      const bytes = await decodeOne(files[i]!, size, bands);
      const out = i * pixels;
      for (let k = 0; k < pixels; k++) data[out + k] = bytes[k]! / 255;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, worker));
  return { data, count: files.length, size, bands };
}
