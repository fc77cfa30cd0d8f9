import type { Layout } from '../../contract/contract';
import type { SourceKind } from '../store/sources';

/**
 * How a FITS image becomes objects: `cutout` = the whole image is one object (resized to
 * `size`), `grid` = the image is a frame tiled into size×size cutouts, `auto` = grid when
 * the image's shorter side is at least 2×size, else cutout. A catalogue overrides both.
 */
export type { Layout };

export interface CatalogueOptions {
  path: string;
  /** Column names (case-insensitive). RA/Dec in degrees or sexagesimal; or pixel x/y. */
  ra?: string;
  dec?: string;
  x?: string;
  y?: string;
  id?: string;
  /** Column naming the frame file each row belongs to (basename or relative path). */
  file?: string;
  /** x/y convention: 1 = FITS/DS9/SExtractor (the default), 0 = numpy-style. */
  pixelOrigin?: 0 | 1;
}

export interface LabelsOptions {
  path: string;
  /** Column matching objects by source file (relative path or basename). Default `file`. */
  file?: string;
  /** Column matching objects by catalogue id or uid. Default `id` when no file column. */
  id?: string;
  /** Column with the label. `label_name` is preferred over `label` when both exist. */
  label?: string;
  /** Label names imported as normal (uninteresting) classes instead of anomaly classes. */
  normalClasses?: string[];
}

export interface IngestProgress {
  done: number;
  total: number;
  ingested: number;
  skipped: number;
  rejected: number;
  objects: number;
  filesPerSecond: number;
}

export interface IngestOptions {
  /** Cutout side in pixels (default 64). */
  size?: number;
  layout?: Layout;
  /** HDU index or EXTNAME to read; default the first image HDU big enough to cut out. */
  hdu?: number | string;
  /** Band tokens in file names (`['j','h','k']`), 'auto' (default: known filter names), 'none'. */
  bands?: string[] | 'auto' | 'none';
  catalogue?: CatalogueOptions;
  labels?: LabelsOptions;
  /** Decoding threads; 0 decodes on the calling thread. Default: see defaultWorkerCount. */
  workers?: number;
  /** Files per database transaction (default 256). */
  batchFiles?: number;
  signal?: AbortSignal;
  onProgress?: (progress: IngestProgress) => void;
}

export interface IngestIssue {
  path: string;
  reason: string;
}

export interface IngestSummary {
  /** Files counted (a 3-band set counts 3). */
  ingested: number;
  skipped: number;
  rejected: number;
  /** Objects written in this run. */
  objects: number;
  errors: IngestIssue[];
  seconds: number;
  cancelled: boolean;
  labels: { imported: number; unmatched: number; classesCreated: string[] } | null;
}

/**
 * A file found by the scan, by name only: its size and time are read where it is decoded
 * (see FileStamp). `path` is the path as walked from what the user gave (what they see in
 * messages, and what band sets are grouped by); `real` is it with every symbolic link and
 * `..` resolved: the source's identity in the project, so one file reached by two paths is
 * one source. `rel` is relative to the path the user gave: it goes into uids.
 */
export interface ScannedFile {
  path: string;
  real: string;
  rel: string;
  kind: Extract<SourceKind, 'fits' | 'image'>;
  /** Set by the scan when the entry cannot be read (a link loop, no permission): why. */
  problem?: string;
  /**
   * Set by the plan when the project knows this file under another path than `real` (it was
   * ingested before sources were keyed by real path): its row is kept under that path.
   */
  recorded?: string;
}

/** The files that make one set of objects: one file, or one file per band. */
export interface Unit {
  key: string;
  files: (ScannedFile & { band: string | null })[];
  /** Set when the scan or the grouping found the unit unusable (unreadable, a missing band). */
  problem?: string;
  /**
   * Set by the plan when a file of the unit was ingested before and its size or modification
   * time has changed since: why it is refused if its decoded pixels differ from the stored
   * ones (see planUnit).
   */
  changedSince?: string;
}

/**
 * A file's size and modification time, as resuming compares them. Taken from the open file
 * that was decoded (fstat), so what is recorded describes the bytes that were ingested.
 */
export interface FileStamp {
  size: number;
  mtimeMs: number;
}
