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

/** Normalises each band, interleaves them (HWC) and packs as float16 into the sink. */
export function pack(
  bands: Float32Array[],
  outside: number,
  d: Described,
  sink: PixelSink,
  flags: string[] = [],
): ObjectRecord {
  const n = bands[0]!.length;
  const depth = bands.length;
  const place = sink.reserveHalves(n * depth);
  const scales: BandScale[] = [];
  let blank = 0;
  bands.forEach((band, b) => {
    const r = normaliseBand(band, place.halves, b, depth);
    scales.push(r.scale);
    blank = Math.max(blank, r.blank);
  });
  const allFlags = [...flags];
  if (blank > outside) allFlags.push('blank');
  const meta: Record<string, unknown> = { ...d.meta, scales };
  if (allFlags.length > 0) meta.flags = allFlags;
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
