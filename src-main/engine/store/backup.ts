import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { open, rm, type FileHandle } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  BACKUPS_DIR,
  backupName,
  describeBackup,
  listBackups,
  type BackupInfo,
} from './backup-names';
import { fsyncPath } from '../file-io';
import { backupOnWorker, DAMAGED_COPY } from './backup-worker';
import { ProjectError } from './errors';
import { restoreAdvice } from './restore-advice';
import { schemaVersion } from './open';
import { databasePath, DATABASE_FILE, openProject, type Project } from './project';
import { assertNotInUse } from './project-lock';
import { latestRound } from './rounds';

export {
  BACKUPS_DIR,
  describeBackup,
  listBackups,
  ROUND_DONE,
  type BackupInfo,
} from './backup-names';

/** Rolling backups kept per project; older ones are removed after each new one. */
export const KEEP_BACKUPS = 5;
/**
 * Past this size a project keeps only its two newest backups: five copies of a 10^6-object
 * project (8.8 GB each) would take 44 GB of the user's disk. Two still survive one bad copy.
 */
export const LARGE_BACKUP_BYTES = 1 << 30;
export const KEEP_LARGE_BACKUPS = 2;

/** A half-written backup is a hidden file ending so: never listed, never restored. */
const PARTIAL = '.partial';
/** A partial file older than this was left by a crash: a backup takes seconds, not minutes. */
const STALE_PARTIAL_MS = 10 * 60_000;
/** The files SQLite keeps beside a database; they travel with it when it is moved aside. */
const COMPANIONS = ['-wal', '-shm', '-journal'] as const;

export function backupsDir(projectDir: string): string {
  return join(resolve(projectDir), BACKUPS_DIR);
}

/**
 * Copies the open project database into `<project>/backups/` and keeps the newest
 * KEEP_BACKUPS. SQLite's online backup gives a consistent snapshot even while labels are
 * written, and runs on a worker thread so labelling never waits for it (see
 * backup-worker.ts). Written under a hidden temporary name and renamed when complete, so a
 * crash never leaves a half backup that looks whole.
 */
export async function backupDatabase(
  project: Project,
  reason: string,
  /** The round the backup stands for (default: the latest). */
  roundNumber?: number,
): Promise<BackupInfo & { seconds: number }> {
  const started = performance.now();
  const dir = backupsDir(project.dir);
  mkdirSync(dir, { recursive: true });
  removeStalePartials(dir);
  const round = roundNumber ?? latestRound(project.db)?.number ?? 0;
  let time = new Date();
  // Two backups in one millisecond would share a name: the later one moves a tick on.
  while (existsSync(join(dir, backupName(time, round, reason))))
    time = new Date(time.getTime() + 1);
  const name = backupName(time, round, reason);
  const file = join(dir, name);
  const temp = join(dir, `.${name}${PARTIAL}`);
  try {
    await backupOnWorker(project.db, temp).catch(async (error: Error) => {
      if (error.message.startsWith(DAMAGED_COPY)) throw error;
      // No worker (an unusual packaging, say): the same copy on this thread, 100 pages a turn.
      removeWithCompanions(temp);
      await project.db.backup(temp);
      const check = project.db.pragma('quick_check(1)', { simple: true }) as string;
      if (check !== 'ok') throw new Error(DAMAGED_COPY + check);
    });
    await syncFileAsync(temp); // off the main thread: an fsync of a large file can take a while
    renameSync(temp, file);
    await syncFileAsync(dir);
  } catch (error) {
    removeWithCompanions(temp);
    if ((error as Error).message.startsWith(DAMAGED_COPY)) {
      // Never let a damaged copy push a good backup out of the rotation.
      throw new ProjectError(
        'damaged',
        `${project.dir}'s database is damaged (${(error as Error).message.slice(DAMAGED_COPY.length).replace(/\s*\n\s*/g, '; ')}); ` +
          `no backup was made and the older ones are kept. ${restoreAdvice(project.db.name)}`,
      );
    }
    throw new ProjectError(
      'invalid',
      `The automatic backup of ${project.dir} could not be written to ${dir} ` +
        `(${(error as Error).message}). Your labels are safe in the project itself; ` +
        `check that the disk has room and the folder is writable.`,
    );
  }
  const info = listBackups(dir).find((b) => b.name === name)!;
  await pruneBackups(dir, info.bytes > LARGE_BACKUP_BYTES ? KEEP_LARGE_BACKUPS : KEEP_BACKUPS);
  return { ...info, seconds: (performance.now() - started) / 1000 };
}

