import type { Database as Db } from 'better-sqlite3';
import { ProjectError } from './errors';
import { restoreAdvice } from './restore-advice';

/**
 * A database found damaged while in use (a page that no longer reads), or no longer the file
 * at its path (file-identity.ts): from then on every statement of ours on it is refused, so
 * nothing more is written to a file that SQLite can no longer read back or that nobody will
 * read again, and every door reports the same sentence with the way out.
 */
const damaged = new WeakMap<Db, ProjectError>();

/** Refuses every later statement on `db` with `reason`, which it returns (to be thrown). */
export function stopUsing(db: Db, reason: ProjectError): ProjectError {
  if (!damaged.has(db)) damaged.set(db, reason);
  return damaged.get(db)!;
}

/** SQLite's words for a file whose pages are not what they should be. */
export function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
  );
}

/** The error a door should report: a corruption of `db` becomes the damaged-project sentence. */
export function asDamage(error: unknown, db: Db | undefined): unknown {
  if (!db || !isCorruption(error)) return error;
  return (
    damaged.get(db) ??
    stopUsing(
      db,
      new ProjectError(
        'damaged',
        `${db.name} is damaged (${(error as Error).message}); AHUNT stopped writing to it, and ` +
          `what was not yet saved when this was found may be lost. ${restoreAdvice(db.name)}`,
      ),
    )
  );
}

/** Throws the damaged-project error once `db` has been found damaged. */
export function refuseIfDamaged(db: Db): void {
  const known = damaged.get(db);
  if (known) throw known;
}
