import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { ProjectError } from './errors';

/** Beside the database: which process has the project open for hunting. */
export const LOCK_FILE = 'ahunt.lock';

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

export interface ProjectLock {
  release(): void;
}

/**
 * Marks the project as open by this process, refusing when another live process on this
 * machine holds it: two sessions would ask and train the same rounds over each other, and a
 * restore would swap the database under a running app. A lock left by a process that died
 * (a crash, a kill) is taken over.
 */
export function lockProject(dir: string): ProjectLock {
  const file = join(dir, LOCK_FILE);
  const holder = lockHolder(dir);
  if (holder) throw inUse(dir, holder, 'open it there, or close it there first');
  const mine: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  writeFileSync(file, JSON.stringify(mine));
  return {
    release() {
      const owner = readOwner(file);
      if (owner?.pid === mine.pid && owner.host === mine.host) rmSync(file, { force: true });
    },
  };
}

/** Refuses when a live process has the project open (for restore, which replaces the database). */
export function assertNotInUse(dir: string, doing: string): void {
  const holder = lockHolder(dir);
  if (holder) throw inUse(dir, holder, `close it before ${doing}`);
}

/** The live process on this machine that holds the project, if any. */
function lockHolder(dir: string): LockOwner | null {
  const owner = readOwner(join(dir, LOCK_FILE));
  if (!owner || owner.host !== hostname()) return null;
  return isAlive(owner.pid) ? owner : null;
}

function readOwner(file: string): LockOwner | null {
  try {
    const owner = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockOwner>;
    if (typeof owner.pid !== 'number' || typeof owner.host !== 'string') return null;
    return { pid: owner.pid, host: owner.host, since: String(owner.since ?? '') };
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function inUse(dir: string, owner: LockOwner, advice: string): ProjectError {
  const who = owner.pid === process.pid ? 'this AHUNT process' : `AHUNT process ${owner.pid}`;
  return new ProjectError(
    'conflict',
    `${dir} is open in ${who} (since ${owner.since || 'earlier'}): ${advice}.`,
  );
}
