import { ProjectError } from './errors';
import type { Db } from './open';
import { nowIso, stmt } from './statement';

export type ClassKind = 'normal' | 'anomaly' | 'reserve';

export interface ClassRow {
  id: number;
  name: string;
  kind: ClassKind;
  interest: number;
  hotkey: string | null;
  colour: string;
  created_round: number;
  merged_into: number | null;
  output_index: number | null;
}

/** Colours that stay distinct on the dark UI and in plots; new classes take the next unused one. */
export const CLASS_PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
] as const;

const HOTKEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export function listClasses(db: Db, { includeMerged = false } = {}): ClassRow[] {
  return stmt<[], ClassRow>(
    db,
    `SELECT id, name, kind, interest, hotkey, colour, created_round, merged_into, output_index
     FROM classes ${includeMerged ? '' : 'WHERE merged_into IS NULL'} ORDER BY id`,
  ).all();
}

export function getClass(db: Db, id: number): ClassRow | undefined {
  return stmt<[number], ClassRow>(db, 'SELECT * FROM classes WHERE id = ?').get(id);
}

export function findClassByName(db: Db, name: string): ClassRow | undefined {
  return stmt<[string], ClassRow>(
    db,
    'SELECT * FROM classes WHERE name = ? AND merged_into IS NULL',
  ).get(name);
}

export function nextFreeHotkey(db: Db): string | null {
  const used = new Set(listClasses(db).map((c) => c.hotkey));
  return HOTKEYS.find((k) => !used.has(k)) ?? null;
}

function nextColour(db: Db): string {
  const used = new Set(listClasses(db, { includeMerged: true }).map((c) => c.colour));
  const free = CLASS_PALETTE.find((c) => !used.has(c));
  if (free) return free;
  return CLASS_PALETTE[listClasses(db, { includeMerged: true }).length % CLASS_PALETTE.length]!;
}

export interface NewClass {
  name: string;
  kind: ClassKind;
  interest?: number;
  hotkey?: string | null;
  colour?: string;
  round?: number;
}

/**
 * Creates a class. Anomaly classes are interesting by default (weight 1) and get the next
 * free hotkey; the normal class is hotkey 0 by convention and never interesting.
 */
export function createClass(db: Db, c: NewClass): ClassRow {
  const name = c.name.trim();
  if (!name) throw new ProjectError('invalid', 'A class needs a name.');
  if (findClassByName(db, name)) {
    throw new ProjectError('conflict', `A class named "${name}" already exists.`);
  }
  const interest = c.interest ?? (c.kind === 'normal' ? 0 : 1);
  const hotkey =
    c.hotkey === undefined ? (c.kind === 'normal' ? '0' : nextFreeHotkey(db)) : c.hotkey;
  const outputIndex =
    (stmt<[], { n: number | null }>(db, 'SELECT max(output_index) AS n FROM classes').get()!.n ??
      -1) + 1;
  const row = stmt<unknown[], ClassRow>(
    db,
    `INSERT INTO classes (name, kind, interest, hotkey, colour, created_round, output_index, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
  ).get(
    name,
    c.kind,
    interest,
    hotkey,
    c.colour ?? nextColour(db),
    c.round ?? 0,
    outputIndex,
    nowIso(),
  );
  return row!;
}

export function renameClass(db: Db, id: number, name: string): void {
  const trimmed = name.trim();
  if (!trimmed) throw new ProjectError('invalid', 'A class needs a name.');
  const clash = findClassByName(db, trimmed);
  if (clash && clash.id !== id) {
    throw new ProjectError('conflict', `A class named "${trimmed}" already exists.`);
  }
  stmt(db, 'UPDATE classes SET name = ? WHERE id = ?').run(trimmed, id);
}

export function setClassInterest(db: Db, id: number, interest: number): void {
  if (!(interest >= 0 && Number.isFinite(interest))) {
    throw new ProjectError('invalid', 'Interest must be a weight of 0 (ignore) or more.');
  }
  stmt(db, 'UPDATE classes SET interest = ? WHERE id = ?').run(interest, id);
}

export function setClassColour(db: Db, id: number, colour: string): void {
  if (!/^#[0-9a-fA-F]{6}$/.test(colour)) {
    throw new ProjectError('invalid', `"${colour}" is not a colour like #4e79a7.`);
  }
  stmt(db, 'UPDATE classes SET colour = ? WHERE id = ?').run(colour, id);
}

export function setClassHotkey(db: Db, id: number, hotkey: string | null): void {
  const clash = hotkey
    ? stmt<[string], { id: number }>(
        db,
        'SELECT id FROM classes WHERE hotkey = ? AND merged_into IS NULL',
      ).get(hotkey)
    : undefined;
  if (clash && clash.id !== id) {
    throw new ProjectError('conflict', `Hotkey ${hotkey} is already used by another class.`);
  }
  stmt(db, 'UPDATE classes SET hotkey = ? WHERE id = ?').run(hotkey, id);
}

/**
 * Merges `from` into `into`: history keeps pointing at `from` (label events are never
 * rewritten), `from` is retired, and the current labels follow to `into`.
 */
export function mergeClass(db: Db, from: number, into: number): void {
  if (from === into) throw new ProjectError('invalid', 'A class cannot be merged into itself.');
  const source = getClass(db, from);
  const target = getClass(db, into);
  if (!source || !target || source.merged_into !== null || target.merged_into !== null) {
    throw new ProjectError('not-found', 'Both classes must exist and not be merged already.');
  }
  if (source.kind === 'reserve') {
    throw new ProjectError('invalid', 'The reserve class cannot be merged away.');
  }
  db.transaction(() => {
    stmt(db, 'UPDATE classes SET merged_into = ?, hotkey = NULL WHERE id = ?').run(into, from);
    stmt(db, 'UPDATE object_labels SET class_id = ? WHERE class_id = ?').run(into, from);
  })();
}

/** Follows merges: the live class an old class id now stands for. */
export function liveClassId(db: Db, id: number): number {
  let current = getClass(db, id);
  for (let hops = 0; current && current.merged_into !== null && hops < 100; hops++) {
    current = getClass(db, current.merged_into);
  }
  return current?.id ?? id;
}
