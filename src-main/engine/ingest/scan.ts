import { readdir, stat } from 'node:fs/promises';
import { basename, join, relative, resolve } from 'node:path';
import { IngestError } from './errors';
import type { ScannedFile } from './types';

const FITS_EXTENSIONS = new Set(['fits', 'fit', 'fts', 'fz']);
const IMAGE_EXTENSIONS = new Set(['jpg', 'jpeg', 'png']);
/** `.gz` is FITS only around a FITS name (or none): a folder's `notes.csv.gz` is not a survey image. */
const GZIP_INNER = new Set(['fits', 'fit', 'fts', '']);

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
export async function scanPaths(paths: string[]): Promise<ScannedFile[]> {
  if (paths.length === 0) {
    throw new IngestError('bad-option', null, 'Give at least one folder or file to ingest.');
  }
  const found = new Map<string, ScannedFile>();
  for (const given of paths) {
    const root = resolve(given);
    const info = await stat(root).catch(() => null);
    if (!info) throw new IngestError('not-found', root, `${root} does not exist.`);
    if (info.isDirectory()) {
      await walk(root, root, found);
    } else {
      const kind = fileKind(root);
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

async function walk(root: string, dir: string, found: Map<string, ScannedFile>): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) await walk(root, full, found);
    else if ((entry.isFile() || entry.isSymbolicLink()) && fileKind(entry.name)) files.push(full);
  }
  // stat in parallel: on a network drive one-at-a-time stats dominate the scan.
  const stats = await Promise.all(files.map((f) => stat(f).catch(() => null)));
  files.forEach((full, i) => {
    const info = stats[i];
    if (!info || !info.isFile()) return;
    found.set(full, {
      path: full,
      rel: relative(root, full).split('\\').join('/'),
      size: info.size,
      mtimeMs: Math.trunc(info.mtimeMs),
      kind: fileKind(full)!,
    });
  });
}
