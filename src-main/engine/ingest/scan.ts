import { statSync, type Dirent, type Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { IngestError, reasonOf, unreadableReason } from './errors';
import type { ScannedFile } from './types';

const FITS_EXTENSIONS = new Set(['fits', 'fit', 'fts', 'fz']);
const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png']);
/** `.gz` is FITS only around a FITS name (or none): a folder's `notes.csv.gz` is not a survey image. */
const GZIP_INNER = new Set(['fits', 'fit', 'fts', '']);
const STATS_BETWEEN_YIELDS = 2048;

export function fileKind(name: string): ScannedFile['kind'] | null {
  const lower = name.toLowerCase();
  const parts = lower.split('.');
  if (parts.length < 2) return null;
  const ext = parts[parts.length - 1]!;
  if (FITS_EXTENSIONS.has(ext)) return 'fits';
  if (IMAGE_EXTENSIONS.has(ext)) return 'image';
  if (ext === 'gz') {
    const inner = parts.length > 2 ? parts[parts.length - 2]! : '';
    return GZIP_INNER.has(inner) ? 'fits' : null;
  }
  return null;
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
  /** Told the number of survey files listed so far, before each folder's files are stat'ed. */
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
      // A named pipe or device would block the decoder's read forever.
      if (!info.isFile()) {
        throw new IngestError('unsupported', root, `${root} is not a regular file or folder.`);
      }
      if (!kind) {
        throw new IngestError(
          'unsupported',
          root,
          `${root} is not a FITS (.fits .fit .fts .fz .gz), JPEG or PNG file. ` +
            'Catalogues go with --catalogue and labels with --labels.',
        );
      }
      found.set(root, {
        path: root,
        rel: basename(root),
        size: info.size,
        mtimeMs: Math.trunc(info.mtimeMs),
        kind,
      });
    }
  }
  return [...found.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
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
    found.set(dir, unreadableEntry(root, dir, 'fits'));
    return;
  }
  const files: string[] = [];
  const links: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, found, walked, onListed);
    else if (entry.isSymbolicLink()) links.push(full);
    else if (entry.isFile() && fileKind(entry.name)) files.push(full);
  }
  // Links after real folders, so a folder is found under its own name when it can be.
  for (const link of links) await followLink(root, link, found, walked, files, onListed);
  onListed?.(found.size + files.length);
  // Synchronous stats: on a local disk each takes microseconds, while 10,000 promise stats
  // through libuv's thread pool cost ~0.5 s of CPU, a quarter of a whole ingest's budget.
  // A short yield every few thousand lets work started meanwhile (decoding threads being
  // prepared, see EarlyWorkers) go on while a large folder is stat'ed.
  const stats: (Stats | null)[] = [];
  for (let i = 0; i < files.length; i++) {
    if (i > 0 && i % STATS_BETWEEN_YIELDS === 0) await new Promise((r) => setImmediate(r));
    stats.push(statOrNull(files[i]!));
  }
  files.forEach((full, i) => {
    const info = stats[i];
    const kind = fileKind(full)!;
    if (!info) found.set(full, unreadableEntry(root, full, kind));
    else if (info.isFile()) {
      found.set(full, {
        path: full,
        rel: relativeName(root, full),
        size: info.size,
        mtimeMs: Math.trunc(info.mtimeMs),
        kind,
      });
    }
  });
}

async function followLink(
  root: string,
  link: string,
  found: Map<string, ScannedFile>,
  walked: Set<string>,
  files: string[],
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
      found.set(link, unreadableEntry(root, link, 'fits'));
  } else if (kind) files.push(link); // a loop or dangling link fails its stat: reported there
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function isInside(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder + sep);
}

function relativeName(root: string, full: string): string {
  return relative(root, full).split('\\').join('/');
}

function unreadableEntry(root: string, path: string, kind: ScannedFile['kind']): ScannedFile {
  const problem = unreadableReason(path) ?? 'cannot be read';
  return { path, rel: relativeName(root, path), size: 0, mtimeMs: 0, kind, problem };
}
