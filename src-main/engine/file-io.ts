// The few raw file operations the engine shares: opening a user's file safely, peeking at a
// file, and flushing one to disk.
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  openSync,
  readSync,
  type Stats,
} from 'node:fs';

/**
 * A path that is not a regular file: a named pipe would block the read forever, a device
 * such as /dev/zero never ends, a socket cannot be read at all. Says which it is, so the
 * message tells the user what they pointed at.
 */
export class NotRegularFile extends Error {
  override name = 'NotRegularFile';
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`is ${what}, not a regular file; it was not read`);
  }
}

/** What a non-regular file is, in words, or null for a regular file. */
export function nonRegularKind(info: Stats): string | null {
  if (info.isFile()) return null;
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Opens a user's file for reading and checks, on the open descriptor (no race with a swap
 * of the path), that it is a regular file. O_NONBLOCK makes opening a named pipe return at
 * once instead of waiting for a writer forever; it changes nothing for a regular file.
 * Throws NotRegularFile (the descriptor closed) or the open's own error.
 */
export function openRegularFile(path: string): { fd: number; stats: Stats } {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  let stats: Stats;
  try {
    stats = fstatSync(fd);
  } catch (error) {
    closeSync(fd);
    throw error;
  }
  const kind = nonRegularKind(stats);
  if (kind !== null) {
    closeSync(fd);
    throw new NotRegularFile(path, kind);
  }
  return { fd, stats };
}

/**
 * Reads `size` bytes from the start of an open file into `into` (or a new buffer) and says
 * whether the file holds more than that. Never reads more than size + 1 bytes, whatever
 * the file does: a file that grows while it is read, or a /proc-like file that reports 0
 * bytes and never ends, cannot make the reader take more memory than the size it stated.
 */
export function readExactly(
  fd: number,
  size: number,
  into: Buffer = Buffer.allocUnsafe(size + 1),
): { bytes: Buffer; longer: boolean } {
  let total = 0;
  while (total < size + 1) {
    const n = readSync(fd, into, total, size + 1 - total, total);
    if (n === 0) break;
    total += n;
  }
  return { bytes: into.subarray(0, Math.min(total, size)), longer: total > size };
}

/**
 * A user's whole file (a catalogue, a labels file, a FITS file to inspect): refused with
 * NotRegularFile when it is not a regular file, and read only up to the size it had when
 * opened (see readExactly). `longer` is true when it holds more than that.
 */
export function readRegularFile(path: string): { bytes: Buffer; stats: Stats; longer: boolean } {
  const { fd, stats } = openRegularFile(path);
  try {
    return { ...readExactly(fd, stats.size), stats };
  } finally {
    closeSync(fd);
  }
}

/**
 * A few bytes from the start or the end of a file, without reading the rest: enough to tell
 * what a file is (a database header, an image's magic and end marker) even when a misnamed
 * file is gigabytes. Shorter than `count` when the file is. Opened without blocking, so a
 * named pipe gives no bytes instead of a hang.
 */
export function fileBytes(path: string, count: number, at: 'start' | 'end' = 'start'): Buffer {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return Buffer.alloc(0);
    const size = at === 'end' ? info.size : count;
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
