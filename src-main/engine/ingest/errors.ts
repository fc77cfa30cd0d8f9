import {
  accessSync,
  constants,
  lstatSync,
  readdirSync,
  readlinkSync,
  realpathSync,
  statSync,
} from 'node:fs';
import { dirname, sep } from 'node:path';
import { nonRegularKind, NotRegularFile } from '../file-io';

/**
 * Problems with the user's inputs to ingestion (a missing path, a malformed catalogue or
 * labels file, a bad option). `userFacing` makes the CLI print the message and exit 1;
 * `file` names the input at fault so a door can point at it.
 */
export type IngestErrorCode =
  'not-found' | 'unreadable' | 'unsupported' | 'bad-catalogue' | 'bad-labels' | 'bad-option';

export class IngestError extends Error {
  override name = 'IngestError';
  readonly userFacing = true;

  constructor(
    readonly code: IngestErrorCode,
    readonly file: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** A per-file problem: the file is recorded as rejected with this reason and ingestion goes on. */
export class RejectedFile extends Error {
  override name = 'RejectedFile';
}

export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

/** A catalogue or labels file that cannot be opened: says which of the usual reasons it is. */
export function unreadableInput(what: string, path: string, error: unknown): IngestError {
  const code = errnoOf(error);
  if (code === 'ENOENT')
    return new IngestError('not-found', path, `${what} ${path} does not exist.`);
  // A named pipe, a device, a socket: refused with what it is (a folder is said below).
  if (error instanceof NotRegularFile && error.what !== 'a folder')
    return new IngestError('unsupported', path, `${what} ${path} ${error.message}.`);
  const why =
    code === 'EISDIR' || error instanceof NotRegularFile
      ? 'it is a folder, not a CSV file'
      : code === 'EACCES'
        ? 'permission denied; give yourself read access (chmod u+r)'
        : code === 'ELOOP'
          ? 'it is a symbolic link loop'
          : reasonOf(error);
  return new IngestError('unreadable', path, `${what} ${path} cannot be read: ${why}.`);
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/**
 * Why a scanned path holds nothing to decode (a symlink loop or dangling link, no read
 * permission, a folder, an empty file), in words, or null when none of these. Called only
 * off the hot path: by the scan for an entry it cannot read (a symlink loop, a folder
 * without read permission), which is then recorded as rejected with this reason like any bad
 * file instead of vanishing silently, and by the decoders after a read failed.
 */
export function unreadableReason(path: string): string | null {
  let link: string | null = null;
  try {
    if (lstatSync(path).isSymbolicLink()) link = readlinkSync(path);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return 'disappeared while it was being ingested';
  }
  let info;
  try {
    info = statSync(path);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ELOOP') {
      return `is a symbolic link loop (it points to "${link ?? '?'}", which leads back to itself); fix or remove the link`;
    }
    if (code === 'ENOENT' && link !== null) {
      return `is a symbolic link to "${link}", which does not exist; fix or remove the link`;
    }
    if (code === 'EACCES') return permissionDenied('file');
    return null;
  }
  if (info.isDirectory()) {
    const real = realpathSync(path);
    const parent = realpathSync(dirname(path));
    if (link !== null && (parent === real || parent.startsWith(real + sep))) {
      return `is a symbolic link back to the folder ${real} that contains it (a loop); it was not followed`;
    }
    try {
      readdirSync(path);
    } catch (error) {
      if (errnoOf(error) === 'EACCES') return permissionDenied('folder');
    }
    return null;
  }
  const other = nonRegularKind(info);
  if (other !== null) return `is ${other}, not a regular file; it was not read`;
  try {
    accessSync(path, constants.R_OK);
  } catch (error) {
    if (errnoOf(error) === 'EACCES') return permissionDenied('file');
  }
  if (info.size === 0) return 'is empty (0 bytes); it was probably cut short while copying';
  return null;
}

function permissionDenied(what: 'file' | 'folder'): string {
  return what === 'file'
    ? 'cannot be read: permission denied; give yourself read access (chmod u+r) and ingest again'
    : 'is a folder that cannot be read (permission denied), so its files were not ingested; ' +
        'give yourself access (chmod u+rx) and ingest again';
}
