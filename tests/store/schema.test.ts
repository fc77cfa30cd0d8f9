import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  ProjectError,
  createProject,
  databasePath,
  openDatabase,
  openProject,
  schemaVersion,
  type Migration,
} from '../../src-main/engine/store';
import { tempDir } from './helpers';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('opening a project database', () => {
  it('creates the schema with WAL, foreign keys and strict tables', () => {
    const dir = tempDir();
    const project = createProject(dir);
    const { db } = project;
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    const tables = db
      .prepare(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
      )
      .all() as { name: string; sql: string }[];
    expect(tables.map((t) => t.name).sort()).toEqual(
      [
        'annotation_events',
        'classes',
        'ingest_errors',
        'label_events',
        'meta',
        'models',
        'object_annotations',
        'object_labels',
        'object_scores',
        'objects',
        'questions',
        'rounds',
        'settings',
        'sources',
      ].sort(),
    );
    for (const t of tables) expect(t.sql, t.name).toMatch(/\)\s*STRICT$/);
    // STRICT rejects a value of the wrong type instead of storing it silently.
    expect(() =>
      db
        .prepare(
          "INSERT INTO sources (path, size, mtime_ms, kind, status) VALUES ('x', 'big', 0, 'fits', 'pending')",
        )
        .run(),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
    // Foreign keys are enforced.
    expect(() =>
      db
        .prepare(
          "INSERT INTO objects (uid, source_id, bands, size, pixel_format, created_at) VALUES ('u', 999, 1, 1, 'f32', 'now')",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
    project.close();
  });

  it('refuses a database written by a newer version and leaves the file untouched', () => {
    const dir = tempDir();
    createProject(dir).close();
    const file = databasePath(dir);
    const raw = new Database(file);
    raw.pragma('journal_mode = DELETE'); // fold the WAL in so the file alone is the database
    raw.pragma(`user_version = ${schemaVersion() + 5}`);
    raw.close();
    const before = sha(file);
    let error: unknown;
    try {
      openProject(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ProjectError);
    expect((error as ProjectError).code).toBe('from-the-future');
    expect((error as Error).message).toMatch(/newer AHUNT Workstation.*Update the app/);
    expect(sha(file)).toBe(before);
  });

  it('detects a file that is not a database without writing to it', () => {
    const dir = tempDir();
    createProject(dir).close();
    const file = databasePath(dir);
    writeFileSync(file, Buffer.alloc(8192, 0x41));
    const before = sha(file);
    expect(() => openProject(dir)).toThrow(/not a readable AHUNT project database/);
    expect(sha(file)).toBe(before);
  });

  it('explains what to do with a folder that is not a project', () => {
    expect(() => openProject(join(tempDir(), 'nope'))).toThrow(/does not exist.*ahunt init/);
    expect(() => openProject(tempDir())).toThrow(/is not an AHUNT project/);
  });
});

describe('migrations', () => {
  // A stand-in history: three versions, each adding something the next one relies on.
  const history: Migration[] = [
    (db) => db.exec('CREATE TABLE a (x INTEGER) STRICT'),
    (db) => db.exec('ALTER TABLE a ADD COLUMN y INTEGER'),
    (db) => db.exec('CREATE TABLE b AS SELECT x, y FROM a'),
  ];

  it('climbs from every earlier version to the latest, keeping data', () => {
    for (let start = 0; start <= history.length; start++) {
      const file = join(tempDir(), 'db.sqlite');
      openDatabase(file, { migrations: history.slice(0, start) }).close();
      const raw = new Database(file);
      if (start >= 1) raw.prepare('INSERT INTO a (x) VALUES (7)').run();
      raw.close();
      const db = openDatabase(file, { migrations: history });
      expect(db.pragma('user_version', { simple: true })).toBe(history.length);
      expect(db.prepare('SELECT count(*) AS n FROM b').get()).toEqual({
        // b copies a when it is created; at the latest version it predates the row.
        n: start >= 1 && start < history.length ? 1 : 0,
      });
      db.close();
    }
  });

  it('the shipped schema also climbs from nothing (a new file)', () => {
    // An existing empty file is refused as damaged instead (tests/crash/damaged.test.ts).
    const file = join(tempDir(), 'db.sqlite');
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(schemaVersion());
    db.close();
  });

  it('a failing migration rolls back to the old version', () => {
    const file = join(tempDir(), 'db.sqlite');
    openDatabase(file, { migrations: history.slice(0, 1) }).close();
    const broken: Migration[] = [
      ...history.slice(0, 2),
      () => {
        throw new Error('boom');
      },
    ];
    expect(() => openDatabase(file, { migrations: broken })).toThrow('boom');
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(1);
    expect(() => raw.prepare('SELECT y FROM a').all()).toThrow(/no such column/);
    raw.close();
  });
});