/** Removes all but the newest `keep` backups (asynchronously: unlinking a big file takes a while). */
export async function pruneBackups(dir: string, keep: number): Promise<void> {
  const backups = listBackups(dir);
  for (const old of backups.slice(0, Math.max(0, backups.length - keep))) {
    await rm(old.file, { force: true });
  }
}

function removeStalePartials(dir: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('.') || !name.includes(PARTIAL)) continue;
    const file = join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > STALE_PARTIAL_MS) rmSync(file, { force: true });
    } catch {
      // Gone already.
    }
  }
}

export interface RestoreResult {
  restored: BackupInfo;
  /** The project database now in use. */
  database: string;
  /** Where the replaced database (and its -wal/-shm) went; nothing is deleted. */
  movedAside: string[];
}

/**
 * Puts a backup (the newest unless `name` is given) in place of the project database. The
 * backup is copied and checked before anything is moved; the current database, damaged or
 * not, is only renamed (with its -wal/-shm, so it stays openable), never written or
 * deleted. The project must not be open elsewhere while this runs: the caller either holds
 * its lock (`lockHeld`, so nothing can open it halfway) or it is checked here.
 */
export function restoreBackup(
  dir: string,
  name?: string,
  options: { lockHeld?: boolean } = {},
): RestoreResult {
  const root = resolve(dir);
  if (!options.lockHeld) assertNotInUse(root, 'restoring a backup');
  const backups = listBackups(backupsDir(root));
  const chosen = name === undefined ? backups.at(-1) : backups.find((b) => b.name === name);
  if (!chosen) {
    throw new ProjectError(
      'not-found',
      backups.length === 0
        ? `${root} has no automatic backups in ${backupsDir(root)} (one is made at the end ` +
            `of every round), so there is nothing to restore.`
        : `There is no backup named ${name} in ${backupsDir(root)}. ` +
            `See the ones there with: ahunt restore ${dir} --list`,
    );
  }
  const target = databasePath(root);
  const incoming = join(root, `.${DATABASE_FILE}.restoring`);
  removeWithCompanions(incoming);
  copyFileSync(chosen.file, incoming);
  try {
    checkRestorable(incoming, chosen);
  } catch (error) {
    removeWithCompanions(incoming);
    throw error;
  }
  syncFile(incoming);

  const movedAside: string[] = [];
  const aside = join(
    root,
    `ahunt-replaced-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`,
  );
  for (const suffix of ['', ...COMPANIONS]) {
    if (!existsSync(target + suffix)) continue;
    renameSync(target + suffix, aside + suffix);
    movedAside.push(aside + suffix);
  }
  renameSync(incoming, target);
  syncFile(root);
  // The proof that the user can carry on: it opens as a project.
  openProject(root, { readonly: true }).close();
  return { restored: chosen, database: target, movedAside };
}

/**
 * Checks every page of the copy, and that this version can open it, before anything is
 * moved. A plain connection: migrating is left to the first real open of the project.
 */
function checkRestorable(file: string, backup: BackupInfo): void {
  let problem: string | null = null;
  try {
    const db = new Database(file, { fileMustExist: true });
    try {
      const result = db.pragma('integrity_check', { simple: true }) as string;
      const version = db.pragma('user_version', { simple: true }) as number;
      if (result !== 'ok') problem = result;
      else if (version > schemaVersion())
        problem = `it was written by a newer AHUNT Workstation (schema ${version})`;
    } finally {
      db.close(); // the only connection: it folds its WAL in, so the copy is one file again
    }
  } catch (error) {
    problem = (error as Error).message;
  }
  if (problem !== null) {
    throw new ProjectError(
      'damaged',
      `The backup ${backup.name} (${describeBackup(backup)}) cannot be restored (${problem}); ` +
        `nothing was changed. Choose an older one with --backup NAME (see --list).`,
    );
  }
}

function removeWithCompanions(file: string): void {
  for (const suffix of ['', ...COMPANIONS]) rmSync(file + suffix, { force: true });
}

async function syncFileAsync(path: string): Promise<void> {
  let handle: FileHandle | null = null;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (error) {
    if (process.platform !== 'win32') throw error;
  } finally {
    await handle?.close();
  }
}

/** Flushes a file (or a folder's entries) to disk; folders cannot be synced on Windows. */
function syncFile(path: string): void {
  try {
    fsyncPath(path);
  } catch (error) {
    if (process.platform !== 'win32') throw error;
  }
}
