import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { nonRegularKind } from '../file-io';
import { IngestError, reasonOf, unreadableReason } from './errors';
import type { ScannedFile } from './types';

const FITS_EXTENSIONS = new Set(['fits', 'fit', 'fts', 'fz']);
const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png']);
/** `.gz` is FITS only around a FITS name (or none): a folder's `notes.csv.gz` is not a survey image. */
const GZIP_INNER = new Set(['fits', 'fit', 'fts', '']);

export function fileKind(name: string): ScannedFile['kind'] | null {
  // Called for every entry of folders with 10^5 files: no split, no array.
  const dot = name.lastIndexOf('.');
  const start = lastSeparator(name) + 1;
  if (dot < start) return null;
  const ext = name.slice(dot + 1).toLowerCase();
  if (FITS_EXTENSIONS.has(ext)) return 'fits';
  if (IMAGE_EXTENSIONS.has(ext)) return 'image';
  if (ext === 'gz') {
    const before = name.lastIndexOf('.', dot - 1);
    const inner = before < start ? '' : name.slice(before + 1, dot);
    return GZIP_INNER.has(inner.toLowerCase()) ? 'fits' : null;
  }
  return null;
}

function lastSeparator(path: string): number {
  return Math.max(path.lastIndexOf('/'), path.lastIndexOf(sep));
}

/** The name without its data extensions: `m51_g.fits.gz` → `m51_g`. */
export function stemOf(name: string): string {
  return name.replace(/(\.(fits|fit|fts))?(\.(gz|fz))?$/i, '').replace(/\.(jpe?g|png)$/i, '');
}

/**
 * Lists the survey files under the given paths: folders recursively (hidden entries
 * skipped, other file types ignored), files as given. Sorted, so uids and batches are the
 * same on every run. A path that does not exist is the user's mistake and stops the run
 * before anything is written.
 */
