import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fsyncPath } from '../file-io';
import { ExportError } from './errors';

/** Receives the file's text or bytes in pieces, so a large catalogue never sits in memory whole. */
export interface Sink {
  write(chunk: string | Uint8Array): void;
}

const FLUSH_BYTES = 1 << 20;

/** The name of the temporary file beside `target`: hidden, and recognisably ours. */
export function tempNameFor(target: string): string {
  return join(
    dirname(target),
    `.${basename(target)}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`,
  );
}

/** True for a name that tempNameFor could have produced for `targetName` (a leftover from a kill). */
export function isTempNameFor(targetName: string, name: string): boolean {
  return name.startsWith(`.${targetName}.tmp-`);
}

/**
 * Writes a file atomically: everything goes into a temporary file in the same folder, which
 * is fsynced and then renamed over the target. rename() within one file system is atomic, so
 * a reader (or a crash, or SIGKILL) sees either the old file, no file, or the complete new
 * one — never half a catalogue under the name the user asked for.
 */
export function writeFileAtomic(targetPath: string, produce: (sink: Sink) => void): void {
  const target = resolve(targetPath);
  const existing = statSync(target, { throwIfNoEntry: false });
  if (existing?.isDirectory()) {
    throw new ExportError(`${target} is a folder; give a file name to export to.`, target);
  }
  try {
    mkdirSync(dirname(target), { recursive: true });
  } catch (error) {
    throw new ExportError(
      `Cannot create the folder ${dirname(target)} (${(error as Error).message}); choose another place to export to.`,
      target,
    );
  }
  const temp = tempNameFor(target);
  let fd: number;
  try {
    fd = openSync(temp, 'wx');
  } catch (error) {
    throw new ExportError(
      `Cannot write in ${dirname(target)} (${(error as Error).message}); choose a folder you can write to.`,
      target,
    );
  }
  try {
    const pending: Buffer[] = [];
    let pendingBytes = 0;
    const flush = () => {
      if (pendingBytes === 0) return;
      const joined = pending.length === 1 ? pending[0]! : Buffer.concat(pending, pendingBytes);
      for (let at = 0; at < joined.length;) at += writeSync(fd, joined, at);
      pending.length = 0;
      pendingBytes = 0;
    };
    produce({
      write(chunk) {
        const bytes =
          typeof chunk === 'string'
            ? Buffer.from(chunk, 'utf8')
            : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        pending.push(bytes);
        pendingBytes += bytes.length;
        if (pendingBytes >= FLUSH_BYTES) flush();
      },
    });
    flush();
    fsyncSync(fd);
    closeSync(fd);
    renameSync(temp, target);
    syncFolder(dirname(target));
  } catch (error) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
    rmSync(temp, { force: true });
    throw error;
  }
}

/** Makes the rename itself survive power loss (POSIX); folders cannot be opened on Windows. */
function syncFolder(folder: string): void {
  try {
    fsyncPath(folder);
  } catch {
    // Not supported here: the file's own fsync still guarantees its content.
  }
}
