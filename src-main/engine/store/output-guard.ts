import { existsSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { BACKUPS_DIR } from './backup-names';
import { ProjectError } from './errors';
import type { Db } from './open';
import { DATABASE_FILE } from './project';
import { LOCK_DATABASE, LOCK_FILE } from './project-lock';
import { stmt } from './statement';

/** SQLite's companions of the database file: losing any of them loses committed labels. */
const DATABASE_COMPANIONS = ['', '-wal', '-shm', '-journal'];

export type OutputKind = 'file' | 'folder';

/**
 * The one check every writer of a user-chosen path runs before it writes (catalogue, history
 * and model exports, from every door): the target must not be, or (for a folder that is
 * replaced whole) contain, the project's own files — its database and SQLite's companions,
 * its lock, anything in backups/, the project folder itself — nor a source file the project
 * was ingested from. Paths are compared as the file system resolves them (symbolic links and
 * `..` followed, hard links caught by inode), so no spelling of the database's path gets
 * through. Returns the absolute path to write.
 */
export function assertSafeOutput(
  project: { dir: string; db: Db },
  out: string,
  kind: OutputKind,
): string {
  const target = resolve(out);
  const spellings = uniq([target, realTarget(target)]);
  const root = realOrResolved(project.dir);
  const refuse = (what: string): never => {
    throw new ProjectError(
      'invalid',
      `Refusing to write ${target}: it is ${what}. Choose a path outside the project's own ` +
        `files (its exports/ folder is the usual place).`,
    );
  };

  const protectedFiles = DATABASE_COMPANIONS.map((suffix) => join(root, DATABASE_FILE + suffix));
  protectedFiles.push(join(root, LOCK_FILE), join(root, LOCK_DATABASE));
  const backups = join(root, BACKUPS_DIR);

  for (const path of spellings) {
    if (path === root) refuse('the project folder itself');
    if (protectedFiles.includes(path)) refuse(`the project's ${describe(basename(path))}`);
    if (isInside(path, backups) || path === backups) refuse("inside the project's backups/");
    if (kind === 'folder' && isInside(root, path)) refuse('a folder that holds the project');
  }
  // A hard link to the database has another name but the same inode.
  const existing = statOrNull(target);
  if (existing) {
    for (const file of protectedFiles) {
      const s = statOrNull(file);
      if (s && s.ino === existing.ino && s.dev === existing.dev)
        refuse(`another name (a hard link) for the project's ${describe(basename(file))}`);
    }
  }
  for (const path of spellings) {
    if (isSource(project.db, path)) refuse('a file this project was ingested from');
    if (kind === 'folder' && holdsSources(project.db, path))
      refuse('a folder holding files this project was ingested from');
  }
  return target;
}

function describe(name: string): string {
  if (name === LOCK_FILE || name === LOCK_DATABASE) return 'lock file';
  if (name === DATABASE_FILE) return 'database';
  return `database companion file ${name}`;
}

function isSource(db: Db, path: string): boolean {
  return stmt<[string], { n: number }>(db, 'SELECT 1 AS n FROM sources WHERE path = ?').get(path)
    ? true
    : false;
}

function holdsSources(db: Db, folder: string): boolean {
  const prefix = folder.endsWith(sep) ? folder : folder + sep;
  // A range on the unique index instead of LIKE, whose wildcards a folder name may contain.
  return stmt<[string, string], { n: number }>(
    db,
    'SELECT 1 AS n FROM sources WHERE path >= ? AND path < ? LIMIT 1',
  ).get(prefix, prefix.slice(0, -1) + String.fromCharCode(sep.charCodeAt(0) + 1))
    ? true
    : false;
}

/**
 * The path the file system would write to: the target itself resolved when it exists
 * (a symbolic link is followed), otherwise its deepest existing folder resolved and the
 * rest appended.
 */
function realTarget(target: string): string {
  let existing = target;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) return target;
    rest.unshift(basename(existing));
    existing = parent;
  }
  return join(realOrResolved(existing), ...rest);
}

function realOrResolved(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

function isInside(path: string, folder: string): boolean {
  const r = relative(folder, path);
  return r !== '' && !r.startsWith('..') && !r.startsWith(sep) && r !== '..';
}

function uniq(paths: string[]): string[] {
  return [...new Set(paths)];
}

/** Where the api's exports land when given a bare or relative name. */
export const EXPORTS_DIR = 'exports';

/**
 * The absolute path for an export target given to the api: an absolute path as it is, a
 * relative one inside the project's exports/ folder — never climbing out of it with `..`.
 */
export function exportTargetPath(projectDir: string, out: string): string {
  if (isAbsolute(out)) return resolve(out);
  const folder = join(resolve(projectDir), EXPORTS_DIR);
  const target = resolve(folder, out);
  if (!isInside(target, folder)) {
    throw new ProjectError(
      'invalid',
      `"${out}" climbs out of the project's exports/ folder; give a plain file name, or an absolute path.`,
    );
  }
  return target;
}
