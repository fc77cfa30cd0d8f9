/**
 * Every SQL statement in src-main is a fixed string with `?` / `@name` parameters (issue #7):
 * a value spliced into SQL by `${…}` or `+` is how injection starts. This test reads the
 * sources, finds every call that takes SQL (`db.prepare/exec/pragma`, `stmt(db, sql)`), and
 * fails on SQL built from pieces, unless the call is in the short allowlist below with the
 * reason it cannot be a parameter. Adding a query that splices a value makes it fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../ingest/helpers';

interface Allowed {
  file: string;
  /** A piece of the SQL argument's source text that identifies the call. */
  sql: string;
  reason: string;
}

const ALLOWLIST: Allowed[] = [
  {
    file: 'src-main/engine/store/open.ts',
    sql: 'probeSql',
    reason: "table and index names cannot be bound; they come from the file's own schema, quoted",
  },
  {
    file: 'src-main/engine/store/open.ts',
    sql: '`user_version = ${migrations.length}`',
    reason: 'PRAGMA values cannot be bound; the value is the length of a code constant',
  },
  {
    file: 'src-main/engine/store/checkpointer.ts',
    sql: '`wal_autocheckpoint = ${this.autocheckpoint}`',
    reason: 'PRAGMA values cannot be bound; the value is a number set in code',
  },
  {
    file: 'src-main/engine/store/project.ts',
    sql: '`SELECT count(*) AS n FROM ${table}`',
    reason: 'table names cannot be bound; callers pass fixed table names from the same function',
  },
  {
    file: 'src-main/engine/store/statement.ts',
    sql: 'sql',
    reason: 'stmt() itself: it prepares the SQL its callers give, and each caller is checked here',
  },
];

export interface SqlCall {
  file: string;
  line: number;
  /** Source text of the argument that holds the SQL. */
  sql: string;
  /** Why it is not a fixed string, or null when it is. */
  problem: string | null;
}

/** The end of a quoted or template string starting at `start` (the index after it). */
function skipString(src: string, start: number): number {
  const quote = src[start]!;
  let i = start + 1;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '\\') i += 2;
    else if (ch === quote) return i + 1;
    else if (quote === '`' && ch === '$' && src[i + 1] === '{') i = skipBalanced(src, i + 1);
    else i++;
  }
  return i;
}

