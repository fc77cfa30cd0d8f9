import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Events } from '../../src-main/contract/contract';
import { buildHistory, exportCatalogue, parseCsv } from '../../src-main/engine/export';
import { parseFits } from '../../src-main/engine/fits';
import { annotateObject, findReviewed } from '../../src-main/engine/hunt/review';
import { objectView, questionViews } from '../../src-main/engine/hunt/views';
import {
  createClass,
  createProject,
  insertObject,
  mergeClass,
  recordLabel,
  recordSource,
  setQuestions,
  startRound,
  type Project,
} from '../../src-main/engine/store';
import { removeTempDirs, tempDir } from '../export/helpers';

afterAll(removeTempDirs);

interface World {
  project: Project;
  ids: number[];
  merger: number;
  ring: number;
  events: Events['annotation.changed'][];
  emit: <E extends keyof Events>(event: E, payload: Events[E]) => void;
}

function world(): World {
  const project = createProject(tempDir('ahunt-review-'));
  const { db } = project;
  const frames = recordSource(
    db,
    { path: '/sky/frame_a.fits', size: 1, mtimeMs: 0, kind: 'fits' },
    'ingested',
    0,
  );
  const other = recordSource(
    db,
    { path: '/sky/other_b.fits', size: 1, mtimeMs: 0, kind: 'fits' },
    'ingested',
    0,
  );
  const ids = Array.from({ length: 12 }, (_, i) =>
    insertObject(db, {
      uid: i === 5 ? 'odd_50%' : `obj-${i}`,
      sourceId: i < 8 ? frames : other,
      bands: 1,
      size: 4,
      pixelFormat: 'f32',
      pixels: new Uint8Array(64),
    }),
  );
  const merger = createClass(db, { name: 'merger', kind: 'anomaly' }).id;
  const ring = createClass(db, { name: 'ring', kind: 'anomaly' }).id;
  const events: Events['annotation.changed'][] = [];
  const emit = <E extends keyof Events>(event: E, payload: Events[E]) => {
    if (event === 'annotation.changed') events.push(payload as Events['annotation.changed']);
  };
  return { project, ids, merger, ring, events, emit };
}

const label = (w: World, objectId: number, classId: number) =>
  recordLabel(w.project.db, { objectId, classId, round: 1, origin: 'ui' });

