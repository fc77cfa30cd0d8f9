import { encodeFloat16Fast } from './half';
import type { ObjectRecord } from './messages';
import { normaliseBand, type BandScale } from './normalise';
import type { PixelSink } from './pixel-sink';

/** What a decoder knows about an object besides its pixels. */
export interface Described {
  uid: string;
  hdu: number;
  x: number;
  y: number;
  ra: number | null;
  dec: number | null;
  bandNames: string[] | null;
  meta: Record<string, unknown>;
}

let packScratch = new Float32Array(0);

/** Normalises each band, interleaves them (HWC) and packs as float16. */
export function pack(
  bands: Float32Array[],
  outside: number,
  d: Described,
  sink: PixelSink,
  flags: string[] = [],
): ObjectRecord {
  const n = bands[0]!.length;
  const depth = bands.length;
  if (packScratch.length < n * depth) packScratch = new Float32Array(n * depth);
  // Reused between objects: encoding copies the values out, so nothing keeps a reference.
  const values = packScratch.subarray(0, n * depth);
  const scales: BandScale[] = [];
  let blank = 0;
  bands.forEach((band, b) => {
    const r = normaliseBand(band, values, b, depth);
    scales.push(r.scale);
    blank = Math.max(blank, r.blank);
  });
  const allFlags = [...flags];
  if (blank > outside) allFlags.push('blank');
  const meta: Record<string, unknown> = { ...d.meta, scales };
  if (allFlags.length > 0) meta.flags = allFlags;
  const place = sink.add(encodeFloat16Fast(values));
  return {
    uid: d.uid,
    hdu: d.hdu,
    x: d.x,
    y: d.y,
    ra: d.ra,
    dec: d.dec,
    bands: depth,
    bandNames: d.bandNames,
    format: 'f16',
    offset: place.offset,
    length: place.length,
    lo: scales[0]!.lo,
    hi: scales[0]!.hi,
    meta,
  };
}