export async function scanPaths(
  paths: string[],
  /** Told the number of survey files listed so far, after each folder. */
  onListed?: (files: number) => void,
): Promise<ScannedFile[]> {
  if (paths.length === 0) {
    throw new IngestError('bad-option', null, 'Give at least one folder or file to ingest.');
  }
  const found = new Map<string, ScannedFile>();
  for (const given of paths) {
    const root = resolve(given);
    const info = await stat(root).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return null;
      const why = error.code === 'ELOOP' ? 'it is a symbolic link loop' : reasonOf(error);
      throw new IngestError('unreadable', root, `${root} cannot be read (${why}).`);
    });
    if (!info) throw new IngestError('not-found', root, `${root} does not exist.`);
    if (info.isDirectory()) {
      await walk(root, root, found, new Set(), onListed);
    } else {
      const kind = fileKind(root);
      // A named pipe or device would block the decoder's read forever, or never end.
      const other = nonRegularKind(info);
      if (other !== null) {
        throw new IngestError(
          'unsupported',
          root,
          `${root} is ${other}, not a regular file or folder; give survey files or folders.`,
        );
      }
      if (!kind) {
        throw new IngestError(
          'unsupported',
          root,
          `${root} is not a FITS (.fits .fit .fts .fz .gz), JPEG or PNG file. ` +
            'Catalogues go with --catalogue and labels with --labels.',
        );
      }
      const real = await realpath(root);
      if (!found.has(real)) found.set(real, { path: root, real, rel: basename(root), kind });
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The found files, keyed by real path: one file reached by two paths is listed once. */
type Found = Map<string, ScannedFile>;

function add(found: Found, file: ScannedFile): void {
  if (!found.has(file.real)) found.set(file.real, file);
}

/**
 * Walks a folder. Symbolic links to folders are followed (surveys are often linked in), but
 * never into a folder already walked, so a link loop cannot recurse forever. Entries that
 * cannot be read (a subfolder without permission, a link loop, a dangling link with a survey
 * name) are kept with their reason as `problem`: the unit they make is recorded as rejected
 * with it, so the user sees them among the rejected files instead of losing them silently.
 * Such an entry's kind says nothing (one is required) and it is never decoded.
 */
async function walk(
  root: string,
  dir: string,
  found: Map<string, ScannedFile>,
  walked: Set<string>,
  onListed?: (files: number) => void,
): Promise<void> {
  // Each folder once, however many links lead to it: no duplicate objects, no endless loop.
  const real = await realpath(dir);
  if (walked.has(real)) return;
  walked.add(real);
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (dir === root) {
      throw new IngestError(
        'unreadable',
        root,
        `${root} cannot be read (${reasonOf(error)}); check its permissions.`,
      );
    }
    add(found, unreadableEntry(root, dir, 'fits'));
    return;
  }
  const files: { full: string; real: string; kind: ScannedFile['kind'] }[] = [];
  const links: string[] = [];
  // A regular file's real path is its folder's real path and its name: one realpath per
  // folder, none per file.
  const realPrefix = real.endsWith(sep) ? real : real + sep;
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    // dir is already normal (resolved), so no path.join normalising each of 10^5 names.
    const full = dir.endsWith(sep) ? dir + entry.name : dir + sep + entry.name;
    if (entry.isDirectory()) await walk(root, full, found, walked, onListed);
    else if (entry.isSymbolicLink()) links.push(full);
    else {
      const kind = fileKind(entry.name);
      if (!kind) continue;
      if (entry.isFile()) files.push({ full, real: realPrefix + entry.name, kind });
      // A named pipe, device or socket with a survey name: reported, never opened.
      else add(found, unreadableEntry(root, full, kind));
    }
  }
  // Links after real folders, so a folder is found under its own name when it can be.
  for (const link of links) await followLink(root, link, found, walked, files, onListed);
  // Names only: no stat per file. A stat by path is ~20 µs of this thread for each of tens of
  // thousands of cutouts, before a single one could be decoded; the decoding thread reads
  // size and time from the file it opens anyway (fstat, ~1 µs), and a file that cannot be
  // read is reported from there, with the same reason.
  for (const { full, real: path, kind } of files)
    add(found, { path: full, real: path, rel: relativeName(root, full), kind });
  onListed?.(found.size);
}

async function followLink(
  root: string,
  link: string,
  found: Map<string, ScannedFile>,
  walked: Set<string>,
  files: { full: string; real: string; kind: ScannedFile['kind'] }[],
  onListed?: (files: number) => void,
): Promise<void> {
  const kind = fileKind(link);
  const target = await stat(link).catch(() => null);
  if (target?.isDirectory()) {
    const real = await realpath(link);
    // A link back to a folder on the way down is a loop: reported. A second link to a folder
    // walked elsewhere is not: its files were found under their other path.
    if (!walked.has(real)) await walk(root, link, found, walked, onListed);
    else if (isInside(await realpath(dirname(link)), real))
      add(found, unreadableEntry(root, link, 'fits'));
  } else if (kind) {
    // A link loop or a dangling link, or a link to a pipe or device: said now, with why.
    if (!target?.isFile()) add(found, unreadableEntry(root, link, kind));
    else files.push({ full: link, real: await realpath(link), kind });
  }
}

function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder + sep);
}

function relativeName(root: string, full: string): string {
  // Walked paths are root + separator + the rest (walk only joins names onto root): a
  // slice, where path.relative would resolve both paths for each of 10^5 files.
  const prefix = root.endsWith(sep) ? root : root + sep;
  const rel = full.startsWith(prefix) ? full.slice(prefix.length) : relative(root, full);
  return sep === '/' ? rel : rel.split(sep).join('/');
}

function unreadableEntry(root: string, path: string, kind: ScannedFile['kind']): ScannedFile {
  const problem = unreadableReason(path) ?? 'cannot be read';
  return { path, real: path, rel: relativeName(root, path), kind, problem };
}
