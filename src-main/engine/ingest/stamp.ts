import type { FileStamp } from './types';

/** The stamp of a stat (whole milliseconds, as the sources table keeps them). */
export function stampOf(info: { size: number; mtimeMs: number }): FileStamp {
  return { size: info.size, mtimeMs: Math.trunc(info.mtimeMs) };
}
