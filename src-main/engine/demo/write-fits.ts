import { writeImage, type HeaderKeyword } from '../fits';

/** A 2-D float32 FITS image (primary HDU) as bytes, through the codec's writer. */
export function fitsImageBytes(
  data: Float32Array,
  width: number,
  height: number,
  keywords: HeaderKeyword[],
): Uint8Array {
  return writeImage(data, width, height, keywords, { target: 'demo cutout' });
}
