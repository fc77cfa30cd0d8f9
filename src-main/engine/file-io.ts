// The few raw file operations the engine shares: peeking at a file, and flushing one to disk.
import { closeSync, fstatSync, fsyncSync, openSync, readSync } from 'node:fs';

/**
 * A few bytes from the start or the end of a file, without reading the rest: enough to tell
 * what a file is (a database header, an image's magic and end marker) even when a misnamed
 * file is gigabytes. Shorter than `count` when the file is.
 */
export function fileBytes(path: string, count: number, at: 'start' | 'end' = 'start'): Buffer {
  const fd = openSync(path, 'r');
  try {
    const size = at === 'end' ? fstatSync(fd).size : count;
    const buffer = Buffer.alloc(Math.min(count, size));
    const position = at === 'end' ? size - buffer.length : 0;
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, position));
  } finally {
    closeSync(fd);
  }
}

/** Flushes a file, or a folder's entries (after a rename), to the disk. Throws on failure. */
export function fsyncPath(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
