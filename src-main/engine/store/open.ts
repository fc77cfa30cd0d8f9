import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { ProjectError } from './errors';
import { migrations as shippedMigrations, type Migration } from './migrations';

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
  const db = openRaw(file, options.readonly ?? false);
  try {
    const version = readVersion(db, file);
    if (version > migrations.length) {
      throw new ProjectError(
        'from-the-future',
        `${file} was written by a newer AHUNT Workstation (schema ${version}; this version ` +
          `understands up to ${migrations.length}). Update the app to open this project; ` +
          `nothing was changed.`,
      );
    }
    if (options.readonly) return db;
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    // FULL: a label acknowledged to the user survives power loss, not only a crash.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, version, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function openRaw(file: string, readonly: boolean): Db {
  try {
    return new Database(file, { readonly, fileMustExist: readonly });
  } catch (error) {
    throw new ProjectError(
      'damaged',
      `${file} cannot be opened as a project database (${(error as Error).message}).`,
    );
  }
}

function readVersion(db: Db, file: string): number {
  try {
    // Reading the schema touches every page header SQLite needs: a file that is not a
    // database (or a truncated one) fails here rather than in the middle of a migration.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    return db.pragma('user_version', { simple: true }) as number;
  } catch (error) {
    throw new ProjectError(
      'damaged',
      `${file} is not a readable AHUNT project database (${(error as Error).message}). ` +
        `Restore it from a backup in the project's backups/ folder or choose another project.`,
    );
  }
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
