import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildCatalogue,
  exportCatalogue,
  parseCsv,
  type ExportTable,
} from '../../src-main/engine/export';
import { getScore } from '../../src-main/engine/store';
import { expectSameValues, type ReadColumn } from './expect-table';
import { livedProject, OBJECTS, tempDir, type Fixture, removeTempDirs } from './helpers';

function column(table: ExportTable, name: string) {
  const found = table.columns.find((c) => c.name === name);
  if (!found) throw new Error(`no column ${name}`);
  return found.values;
}

afterAll(removeTempDirs);

describe('catalogue contents', () => {
  let f: Fixture;
  let table: ExportTable;
  beforeAll(async () => {
    f = await livedProject();
    table = buildCatalogue(f.project);
  });
  afterAll(() => {
    f.project.close();
    rmSync(f.dir, { recursive: true, force: true });
  });

  it('has one row per object and the documented columns, one p_ column per live class', () => {
    expect(table.rows).toBe(OBJECTS);
    expect(table.columns.map((c) => c.name)).toEqual([
      'uid',
      'source',
      'hdu',
      'x',
      'y',
      'ra',
      'dec',
      'class',
      'class_kind',
      'label_round',
      'labelled_at',
      'seconds_spent',
      'label_changes',
      'note',
      'uncertain',
      'asked_round',
      'asked_rank',
      'score',
      'score_round',
      'p_normal',
      'p_unknown',
      'p_merger',
      'p_ring_arc',
    ]);
    expect(column(table, 'uid')).toEqual(f.uids);
    expect(new Set(column(table, 'source'))).toEqual(new Set(['/data/frames/a,b.fits']));
    expect(table.meta).toMatchObject({
      project: 'Test "survey", v1',
      round: 2,
      model: { id: f.modelIds[1], round: 2 },
      software: 'ahunt 0.1.0',
    });
  });

  it('gives current classes after merges, with round, time, seconds and changes', () => {
    const cls = column(table, 'class');
    expect(cls.slice(0, 10)).toEqual([
      'normal',
      'merger',
      'merger',
      'merger',
      '',
      'merger',
      'ring, arc',
      '',
      'normal',
      'normal',
    ]);
    expect(column(table, 'class_kind').slice(0, 3)).toEqual(['normal', 'anomaly', 'anomaly']);
    expect(column(table, 'label_round').slice(0, 10)).toEqual([0, 0, 1, 1, null, 1, 2, null, 2, 2]);
    // Seconds over every label event, undone ones included (object 4 was labelled then undone).
    expect(column(table, 'seconds_spent').slice(0, 10)).toEqual([
      null,
      null,
      2.5,
      4.25,
      4,
      0.5,
      6,
      null,
      null,
      3,
    ]);
    // Object 3 was relabelled (1 change); object 9's relabel was undone (no change).
    expect(column(table, 'label_changes').slice(0, 10)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    const at = column(table, 'labelled_at');
    expect(at[4]).toBe('');
    expect(at[2]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('gives the latest round that asked, and the 1-based rank there', () => {
    expect(column(table, 'asked_round').slice(0, 10)).toEqual([
      null,
      null,
      1,
      2,
      1,
      1,
      2,
      null,
      2,
      null,
    ]);
    expect(column(table, 'asked_rank').slice(0, 10)).toEqual([
      null,
      null,
      1,
      2,
      3,
      4,
      1,
      null,
      3,
      null,
    ]);
  });

  it('leaves RA/Dec null where unknown and keeps pixel positions', () => {
    const ra = column(table, 'ra');
    expect(ra[1]).toBeNull();
    expect(column(table, 'dec')[5]).toBeNull();
    expect(ra[2]).toBeCloseTo(150.1002, 10);
    expect(column(table, 'x')[3]).toBe(13.5);
    expect(column(table, 'hdu').slice(0, 4)).toEqual([null, 1, 0, null]);
  });

  it('maps each model column to its live class: merged columns add up, newer classes are null', () => {
    const merger = column(table, 'p_merger');
    const ring = column(table, 'p_ring_arc');
    const scoreRound = column(table, 'score_round');
    for (const [i, id] of f.ids.entries()) {
      const stored = getScore(f.project.db, id)!;
      const p = stored.probs;
      expect(column(table, 'score')[i]).toBeCloseTo(stored.score, 12);
      expect(merger[i]).toBe(Math.fround(p[2]! + p[3]!));
      expect(column(table, 'p_normal')[i]).toBe(p[0]);
      if (i < 12) {
        expect(scoreRound[i]).toBe(1);
        expect(p.length).toBe(4);
        expect(ring[i]).toBeNull();
      } else {
        expect(scoreRound[i]).toBe(2);
        expect(ring[i]).toBe(p[4]);
      }
    }
  });

  it('keeps only labelled objects when asked', () => {
    const labelled = buildCatalogue(f.project, { labelledOnly: true });
    expect(labelled.rows).toBe(8);
    expect(column(labelled, 'uid')).toEqual([0, 1, 2, 3, 5, 6, 8, 9].map((i) => f.uids[i]));
    expect(column(labelled, 'class').every((c) => c !== '')).toBe(true);
  });

  it('CSV: RFC 4180 quoting, CRLF, and every value read back', () => {
    const out = join(tempDir(), 'cat.csv');
    const result = exportCatalogue(f.project, { format: 'csv', out });
    expect(result).toEqual({ path: out, rows: OBJECTS });
    const text = readFileSync(out, 'utf8');
    expect(text.startsWith('uid,source,hdu,x,y,ra,dec,class,')).toBe(true);
    expect(text).toContain('\r\n"obj ""3"", odd","/data/frames/a,b.fits",');
    expect(text.split('\r\n').length).toBe(OBJECTS + 2); // header + rows + final empty
    const { columns, rows: records, problem: error } = parseCsv(text);
    const rows = [columns, ...records];
    expect(error).toBeNull();
    const [header, ...body] = rows;
    const read: Record<string, ReadColumn> = {};
    header!.forEach((name, k) => (read[name] = body.map((r) => r[k]!)));
    expectSameValues(table, read);
  });

  it('JSON: documented layout and every value read back', () => {
    const out = join(tempDir(), 'cat.json');
    exportCatalogue(f.project, { format: 'json', out, labelledOnly: true });
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json).toMatchObject({ format: 'ahunt-table', version: 1, kind: 'catalogue', round: 2 });
    expect(json.model).toEqual({ id: f.modelIds[1], round: 2 });
    expect(json.columns[5]).toEqual({
      name: 'ra',
      type: 'double',
      unit: 'deg',
      ucd: 'pos.eq.ra;meta.main',
      description: 'right ascension, from the source WCS',
    });
    const labelled = buildCatalogue(f.project, { labelledOnly: true });
    const read: Record<string, ReadColumn> = {};
    json.columns.forEach(
      (c: { name: string }, k: number) => (read[c.name] = json.rows.map((r: ReadColumn) => r[k]!)),
    );
    expectSameValues(labelled, read);
  });

  it('refuses an unknown format and a folder as target, naming them', () => {
    const dir = tempDir();
    expect(() =>
      exportCatalogue(f.project, { format: 'xlsx' as 'csv', out: join(dir, 'a') }),
    ).toThrow(/"xlsx" is not an export format/);
    expect(() => exportCatalogue(f.project, { format: 'csv', out: dir })).toThrow(
      /is a folder; give a file name/,
    );
  });
});
