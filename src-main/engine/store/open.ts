import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { fileBytes } from '../file-io';
import { ProjectError } from './errors';
import { rememberFile } from './file-identity';
import { migrations as shippedMigrations, type Migration } from './migrations';
import { restoreAdvice } from './restore-advice';

export type { Db };

export interface OpenOptions {
  /** Only for tests of the migration machinery. */
  migrations?: readonly Migration[];
  readonly?: boolean;
}

/**
 * Opens (creating when needed) a project database and brings its schema up to date.
 *
 * A database written by a newer version is refused before anything is written to it —
 * not even the WAL switch, which rewrites the file header — so an older app can never
 * damage a newer project.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const migrations = options.migrations ?? shippedMigrations;
  // Checked from the bytes before SQLite sees the file: SQLite itself would happily open a
  // truncated database and only fail (after writing to it) deep inside a later query.
  if (file !== ':memory:') checkHeader(file);
  const db = openRaw(file, options.readonly ?? false);
  try {
    const version = readVersion(db, file);
    if (file !== ':memory:') checkPages(db, file);
    if (version > migrations.length) {
      throw new ProjectError(
        'from-the-future',
        `${file} was written by a newer AHUNT Workstation (schema ${version}; this version ` +
          `understands up to ${migrations.length}). Update the app to open this project; ` +
          `nothing was changed.`,
      );
    }
    if (options.readonly) return db;
    if (file !== ':memory:') {
      db.pragma('journal_mode = WAL');
      // A checkpoint resets the WAL but leaves the file its largest size (0.9 GB was seen
      // after scoring 10^6 objects); past this size it is truncated back.
      db.pragma('journal_size_limit = 67108864'); // 64 MB
    }
    // NORMAL (with WAL): a commit is in the WAL file when it returns, so it survives any
    // crash of the app, and the database can never be corrupted; the WAL reaches the disk at
    // the next checkpoint. A workspace adds a background checkpoint within a second of each
    // label (BackgroundCheckpointer.soon), so a power cut costs at most that last second,
    // while a keypress no longer waits for an fsync (1–36 ms on these machines).
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, version, migrations);
    rememberFile(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');
const HEADER_BYTES = 100;

/**
 * Refuses, from its first 100 bytes and its size, a file that is not a SQLite database or
 * is shorter than its own header says (a truncated copy). Only reads; a missing file is left
 * to SQLite, which makes a new database of it. An empty one is not: SQLite would silently
 * start a new, empty project in place of one whose data was lost (a copy cut short, a full
 * disk), and the backups would soon roll past the last good one.
 */
function checkHeader(file: string): void {
  let size: number;
  let header: Buffer;
  try {
    size = statSync(file).size;
    if (size === 0) throw damaged(file, 'it is empty: 0 bytes');
    header = fileBytes(file, HEADER_BYTES);
  } catch (error) {
    if (error instanceof ProjectError) throw error;
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw damaged(file, (error as Error).message);
  }
  if (size < HEADER_BYTES || !header.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw damaged(file, 'it is not a SQLite database');
  }
  const rawPageSize = header.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const pages = header.readUInt32BE(28);
  // The page count is only meaningful when the header says it is current (file format
  // spec: change counter at 24 equals version-valid-for at 92). With a non-empty WAL beside
  // it, a crash during a checkpoint can leave the file short until SQLite recovers it.
  const countIsCurrent = pages > 0 && header.readUInt32BE(24) === header.readUInt32BE(92);
  if (countIsCurrent && size < pages * pageSize && !hasWalContent(file)) {
    throw damaged(file, `it is truncated: ${size} bytes where its header says ${pages * pageSize}`);
  }
}

function hasWalContent(file: string): boolean {
  try {
    return statSync(`${file}-wal`).size > 0;
  } catch {
    return false;
  }
}

function openRaw(file: string, readonly: boolean): Db {
  try {
    return new Database(file, { readonly, fileMustExist: readonly });
  } catch (error) {
    throw damaged(file, (error as Error).message);
  }
}

function readVersion(db: Db, file: string): number {
  let tables: number;
  let version: number;
  try {
    // Reading the schema touches every page header SQLite needs: a file that is not a
    // database fails here rather than in the middle of a migration.
    tables = (db.prepare('SELECT count(*) AS n FROM sqlite_schema').get() as { n: number }).n;
    version = db.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    throw damaged(file, (error as Error).message);
  }
  // Version 0 is a new, empty database; one that already has tables belongs to something
  // else, and migrating would write our tables into it.
  if (version === 0 && tables > 0) throw damaged(file, 'it is some other database');
  return version;
}

/**
 * Past this size a full page check at open would keep the user waiting (≈ 1.5 s per GB
 * here); a larger project gets the quick probe of every table's and index's pages alone,
 * and damage elsewhere is reported at the first read that meets it (see damage.ts).
 */
const FULL_CHECK_BYTES = 128 * 1024 * 1024;

/**
 * Refuses, before anything is written, a database whose interior is damaged: a table or
 * index whose pages do not read (a root page overwritten, say). SQLite itself opens such a
 * file happily and fails only at the first query that meets the damage, possibly after it
 * has written to the file.
 */
function checkPages(db: Db, file: string): void {
  try {
    if (statSync(file).size <= FULL_CHECK_BYTES) {
      const result = db.pragma('quick_check(1)', { simple: true }) as string;
      if (result !== 'ok') throw new Error(result);
      return;
    }
    const trees = db
      .prepare(
        "SELECT type, name, tbl_name FROM sqlite_schema WHERE type IN ('table', 'index') AND rootpage > 0",
      )
      .all() as { type: string; name: string; tbl_name: string }[];
    for (const t of trees) {
      // Identifiers cannot be bound; these come from the file's own schema, quoted.
      const probeSql =
        t.type === 'table'
          ? `SELECT * FROM ${quoted(t.name)} ORDER BY rowid LIMIT 1`
          : `SELECT 1 FROM ${quoted(t.tbl_name)} INDEXED BY ${quoted(t.name)} LIMIT 1`;
      // WITHOUT ROWID tables cannot ORDER BY rowid: skip what does not prepare.
      let probe;
      try {
        probe = db.prepare(probeSql);
      } catch {
        continue;
      }
      probe.all();
    }
  } catch (error) {
    throw damaged(file, (error as Error).message);
  }
}

function quoted(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

function damaged(file: string, reason: string): ProjectError {
  return new ProjectError(
    'damaged',
    `${file} is not a readable AHUNT project database (${reason}); nothing was written to it. ` +
      restoreAdvice(file),
  );
}

function migrate(db: Db, from: number, migrations: readonly Migration[]): void {
  if (from === migrations.length) return;
  // One transaction for the whole climb: a failure leaves the database at its old version.
  db.transaction(() => {
    for (let version = from; version < migrations.length; version++) {
      migrations[version]!(db);
    }
    db.pragma(`user_version = ${migrations.length}`);
  })();
}

export function schemaVersion(): number {
  return shippedMigrations.length;
}

/**
 * Moves everything in the WAL into the database file and empties the WAL, so the file's
 * size is the project's size (measurements, before copying a closed project by hand).
 */
export function checkpointFully(db: Db): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
}
