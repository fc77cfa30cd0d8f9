import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportHistory, parseCsv } from '../../src-main/engine/export';
import { labelHistory } from '../../src-main/engine/store';
import { livedProject, tempDir, type Fixture, removeTempDirs } from './helpers';

afterAll(removeTempDirs);

describe('label history CSV', () => {
  let f: Fixture;
  let rows: Record<string, string>[];
  beforeAll(async () => {
    f = await livedProject();
    const out = join(tempDir(), 'history.csv');
    const result = exportHistory(f.project, out);
    const parsed = parseCsv(readFileSync(out, 'utf8'));
    const { columns: header, rows: body } = parsed;
    rows = body.map((r) => Object.fromEntries(header!.map((h, k) => [h, r[k]!])));
    expect(result.rows).toBe(labelHistory(f.project.db).length);
  });
  afterAll(() => {
    f.project.close();
    rmSync(f.dir, { recursive: true, force: true });
  });

  it('has every event, in order, with its object, round, origin and time', () => {
    const events = labelHistory(f.project.db);
    expect(rows.map((r) => Number(r.event))).toEqual(events.map((e) => e.id));
    expect(rows.map((r) => r.round)).toEqual(events.map((e) => String(e.round)));
    expect(rows.map((r) => r.at)).toEqual(events.map((e) => e.at));
    expect(rows[0]).toMatchObject({
      uid: 'obj-0',
      kind: 'import',
      class: 'normal',
      origin: 'import',
      undone: '0',
    });
  });

  it('flags the undone event and links it to its undo', () => {
    const undone = rows.filter((r) => r.undone === '1');
    expect(undone.map((r) => r.uid)).toEqual(['obj-4', 'obj-9']);
    expect(undone[0]).toMatchObject({ uid: 'obj-4', kind: 'label', class: 'normal', seconds: '4' });
    expect(undone[1]).toMatchObject({
      uid: 'obj-9',
      kind: 'label',
      class: 'ring, arc',
      seconds: '2',
    });
    const undo = rows.find((r) => r.kind === 'undo')!;
    expect(undo.undoes).toBe(undone[0]!.event);
    expect(undone[0]!.undone_by).toBe(undo.event);
    expect(undo.class).toBe('');
  });

  it('keeps the class as labelled, and names what it became after the merge', () => {
    const tidal = rows.find((r) => r.uid === 'obj-2')!;
    expect(tidal).toMatchObject({
      class: 'tidal',
      live_class: 'merger',
      class_kind: 'anomaly',
      seconds: '2.5',
    });
    expect(rows.find((r) => r.uid === 'obj-6')).toMatchObject({
      class: 'ring, arc',
      live_class: 'ring, arc',
    });
  });
});