describe('objects.find: the gallery per class, search and the uncertain filter', () => {
  let w: World;
  beforeEach(() => {
    w = world();
  });

  it('lists a class newest label first; a relabelled object leaves it', () => {
    const [a, b, c, d] = w.ids as [number, number, number, number];
    label(w, a, w.merger);
    label(w, b, w.merger);
    label(w, c, w.ring);
    label(w, d, w.merger);
    const gallery = findReviewed(w.project.db, { classId: w.merger });
    expect(gallery.total).toBe(3);
    expect(gallery.items.map((i) => i.objectId)).toEqual([d, b, a]);
    expect(gallery.items[0]).toMatchObject({
      uid: 'obj-3',
      file: '/sky/frame_a.fits',
      labelId: w.merger,
    });
    // Relabelling in the gallery moves the object to the other class's gallery, newest there.
    label(w, b, w.ring);
    expect(findReviewed(w.project.db, { classId: w.merger }).items.map((i) => i.objectId)).toEqual([
      d,
      a,
    ]);
    expect(findReviewed(w.project.db, { classId: w.ring }).items.map((i) => i.objectId)).toEqual([
      b,
      c,
    ]);
  });

  it('pages: offset and limit over the same order, total unchanged', () => {
    for (const id of w.ids) label(w, id, w.merger);
    const page1 = findReviewed(w.project.db, { classId: w.merger, limit: 5 });
    const page3 = findReviewed(w.project.db, { classId: w.merger, limit: 5, offset: 10 });
    expect(page1.total).toBe(12);
    expect(page3.total).toBe(12);
    expect(page1.items.map((i) => i.objectId)).toEqual(w.ids.slice(7).reverse());
    expect(page3.items.map((i) => i.objectId)).toEqual(w.ids.slice(0, 2).reverse());
  });

  it('a merged class shows the labels of the class it went into', () => {
    label(w, w.ids[0]!, w.ring);
    label(w, w.ids[1]!, w.merger);
    mergeClass(w.project.db, w.ring, w.merger);
    expect(findReviewed(w.project.db, { classId: w.ring }).total).toBe(2);
    expect(() => findReviewed(w.project.db, { classId: 999 })).toThrow(/no class 999/);
  });

  it('searches uid, file and note, case-insensitively, with % and _ taken literally', () => {
    for (const id of w.ids) label(w, id, w.merger);
    annotateObject(
      w.project.db,
      w.emit,
      { id: w.ids[2]!, note: 'Faint TIDAL tail to the NE' },
      'ui',
    );
    const find = (text: string) =>
      findReviewed(w.project.db, { text })
        .items.map((i) => i.objectId)
        .sort((x, y) => x - y);
    expect(find('tidal')).toEqual([w.ids[2]]);
    expect(find('OTHER_B')).toEqual(w.ids.slice(8));
    expect(find('obj-1')).toEqual([w.ids[1], w.ids[10], w.ids[11]]);
    expect(find('50%')).toEqual([w.ids[5]]);
    expect(find('0%')).toEqual([w.ids[5]]); // not "0 then anything"
    expect(find('j_1')).toEqual([]); // _ is no wildcard
  });

  it('filters the uncertain ones, labelled or not yet labelled, with the class too', () => {
    label(w, w.ids[0]!, w.merger);
    label(w, w.ids[1]!, w.ring);
    annotateObject(w.project.db, w.emit, { id: w.ids[0]!, uncertain: true }, 'ui');
    annotateObject(w.project.db, w.emit, { id: w.ids[1]!, uncertain: true }, 'ui');
    // Flagged while the expert was still deciding: reviewed, though it has no label yet.
    annotateObject(
      w.project.db,
      w.emit,
      { id: w.ids[6]!, uncertain: true, note: 'artefact?' },
      'ui',
    );
    const all = findReviewed(w.project.db, { uncertain: true });
    expect(all.items.map((i) => i.objectId).sort()).toEqual([w.ids[0], w.ids[1], w.ids[6]].sort());
    expect(all.items.find((i) => i.objectId === w.ids[6])).toMatchObject({
      labelId: null,
      note: 'artefact?',
      uncertain: true,
    });
    expect(
      findReviewed(w.project.db, { uncertain: true, classId: w.ring }).items.map((i) => i.objectId),
    ).toEqual([w.ids[1]]);
    // Unflagging takes it out of the filter; reviewed objects without a flag are still found.
    annotateObject(w.project.db, w.emit, { id: w.ids[0]!, uncertain: false }, 'ui');
    expect(findReviewed(w.project.db, { uncertain: true }).total).toBe(2);
    expect(findReviewed(w.project.db, {}).total).toBe(3);
  });
});

describe('object.annotate: a note and a flag, kept as events', () => {
  it('keeps what is not given, writes nothing for no change, emits once per change', () => {
    const w = world();
    const id = w.ids[3]!;
    expect(objectView(w.project.db, id)).toMatchObject({ note: '', uncertain: false });
    expect(annotateObject(w.project.db, w.emit, { id, note: '  ring or lens?  ' }, 'ui')).toEqual({
      objectId: id,
      note: 'ring or lens?',
      uncertain: false,
    });
    annotateObject(w.project.db, w.emit, { id, uncertain: true }, 'ui');
    annotateObject(w.project.db, w.emit, { id, uncertain: true }, 'ui'); // no change
    expect(objectView(w.project.db, id)).toMatchObject({ note: 'ring or lens?', uncertain: true });
    expect(w.events).toEqual([
      { objectId: id, note: 'ring or lens?', uncertain: false },
      { objectId: id, note: 'ring or lens?', uncertain: true },
    ]);
    const stored = w.project.db
      .prepare('SELECT note, uncertain FROM annotation_events ORDER BY id')
      .all();
    expect(stored).toEqual([
      { note: 'ring or lens?', uncertain: 0 },
      { note: 'ring or lens?', uncertain: 1 },
    ]);
    expect(() => w.project.db.prepare('DELETE FROM annotation_events').run()).toThrow(
      /append-only/,
    );
    expect(() => annotateObject(w.project.db, w.emit, { id }, 'ui')).toThrow(
      /note, the uncertain flag/,
    );
    expect(() => annotateObject(w.project.db, w.emit, { id: 999, note: 'x' }, 'ui')).toThrow(
      /no object 999/,
    );
  });
});