/** From an opening bracket at `start`, the index after its matching close. */
function skipBalanced(src: string, start: number): number {
  const open = src[start]!;
  const close = open === '(' ? ')' : open === '{' ? '}' : open === '[' ? ']' : '>';
  let depth = 0;
  let i = start;
  while (i < src.length) {
    const ch = src[i]!;
    if (ch === '"' || ch === "'" || ch === '`') {
      i = skipString(src, i);
      continue;
    }
    if (ch === '/' && src[i + 1] === '/') {
      i = src.indexOf('\n', i);
      if (i < 0) return src.length;
      continue;
    }
    if (ch === open) depth++;
    else if (ch === close && !(close === '>' && src[i - 1] === '=')) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  return i;
}

/** Top-level comma-separated arguments of the call whose `(` is at `start`. */
function splitArguments(src: string, start: number): string[] {
  const end = skipBalanced(src, start) - 1;
  const args: string[] = [];
  let from = start + 1;
  let i = from;
  while (i < end) {
    const ch = src[i]!;
    if (ch === '"' || ch === "'" || ch === '`') i = skipString(src, i);
    else if (ch === '(' || ch === '[' || ch === '{') i = skipBalanced(src, i);
    else if (ch === ',') {
      args.push(src.slice(from, i).trim());
      from = ++i;
    } else i++;
  }
  const last = src.slice(from, end).trim();
  if (last !== '') args.push(last);
  return args;
}

/** Null when `expr` is one fixed string (a literal, or a const holding one in the same file). */
function problemOf(expr: string, src: string, seen = new Set<string>()): string | null {
  const text = expr.trim();
  if (/^(['"])/.test(text) && skipString(text, 0) === text.length) return null;
  if (text.startsWith('`') && skipString(text, 0) === text.length) {
    const spliced = splices(text).find((part) => !isFixedPiece(part, src, seen));
    return spliced === undefined ? null : 'splices a value into the SQL with ${…}';
  }
  if (/^[A-Za-z_$][\w$]*$/.test(text) && !seen.has(text)) {
    seen.add(text);
    const declared = new RegExp(`\\bconst\\s+${text}\\s*(?::[^=]+)?=\\s*`).exec(src);
    if (declared) {
      const at = declared.index + declared[0].length;
      const endOfValue = /^['"`]/.test(src[at]!) ? skipString(src, at) : src.indexOf(';', at);
      return problemOf(src.slice(at, endOfValue), src, seen);
    }
    return `passes "${text}", which is not a constant string in this file`;
  }
  return 'builds the SQL from pieces (concatenation or a call)';
}

/** The expressions inside a template literal's `${…}`. */
function splices(template: string): string[] {
  const parts: string[] = [];
  for (let i = template.indexOf('${'); i >= 0; i = template.indexOf('${', i)) {
    const end = skipBalanced(template, i + 1);
    parts.push(template.slice(i + 2, end - 1).trim());
    i = end;
  }
  return parts;
}

/**
 * A `${…}` that can only ever produce fixed SQL: a constant string of this file (a column
 * list) or `condition ? 'literal' : 'literal'` (an optional clause). Anything else may carry
 * a value.
 */
function isFixedPiece(part: string, src: string, seen: Set<string>): boolean {
  if (/^[A-Za-z_$][\w$]*$/.test(part)) return problemOf(part, src, new Set(seen)) === null;
  const choice = /^[^?'"`]+\?\s*('[^']*'|"[^"]*")\s*:\s*('[^']*'|"[^"]*")$/.exec(part);
  return choice !== null;
}

/** Every SQL-taking call in one source file. */
export function sqlCalls(file: string, src: string): SqlCall[] {
  const calls: SqlCall[] = [];
  const lineOf = (i: number) => src.slice(0, i).split('\n').length;
  // db.prepare( / db\n  .prepare( / this.db.exec( … : the receiver must be a database.
  const method = /\b(db|database)\s*\.\s*(prepare|exec|pragma)\s*\(/g;
  for (let m = method.exec(src); m; m = method.exec(src)) {
    const open = m.index + m[0].length - 1;
    const sql = splitArguments(src, open)[0] ?? '';
    calls.push({ file, line: lineOf(m.index), sql, problem: problemOf(sql, src) });
  }
  const helper = /(?<!function\s)\bstmt\s*(?=[<(])/g;
  for (let m = helper.exec(src); m; m = helper.exec(src)) {
    let open = m.index + m[0].length;
    if (src[open] === '<') open = skipBalanced(src, open);
    while (/\s/.test(src[open] ?? '')) open++;
    if (src[open] !== '(') continue;
    const sql = splitArguments(src, open)[1] ?? '';
    calls.push({ file, line: lineOf(m.index), sql, problem: problemOf(sql, src) });
  }
  return calls;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

const allCalls = sourceFiles(join(repoRoot, 'src-main')).flatMap((path) =>
  sqlCalls(relative(repoRoot, path), readFileSync(path, 'utf8')),
);
const isAllowed = (c: SqlCall) => ALLOWLIST.some((a) => a.file === c.file && c.sql === a.sql);

describe('all SQL is parameterised', () => {
  it('finds the SQL calls (the scan itself works)', () => {
    expect(allCalls.length).toBeGreaterThan(80);
    expect(allCalls.some((c) => c.file.endsWith('store/labels.ts'))).toBe(true);
  });

  it('no SQL in src-main is built from values, outside the allowlist', () => {
    const offenders = allCalls
      .filter((c) => c.problem !== null && !isAllowed(c))
      .map((c) => `${c.file}:${c.line} ${c.problem}: ${c.sql.slice(0, 80)}`);
    expect(offenders).toEqual([]);
  });

  it('all SQL lives in src-main/engine/store, the one module with SQL (product.md)', () => {
    const elsewhere = allCalls
      .filter((c) => !c.file.startsWith('src-main/engine/store/'))
      .map((c) => `${c.file}:${c.line}`);
    expect(elsewhere).toEqual([]);
  });

  it('every allowlist entry still matches a call (a stale entry is removed, not kept)', () => {
    for (const a of ALLOWLIST) {
      expect(
        allCalls.some((c) => c.file === a.file && c.sql === a.sql),
        `${a.file} ${a.sql}`,
      ).toBe(true);
    }
  });

  it('flags a spliced value, a concatenation and a non-constant variable', () => {
    const src = [
      'const FIXED = `SELECT 1`;',
      'db.prepare(`SELECT * FROM objects WHERE uid = ${uid}`).get();',
      "project.db\n  .prepare('SELECT * FROM classes WHERE name = \\'' + name + \"'\").get();",
      'stmt<[number], { n: number }>(db, sql).get(1);',
      "stmt(db, 'SELECT id FROM objects WHERE uid = ?').get(uid);",
      'db.exec(FIXED);',
      '/abc/.exec(text);',
      "db.prepare(`SELECT ${FIXED} FROM t ${all ? '' : 'WHERE live'}`).all();",
      "db.prepare(`SELECT * FROM t ${all ? where : ''}`).all();",
    ].join('\n');
    const found = sqlCalls('example.ts', src);
    expect(found.map((c) => c.problem)).toEqual([
      'splices a value into the SQL with ${…}',
      'builds the SQL from pieces (concatenation or a call)',
      null,
      null,
      'splices a value into the SQL with ${…}',
      'passes "sql", which is not a constant string in this file',
      null,
    ]);
  });
});
