import { renameSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Database as Db } from 'better-sqlite3';
import { stopUsing } from './damage';
import { ProjectError } from './errors';

/**
 * The database file each connection opened, by identity (device and inode). A file put in
 * its place while the project is open (a backup copied in by hand, another program saving
 * over it) is a new inode at the same path; SQLite keeps writing to the one it opened, which
 * is by then unlinked: every label given from then on would vanish when the connection
 * closes. So before each write the path is checked to still name the file we have open.
 */
interface Identity {
  dev: number;
  ino: number;
}

interface Opened {
  path: string;
  file: Identity;
  sidecars: Map<string, Identity>;
  /** Checked in this synchronous run of statements (cleared at its end, by a microtask). */
  checked: boolean;
}

const opened = new WeakMap<Db, Opened>();

/** SQLite's files beside the database in WAL mode: the log and its shared-memory index. */
const SIDECARS = ['-wal', '-shm'];

const identity = (path: string): Identity | null => {
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? { dev: s.dev, ino: s.ino } : null;
};
const same = (a: Identity | null, b: Identity | undefined) =>
  !!a && !!b && a.dev === b.dev && a.ino === b.ino;

/** Remembers the file behind `db` (a database in memory, or read-only, has nothing to guard). */
export function rememberFile(db: Db): void {
  if (db.memory || db.readonly) return;
  const path = resolve(db.name);
  const file = identity(path);
  if (!file) return;
  const sidecars = new Map<string, Identity>();
  for (const suffix of SIDECARS) {
    const sidecar = identity(path + suffix);
    if (sidecar) sidecars.set(suffix, sidecar);
  }
  opened.set(db, { path, file, sidecars, checked: false });
}

/**
 * Throws, and refuses every later statement on `db`, when its path no longer names the file
 * it opened. Run before our write statements only (the keystroke's reads never pay it), and
 * once per synchronous run of them: a label is about nine statements, an ingest's transaction
 * thousands, and one stat of the path (a few µs) covers them all: a swap during the run is no
 * different from one just after it.
 */
export function refuseIfReplaced(db: Db): void {
  const known = opened.get(db);
  if (!known || known.checked) return;
  const now = identity(known.path);
  if (same(now, known.file)) {
    known.checked = true;
    queueMicrotask(() => (known.checked = false));
    return;
  }
  opened.delete(db);
  setAsideOurLog(known.path, known.sidecars);
  throw stopUsing(
    db,
    new ProjectError(
      'conflict',
      `${known.path} was ${now ? 'replaced by another file' : 'moved or deleted'} while the ` +
        'project was open (by hand or by another program), so AHUNT stopped writing to it: ' +
        'close the project and open it again to work on the file that is there now.',
    ),
  );
}

/**
 * Our WAL still lies beside the new file under its name, and SQLite, seeing our database
 * moved, leaves it there at close: the next open would replay the old file's last writes into
 * the new one (measured: a label given before the swap reappeared in the restored copy), and
 * pages of another history can make it unreadable. Our own log and index are renamed aside
 * (kept, not deleted: they hold the old file's unsaved writes); files a restorer put there are
 * theirs and stay. Where a file in use cannot be renamed (Windows), it is left as it was.
 */
function setAsideOurLog(path: string, sidecars: Map<string, Identity>): void {
  const stamp = new Date().toISOString().replaceAll(':', '-');
  for (const [suffix, ours] of sidecars) {
    if (!same(identity(path + suffix), ours)) continue;
    try {
      renameSync(path + suffix, `${path}${suffix}.replaced-${stamp}`);
    } catch {
      // In use and not renameable here: SQLite's own checks are all that is left.
    }
  }
}
