import type { Db } from './open';
import { stmt } from './statement';

/** Settings are stored as JSON; callers supply the default, so an absent key is never an error. */
export function getSetting<T>(db: Db, key: string, fallback: T): T {
  const row = stmt<[string], { value: string }>(db, 'SELECT value FROM settings WHERE key = ?').get(
    key,
  );
  return row ? (JSON.parse(row.value) as T) : fallback;
}

export function setSetting(db: Db, key: string, value: unknown): void {
  stmt(
    db,
    'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, JSON.stringify(value));
}

export function allSettings(db: Db): Record<string, unknown> {
  const rows = stmt<[], { key: string; value: string }>(
    db,
    'SELECT key, value FROM settings',
  ).all();
  return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.value) as unknown]));
}

export function getMeta(db: Db, key: string): string | undefined {
  return stmt<[string], { value: string }>(db, 'SELECT value FROM meta WHERE key = ?').get(key)
    ?.value;
}

export function setMeta(db: Db, key: string, value: string): void {
  stmt(
    db,
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}
