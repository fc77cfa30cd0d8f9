import type { FitsHeader, HeaderKeyword } from '../fits';
import { readCelestialWcs } from '../fits';
import { numberValue, stringValue } from '../fits/structure';

/**
 * The sky coordinates a cutout sent to DS9 or Aladin carries: its frame's celestial WCS,
 * moved to where the cutout lies in the frame (and scaled, where a whole image was resized
 * into one object). Only the linear TAN/SIN WCS the codec reads is carried, the one the
 * objects' RA/Dec were computed with, so the cutout and the catalogue agree; a frame's SIP
 * distortion terms (CTYPE "RA---TAN-SIP") are left behind with the suffix.
 */

/** Per-axis keywords of axes 1 and 2 (k = 1, 2), then the matrix and the frame-wide ones. */
const AXIS_KEYS = ['CTYPE', 'CUNIT', 'CRPIX', 'CRVAL', 'CDELT'];
const MATRIX_KEYS = ['CD1_1', 'CD1_2', 'CD2_1', 'CD2_2', 'PC1_1', 'PC1_2', 'PC2_1', 'PC2_2'];
const FRAME_KEYS = [
  'CROTA2',
  'LONPOLE',
  'LATPOLE',
  'PV2_1',
  'PV2_2',
  'RADESYS',
  'RADECSYS',
  'EQUINOX',
  'EPOCH',
  'DATE-OBS',
  'MJD-OBS',
];

/** The frame's celestial WCS keywords, or null when it has none the codec reads. */
export function frameWcsKeywords(header: FitsHeader): HeaderKeyword[] | null {
  if (!readCelestialWcs(header)) return null;
  const keys = [...AXIS_KEYS.flatMap((k) => [`${k}1`, `${k}2`]), ...MATRIX_KEYS, ...FRAME_KEYS];
  const keywords: HeaderKeyword[] = [];
  for (const key of keys) {
    const raw = header.get(key);
    const value = numberValue(raw) ?? stringValue(raw);
    if (value === null) continue;
    // "RA---TAN-SIP" without its A_/B_ terms would be wrong; the projection is the first 8.
    const kept = key.startsWith('CTYPE') && typeof value === 'string' ? value.slice(0, 8) : value;
    keywords.push({ key, value: kept });
  }
  return keywords;
}

/**
 * Where a cutout lies in its frame: frame pixel (0-based) of the centre of cutout pixel
 * (i, j) is (x0 + (i + ½)·step − ½, y0 + (j + ½)·step − ½). step is 1 for a window cut
 * pixel for pixel, side/size for a whole image resized to size × size.
 */
export interface CutoutPlacement {
  x0: number;
  y0: number;
  step: number;
}

/** From what ingest recorded in the object's meta (ingest/fits-unit.ts). */
export function cutoutPlacement(
  meta: { window?: unknown; resizedFrom?: unknown },
  size: number,
): CutoutPlacement {
  const window = meta.window;
  if (Array.isArray(window) && window.length === 2 && window.every(Number.isFinite))
    return { x0: window[0] as number, y0: window[1] as number, step: 1 };
  const resized = meta.resizedFrom;
  if (Array.isArray(resized) && resized.length === 2 && resized.every(Number.isFinite)) {
    // The central square, as geometry.resizeSquare cuts it.
    const [width, height] = resized as [number, number];
    const side = Math.min(width, height);
    return {
      x0: Math.floor((width - side) / 2),
      y0: Math.floor((height - side) / 2),
      step: side / size,
    };
  }
  // The whole image was the object, as it was.
  return { x0: 0, y0: 0, step: 1 };
}

/** The frame's WCS keywords for the cutout: CRPIX moved to its origin, the scale by its step. */
export function shiftWcs(frame: HeaderKeyword[], at: CutoutPlacement): HeaderKeyword[] {
  const has = (key: string) => frame.some((k) => k.key === key);
  const hasCd = MATRIX_KEYS.slice(0, 4).some(has);
  const hasPc = MATRIX_KEYS.slice(4).some(has);
  const out = frame.map((k): HeaderKeyword => {
    const v = k.value as number;
    // 1-based: frame pixel X = x0 + (i − ½)·step + ½ for cutout pixel i, so
    // X − CRPIX = step · (i − CRPIX') with CRPIX' = ½ + (CRPIX − x0 − ½) / step.
    if (k.key === 'CRPIX1') return { key: k.key, value: 0.5 + (v - at.x0 - 0.5) / at.step };
    if (k.key === 'CRPIX2') return { key: k.key, value: 0.5 + (v - at.y0 - 0.5) / at.step };
    if (at.step !== 1 && /^CD\d_\d$/.test(k.key)) return { key: k.key, value: v * at.step };
    if (at.step !== 1 && /^CDELT\d$/.test(k.key) && (hasPc || !hasCd))
      return { key: k.key, value: v * at.step };
    return k;
  });
  // No CDi_j and no CDELTi: the scale is the default 1, times the step.
  if (at.step !== 1 && !hasCd)
    for (const axis of ['CDELT1', 'CDELT2'])
      if (!has(axis)) out.push({ key: axis, value: at.step });
  return out;
}
