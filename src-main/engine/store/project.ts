import type { ClassKind } from '../../contract/contract';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createClass, listClasses } from './classes';
import { ProjectError } from './errors';
import { classCounts, countLabelled } from './labels';
import { countModels } from './models';
import { countObjects } from './objects';
import { openDatabase, schemaVersion, type Db } from './open';
import { latestRound } from './rounds';
import { getMeta, setMeta } from './settings';
import { stmt } from './statement';
import { systemFolderOf } from './system-folders';

/** A project is a folder: the database plus room for caches, backups and exports. */
export const DATABASE_FILE = 'ahunt.sqlite';

export function databasePath(dir: string): string {
  return join(resolve(dir), DATABASE_FILE);
}

export function isProject(dir: string): boolean {
  return existsSync(databasePath(dir));
}

export interface Project {
  dir: string;
  db: Db;
  close(): void;
}

/**
 * Makes a new project in `dir` (created if needed; an existing folder must not already be a
 * project). Every project starts with the normal class and the reserve class, which the
 * model needs from its first round.
 */
export function createProject(dir: string, options: { name?: string } = {}): Project {
  const root = resolve(dir);
  refuseSystemFolder(root);
  if (isProject(root)) {
    throw new ProjectError('already-a-project', `${root} already holds an AHUNT project.`);
  }
  if (existsSync(root) && !statSync(root).isDirectory()) {
    throw new ProjectError('invalid', `${root} exists and is not a folder.`);
  }
  try {
    mkdirSync(root, { recursive: true });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const why = e.code === 'EACCES' || e.code === 'EPERM' ? 'permission denied' : e.code;
    throw new ProjectError(
      'invalid',
      `${root} cannot be created (${why ?? e.message}): choose a folder you can write to.`,
    );
  }
  let db: Db;
  try {
    db = openDatabase(databasePath(root));
  } catch (error) {
    // A new file that SQLite cannot make is a folder problem, not a damaged project.
    throw new ProjectError(
      'invalid',
      `A project cannot be created in ${root} (${(error as Error).message}): choose a folder you can write to.`,
    );
  }
  db.transaction(() => {
    setMeta(db, 'name', options.name ?? (root.split(/[\\/]/).pop() || 'project'));
    setMeta(db, 'created_at', new Date().toISOString());
    seedClasses(db);
  })();
  return wrap(root, db);
}

export function seedClasses(db: Db): void {
  if (listClasses(db, { includeMerged: true }).length > 0) return;
  createClass(db, { name: 'normal', kind: 'normal' });
  createClass(db, { name: 'unknown', kind: 'reserve', interest: 1, hotkey: null });
}

export function openProject(dir: string, options: { readonly?: boolean } = {}): Project {
  const root = resolve(dir);
  refuseSystemFolder(root);
  if (!existsSync(root)) {
    throw new ProjectError(
      'not-found',
      `${root} does not exist. Create it with: ahunt init ${dir}`,
    );
  }
  if (!isProject(root)) {
    const hint = readdirSync(root).length === 0 ? ` Create one with: ahunt init ${dir}` : '';
    throw new ProjectError('not-a-project', `${root} is not an AHUNT project.${hint}`);
  }
  return wrap(root, openDatabase(databasePath(root), options));
}

function refuseSystemFolder(root: string): void {
  const system = systemFolderOf(root);
  if (system) {
    throw new ProjectError(
      'invalid',
      `${root} is inside ${system}, the operating system's own files: a project cannot live there. Choose a folder of yours.`,
    );
  }
}

function wrap(dir: string, db: Db): Project {
  return { dir, db, close: () => db.close() };
}

export interface ProjectSummary {
  name: string;
  dir: string;
  schema: number;
  counts: {
    sources: number;
    objects: number;
    labelled: number;
    labelEvents: number;
    classes: number;
    rounds: number;
    models: number;
    ingestErrors: number;
  };
  classes: {
    id: number;
    name: string;
    kind: ClassKind;
    interest: number;
    hotkey: string | null;
    count: number;
  }[];
  round: { number: number; status: string } | null;
}

export function summarize(project: Project): ProjectSummary {
  const { db } = project;
  const count = (table: string): number =>
    stmt<[], { n: number }>(db, `SELECT count(*) AS n FROM ${table}`).get()!.n;
  const perClass = classCounts(db);
  const round = latestRound(db);
  return {
    name: getMeta(db, 'name') ?? '',
    dir: project.dir,
    schema: schemaVersion(),
    counts: {
      sources: count('sources'),
      objects: countObjects(db),
      labelled: countLabelled(db),
      labelEvents: count('label_events'),
      classes: listClasses(db).length,
      rounds: count('rounds'),
      models: countModels(db),
      ingestErrors: count('ingest_errors'),
    },
    classes: listClasses(db).map((c) => ({
      id: c.id,
      name: c.name,
      kind: c.kind,
      interest: c.interest,
      hotkey: c.hotkey,
      count: perClass.get(c.id) ?? 0,
    })),
    round: round ? { number: round.number, status: round.status } : null,
  };
}
