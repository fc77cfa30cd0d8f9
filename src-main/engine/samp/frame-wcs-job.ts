import { statSync } from 'node:fs';
import { readFitsFile, type HeaderKeyword } from '../fits';
import { frameWcsKeywords } from './cutout-wcs';

/** The frame an object was cut from, as ingest recorded it. */
export interface FrameWcsJob {
  path: string;
  hdu: number | null;
  /** Its size and modification time when it was ingested (the sources table). */
  size: number | null;
  mtimeMs: number | null;
}

/** The frame's WCS keywords, or why there are none to give. */
export type FrameWcsResult =
  { keywords: HeaderKeyword[]; why: null } | { keywords: null; why: string };

/**
 * Reads a frame's celestial WCS for a cutout of it: in a worker thread (table-worker.ts),
 * since a survey frame can be hundreds of MB of gzip to inflate before its header is known.
 * A frame that changed since it was ingested is not trusted: its WCS may not be the one
 * the object was cut with.
 */
export async function runFrameWcsJob(job: FrameWcsJob): Promise<FrameWcsResult> {
  const info = statSync(job.path, { throwIfNoEntry: false });
  if (!info?.isFile()) return { keywords: null, why: `its frame ${job.path} is gone` };
  if (
    (job.size !== null && info.size !== job.size) ||
    (job.mtimeMs !== null && Math.trunc(info.mtimeMs) !== job.mtimeMs)
  )
    return { keywords: null, why: `its frame ${job.path} changed since it was ingested` };
  try {
    const fits = await readFitsFile(job.path);
    const index = job.hdu ?? fits.firstImageHdu();
    const hdu = fits.hdus.find((h) => h.index === index);
    const keywords = hdu ? frameWcsKeywords(hdu.header) : null;
    if (!keywords) return { keywords: null, why: 'its frame has no celestial (TAN or SIN) WCS' };
    return { keywords, why: null };
  } catch (error) {
    return { keywords: null, why: `its frame could not be read (${(error as Error).message})` };
  }
}
