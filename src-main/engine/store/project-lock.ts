import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { ProjectError } from './errors';

/** Beside the database: who has the project open (for the message a second opener gets). */
export const LOCK_FILE = 'ahunt.lock';
/**
 * Beside the database: the file whose operating-system lock *is* the project lock. It is a
 * tiny SQLite database only because SQLite gives us a portable, exclusive, non-blocking OS
 * lock (fcntl on POSIX, LockFileEx on Windows) that the system drops when the holder dies,
 * however it dies. It is never deleted: deleting a lock file lets a newcomer lock a fresh
 * file while an older waiter locks the unlinked one.
 */
export const LOCK_DATABASE = 'ahunt.lock.db';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export interface ProjectLock {
  release(): void;
}

/**
 * Marks the project as open by this process, refusing when another process (or another
 * workspace of this one) holds it: two sessions would ask and train the same rounds over
 * each other, and a restore would swap the database under a running app. Taking the lock is
 * one atomic step of the operating system, so two processes racing for it cannot both win,
 * and a lock left by a process that died is free again at once.
 */
export function lockProject(dir: string): ProjectLock {
  const held = tryHold(dir);
  if (!held) throw inUse(dir, readOwner(dir), 'open it there, or close it there first');
  const mine: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  writeOwner(dir, mine);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      const owner = readOwner(dir);
      if (owner?.pid === mine.pid && owner.host === mine.host && owner.since === mine.since)
        rmSync(join(dir, LOCK_FILE), { force: true });
      held.close();
    },
  };
}

/** Refuses when a process has the project open (for restore, which replaces the database). */
export function assertNotInUse(dir: string, doing: string): void {
  // Nobody can hold a lock on a file that does not exist; and a check should not create one.
  if (!existsSync(join(dir, LOCK_DATABASE))) return;
  const held = tryHold(dir);
  if (!held) throw inUse(dir, readOwner(dir), `close it before ${doing}`);
  held.close();
}

/**
 * How long a newcomer keeps trying before it calls the project held. A holder keeps its lock
 * until it closes, so a real holder refuses every try; but racers (two windows opened at once,
 * a CLI command beside the app) each take a brief shared lock on the way to the exclusive one,
 * and can block each other so that nobody wins. Trying again after a random pause breaks the tie.
 */
const CONTENTION_MS = 400;

/** The OS lock on LOCK_DATABASE, or null when another holder has it. */
function tryHold(dir: string): Db | null {
  const deadline = Date.now() + CONTENTION_MS;
  for (;;) {
    const held = tryHoldOnce(dir);
    if (held || Date.now() >= deadline) return held;
    pause(5 + Math.random() * 20);
  }
}

function tryHoldOnce(dir: string): Db | null {
  const file = join(dir, LOCK_DATABASE);
  let db: Db;
  try {
    db = new Database(file, { timeout: 0 });
  } catch (error) {
    throw cannotLock(dir, error);
  }
  try {
    // The journal mode first: in exclusive locking mode even the read it needs would keep a
    // shared lock, and every racer holding one would block every other racer's write.
    db.pragma('journal_mode = OFF');
    // In exclusive locking mode the first write takes the lock and keeps it until close.
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (at INTEGER); COMMIT;');
    return db;
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return null;
    throw cannotLock(dir, error);
  }
}

/** Sleeps the thread: taking the lock is synchronous, and the pause is a few milliseconds. */
function pause(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function writeOwner(dir: string, owner: LockOwner): void {
  const file = join(dir, LOCK_FILE);
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, JSON.stringify(owner));
  renameSync(temp, file);
}

function readOwner(dir: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string') return null;
    return { pid: owner.pid, host: owner.host, since: String(owner.since ?? '') };
  } catch {
    return null;
  }
}

function inUse(dir: string, owner: LockOwner | null, advice: string): ProjectError {
  const who = !owner
    ? 'another AHUNT process'
    : owner.pid === process.pid && owner.host === hostname()
      ? 'this AHUNT process'
      : `AHUNT process ${owner.pid}${owner.host === hostname() ? '' : ` on ${owner.host}`}`;
  const since = owner?.since ? ` (since ${owner.since})` : '';
  return new ProjectError('conflict', `${dir} is open in ${who}${since}: ${advice}.`);
}

function cannotLock(dir: string, error: unknown): ProjectError {
  return new ProjectError(
    'invalid',
    `${dir} cannot be locked for use (${(error as Error).message}): the project folder must be ` +
      `writable; copy the project to a folder you can write to.`,
  );
}