describe('the grid marks uncertain labels', () => {
  it("a round's questions carry the flag, and follow it", () => {
    const w = world();
    const db = w.project.db;
    const round = startRound(db, { strategy: 'most-anomalous', queries: 3 }).number;
    setQuestions(
      db,
      round,
      w.ids.slice(0, 3).map((objectId) => ({ objectId, classId: null, score: 1, why: 'x' })),
    );
    const flags = () => questionViews(db, round).map((q) => q.uncertain);
    expect(flags()).toEqual([false, false, false]);
    annotateObject(db, w.emit, { id: w.ids[1]!, uncertain: true }, 'ui');
    annotateObject(db, w.emit, { id: w.ids[7]!, uncertain: true }, 'ui'); // not asked
    expect(flags()).toEqual([false, true, false]);
    annotateObject(db, w.emit, { id: w.ids[1]!, note: 'kept flagged' }, 'ui');
    expect(flags()).toEqual([false, true, false]);
    annotateObject(db, w.emit, { id: w.ids[1]!, uncertain: false }, 'ui');
    expect(flags()).toEqual([false, false, false]);
  });
});

describe('exports carry note and uncertain', () => {
  // Each event a second after the last, as an expert would: the history merges by time.
  function annotated(): World {
    const w = world();
    let clock = Date.parse('2026-12-07T20:00:00Z');
    const tick = () => vi.setSystemTime((clock += 1000));
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      tick();
      label(w, w.ids[0]!, w.merger);
      tick();
      annotateObject(
        w.project.db,
        w.emit,
        { id: w.ids[0]!, note: 'two nuclei, "maybe"', uncertain: true },
        'ui',
      );
      tick();
      annotateObject(w.project.db, w.emit, { id: w.ids[1]!, note: 'satellite trail' }, 'ui');
      tick();
      label(w, w.ids[1]!, w.ring);
    } finally {
      vi.useRealTimers();
    }
    return w;
  }

  it('in every catalogue format', () => {
    const w = annotated();
    const dir = tempDir('ahunt-review-export-');
    const csv = join(dir, 'c.csv');
    exportCatalogue(w.project, { format: 'csv', out: csv });
    const { columns: header, rows } = parseCsv(readFileSync(csv, 'utf8'));
    const at = (name: string) => header!.indexOf(name);
    expect(rows[0]![at('note')]).toBe('two nuclei, "maybe"');
    expect(rows[0]![at('uncertain')]).toBe('1');
    expect(rows[1]![at('note')]).toBe('satellite trail');
    expect(rows[1]![at('uncertain')]).toBe('0');
    expect(rows[2]![at('note')]).toBe('');

    const json = join(dir, 'c.json');
    exportCatalogue(w.project, { format: 'json', out: json });
    const doc = JSON.parse(readFileSync(json, 'utf8')) as {
      columns: { name: string }[];
      rows: unknown[][];
    };
    const j = (name: string) => doc.columns.findIndex((c) => c.name === name);
    expect(doc.rows[0]![j('note')]).toBe('two nuclei, "maybe"');
    expect(doc.rows[0]![j('uncertain')]).toBe(1);

    const fits = join(dir, 'c.fits');
    exportCatalogue(w.project, { format: 'fits', out: fits });
    const table = parseFits(new Uint8Array(readFileSync(fits)), fits).readTable();
    const note = table.column('note')!;
    const uncertain = table.column('uncertain')!;
    expect(note.kind === 'string' && note.data.slice(0, 2)).toEqual([
      'two nuclei, "maybe"',
      'satellite trail',
    ]);
    expect(uncertain.kind === 'number' && Array.from(uncertain.data.slice(0, 3))).toEqual([
      1, 0, 0,
    ]);

    const votable = join(dir, 'c.vot');
    exportCatalogue(w.project, { format: 'votable', out: votable });
    const xml = readFileSync(votable, 'utf8');
    expect(xml).toMatch(/<FIELD name="note"[^>]*ucd="meta.note"/);
    expect(xml).toMatch(/<FIELD name="uncertain"[^>]*datatype="int"/);
    expect(xml).toContain('<TD>two nuclei, &quot;maybe&quot;</TD>');
  });

  it('in the history: annotation events among the label events, by time', () => {
    const w = annotated();
    const history = buildHistory(w.project);
    const col = (name: string) => history.columns.find((c) => c.name === name)!.values;
    expect(history.rows).toBe(4);
    expect(col('kind')).toEqual(['label', 'annotation', 'annotation', 'label']);
    expect(col('uid')).toEqual(['obj-0', 'obj-0', 'obj-1', 'obj-1']);
    expect(col('note')).toEqual(['', 'two nuclei, "maybe"', 'satellite trail', '']);
    expect(col('uncertain')).toEqual([null, 1, 0, null]);
    expect(col('class')).toEqual(['merger', '', '', 'ring']);
  });
});
