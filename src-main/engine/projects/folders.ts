import { readdirSync, statSync, type Dirent } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { FolderEntry, FolderListing } from '../../contract/contract';
import { fileKind } from '../ingest/scan';
import { ProjectError } from '../store/errors';
import { isProject } from '../store/project';
import { systemFolderOf } from '../store/system-folders';

/** A folder of a million cutouts must not become a million-row answer. */
const LISTED = 1000;

/**
 * One folder's sub-folders and survey files, for choosing where a project lives or which data
 * to ingest from a window that has no native file dialog (the browser door). Hidden entries
 * are left out; other files are only counted. Default: the home folder.
 */
export function listFolder(dir?: string): FolderListing {
  const home = homedir();
  const root = resolve(dir ?? home);
  const system = systemFolderOf(root);
  if (system) {
    throw new ProjectError(
      'invalid',
      `${root} is inside ${system}, the operating system's own files, which hold no survey data; the folder browser does not list them.`,
    );
  }
  let dirents: Dirent[];
  try {
    dirents = readdirSync(root, { withFileTypes: true });
  } catch (error) {
    throw new ProjectError('not-found', unlistable(root, error as NodeJS.ErrnoException));
  }
  const folders: FolderEntry[] = [];
  const files: FolderEntry[] = [];
  let otherFiles = 0;
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue;
    const path = join(root, d.name);
    if (systemFolderOf(path)) continue; // `/dev` in a listing of `/`: nothing to browse
    if (isFolder(d, path)) {
      folders.push({ name: d.name, path, kind: 'folder' });
    } else if (fileKind(d.name)) {
      files.push({ name: d.name, path, kind: 'survey' });
    } else {
      otherFiles += 1;
    }
  }
  const byName = (a: FolderEntry, b: FolderEntry) => a.name.localeCompare(b.name);
  const entries = [...folders.sort(byName), ...files.sort(byName)].slice(0, LISTED);
  // Only the listed folders are probed: one stat each.
  for (const e of entries) if (e.kind === 'folder' && isProject(e.path)) e.kind = 'project';
  const parent = dirname(root);
  return {
    dir: root,
    parent: parent === root ? null : parent,
    home,
    isProject: isProject(root),
    entries,
    otherFiles,
    truncated: folders.length + files.length > LISTED,
  };
}

/** A link to a folder is a folder to the person browsing; a dangling link is nothing. */
function isFolder(d: Dirent, path: string): boolean {
  if (d.isDirectory()) return true;
  if (!d.isSymbolicLink()) return false;
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function unlistable(root: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `${root} does not exist.`;
  if (error.code === 'ENOTDIR') return `${root} is a file, not a folder.`;
  if (error.code === 'EACCES' || error.code === 'EPERM')
    return `${root} cannot be opened: permission denied.`;
  return `${root} cannot be listed (${error.code ?? error.message}).`;
}
