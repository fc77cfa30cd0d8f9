import type { Database, Statement } from 'better-sqlite3';
import { refuseIfDamaged } from './damage';
import { refuseIfReplaced } from './file-identity';

const cache = new WeakMap<Database, Map<string, Statement>>();

/** A prepared statement, compiled once per connection: hot paths run per keystroke or per file. */
export function stmt<P extends unknown[] | object = unknown[], R = unknown>(
  db: Database,
  sql: string,
): Statement<P, R> {
  // Once a read has met damage, nothing more of ours runs on the file (see damage.ts).
  refuseIfDamaged(db);
  let statements = cache.get(db);
  if (!statements) {
    statements = new Map();
    cache.set(db, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    statements.set(sql, statement);
  }
  // A write goes to the file at the project's path, or nowhere (see file-identity.ts).
  if (!statement.readonly) refuseIfReplaced(db);
  return statement as unknown as Statement<P, R>;
}

export function nowIso(): string {
  return new Date().toISOString();
}
