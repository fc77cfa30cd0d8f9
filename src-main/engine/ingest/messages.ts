import type { CatalogueEntry } from './catalogue';
import type { FileStamp, Layout, Unit } from './types';

/** What every decoder (worker or inline) needs besides the files: fixed for a whole run. */
export interface DecodeSettings {
  size: number;
  layout: Layout;
  hdu: number | string | null;
  catalogue: { system: 'world' | 'pixel'; entries: CatalogueEntry[] } | null;
}

/** One object ready for the store; its pixels are `pixels[offset, offset + length)` of the chunk. */
export interface ObjectRecord {
  uid: string;
  hdu: number | null;
  x: number | null;
  y: number | null;
  ra: number | null;
  dec: number | null;
  bands: number;
  bandNames: string[] | null;
  format: 'f16' | 'u8';
  offset: number;
  length: number;
  lo: number;
  hi: number;
  meta: Record<string, unknown>;
}

export interface UnitOutcome {
  index: number;
  objects: ObjectRecord[];
  /** Catalogue rows that landed on this unit's frame. */
  placedRows: number[];
  /** Why the unit was refused (then objects is empty), or null. */
  rejected: string | null;
  /** Each file's stamp as it was read; null when not every file was (a refused unit). */
  stamps: FileStamp[] | null;
}

export interface ChunkJob {
  id: number;
  units: { index: number; unit: Unit }[];
}

export interface ChunkResult {
  id: number;
  outcomes: UnitOutcome[];
  /**
   * Every object's packed pixels, back to back: a view of exactly those bytes over a buffer
   * that may be longer. The buffer is transferred, not copied, from a worker, and handed
   * back for the next chunk once written (Decoder.release).
   */
  pixels: Uint8Array<ArrayBuffer>;
}

export type ToWorker =
  | { type: 'init'; settings: DecodeSettings }
  | { type: 'chunk'; job: ChunkJob }
  /** A written chunk's pixel buffer, back for reuse. */
  | { type: 'buffer'; buffer: ArrayBuffer };
export type FromWorker =
  { type: 'result'; result: ChunkResult } | { type: 'failed'; id: number; message: string };
