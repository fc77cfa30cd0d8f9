import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or installed package) root, found from this file's location. */
export function packageRoot(): string {
  return resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
}

export function rendererDir(): string {
  return process.env.AHUNT_RENDERER_DIR ?? join(packageRoot(), 'out', 'renderer');
}

/** Where the app keeps its own files (the demo project) — XDG on Linux, the usual places elsewhere. */
export function userDataDir(): string {
  if (process.env.AHUNT_HOME) return resolve(process.env.AHUNT_HOME);
  if (process.platform === 'darwin')
    return join(homedir(), 'Library', 'Application Support', 'AHUNT Workstation');
  if (process.platform === 'win32')
    return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'AHUNT Workstation');
  return join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'ahunt');
}

/** The list of recently opened projects, shared by the desktop window and `ahunt serve`. */
export function recentProjectsFile(): string {
  return join(userDataDir(), 'recent-projects.json');
}
