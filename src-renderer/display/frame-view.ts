/**
 * A FITS object's parent-frame region (object.original's 'fits' answer) made ready to show and
 * to read out: the pixels decoded once, laid on a square centred on the cutout (so the grid's
 * square renderer, limits and histogram serve it unchanged), mapped through the cutout's own
 * ingest scaling (so a display limit means the same on the frame as on the cutout), and the
 * pixel under the cursor read back in the file's units and projected with the frame's WCS.
 * Pure and DOM-free.
 */
import {
  celestialProjection,
  formatDeclination,
  formatRightAscension,
  type CelestialWcs,
} from '../../src-main/contract/celestial-projection';
import type { FitsFrameRegion, PixelData } from '../../src-main/contract/contract';

export interface FrameView {
  region: FitsFrameRegion;
  /** The file's values, band after band, each region.width × region.height. */
  raw: Float32Array;
  /** Side of the square shown, in frame pixels, and the frame pixel of its top-left corner. */
  side: number;
  x0: number;
  y0: number;
  /** The square in the stored (0–1 asinh) scale, NHWC; NaN off the region. */
  square: PixelData;
  wcs: CelestialWcs | null;
}

/** Base64 little-endian float32 → values (atob: no Buffer in the renderer). */
export function decodeFloat32(base64: string): Float32Array {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new Float32Array(bytes.buffer, 0, Math.floor(bytes.length / 4));
}

type IngestScale = { lo: number; hi: number; soft: number };

/**
 * The file's units → the stored scale of ingest (normalise.ts), unclipped, as a function of
 * the value with the band's constants worked out once: a frame region maps every pixel, and
 * it does so on the thread that answers the keyboard.
 */
export function storedScaler({ lo, hi, soft }: IngestScale): (value: number) => number {
  const span = hi - lo;
  if (!(span > 0)) return (value) => value - lo;
  if (!(soft > 0)) return (value) => (value - lo) / span;
  const norm = 1 / Math.asinh(span / soft);
  const perSoft = 1 / soft;
  return (value) => Math.asinh((value - lo) * perSoft) * norm;
}

/** A value in the file's units → the stored scale of ingest (normalise.ts), unclipped. */
export function toStoredScale(value: number, scale: IngestScale): number {
  return storedScaler(scale)(value);
}

export function frameView(region: FitsFrameRegion): FrameView {
  const raw = decodeFloat32(region.pixels);
  const { cutout, bands } = region;
  // Centred on the cutout, large enough to hold the whole region.
  const cx = cutout.x0 + cutout.width / 2;
  const cy = cutout.y0 + cutout.height / 2;
  const reach = Math.max(
    cx - region.x0,
    region.x0 + region.width - cx,
    cy - region.y0,
    region.y0 + region.height - cy,
  );
  const side = Math.max(1, Math.ceil(2 * reach));
  const x0 = Math.floor(cx - side / 2);
  const y0 = Math.floor(cy - side / 2);
  const data = new Float32Array(side * side * bands).fill(NaN);
  const n = region.width * region.height;
  for (let b = 0; b < bands; b++) {
    const toStored = storedScaler(region.scales[b] ?? { lo: 0, hi: 1, soft: 1 });
    for (let j = 0; j < region.height; j++) {
      const sj = region.y0 + j - y0;
      if (sj < 0 || sj >= side) continue;
      for (let i = 0; i < region.width; i++) {
        const si = region.x0 + i - x0;
        if (si < 0 || si >= side) continue;
        const v = raw[b * n + j * region.width + i]!;
        data[(sj * side + si) * bands + b] = toStored(v);
      }
    }
  }
  return {
    region,
    raw,
    side,
    x0,
    y0,
    square: { size: side, bands, data },
    wcs: region.wcs ? celestialProjection(region.wcs) : null,
  };
}

/** What the readout says of one frame pixel. */
export interface FrameReadout {
  /** 0-based frame pixel (DS9 and FITS count from 1: add 1). */
  x: number;
  y: number;
  /** The file's value per band (NaN where blank). */
  values: number[];
  world: { lon: number; lat: number; names: [string, string]; text: string } | null;
}

/** The pixel at (x, y) of the frame, or null off the region sent. */
export function readFramePixel(view: FrameView, x: number, y: number): FrameReadout | null {
  const { region, raw } = view;
  const i = x - region.x0;
  const j = y - region.y0;
  if (i < 0 || j < 0 || i >= region.width || j >= region.height) return null;
  const n = region.width * region.height;
  const values = Array.from({ length: region.bands }, (_, b) => raw[b * n + j * region.width + i]!);
  let world: FrameReadout['world'] = null;
  if (view.wcs && region.wcs) {
    const [lon, lat] = view.wcs.pixelToWorld(x, y);
    const names = region.wcs.axisNames;
    const text =
      names[0] === 'RA'
        ? `RA ${formatRightAscension(lon)} Dec ${formatDeclination(lat)} (${lon.toFixed(6)}°, ${lat.toFixed(6)}°)`
        : `${names[0]} ${lon.toFixed(6)}° ${names[1]} ${lat.toFixed(6)}°`;
    world = { lon, lat, names, text };
  }
  return { x, y, values, world };
}

/** A value for people: 6 significant digits, "blank" for NaN. */
export function formatValue(value: number): string {
  if (!Number.isFinite(value)) return 'blank';
  return Math.abs(value) >= 1e6 || (value !== 0 && Math.abs(value) < 1e-3)
    ? value.toExponential(5)
    : String(Number(value.toPrecision(6)));
}
