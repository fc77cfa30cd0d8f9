import { realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';

/**
 * The operating system's own pseudo-file systems: their "files" are processes, devices and
 * kernel settings, endless or changing under the reader, and never survey data or a place
 * for a project. A project is never made, opened or browsed for in them.
 */
const SYSTEM_FOLDERS = process.platform === 'win32' ? [] : ['/proc', '/sys', '/dev'];

/** The pseudo-file system `path` lies in (symbolic links followed), or null. */
export function systemFolderOf(path: string): string | null {
  let real = resolve(path);
  try {
    real = realpathSync(real);
  } catch {
    // A path that does not exist yet is judged by its spelling.
  }
  return SYSTEM_FOLDERS.find((root) => real === root || real.startsWith(root + sep)) ?? null;
}
