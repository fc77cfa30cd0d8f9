import { describe, expect, it } from 'vitest';
import {
  classCounts,
  createClass,
  currentLabel,
  findClassByName,
  labelHistory,
  mergeClass,
  nextFreeHotkey,
  recordLabel,
  renameClass,
  setClassInterest,
  undoLastLabel,
} from '../../src-main/engine/store';
import { memoryProject } from './helpers';

describe('label events', () => {
  it('are append-only: updates and deletes are refused', () => {
    const { db, objectIds } = memoryProject(2);
    const normal = findClassByName(db, 'normal')!;
    const id = recordLabel(db, {
      objectId: objectIds[0]!,
      classId: normal.id,
      round: 1,
      origin: 'ui',
    });
    expect(() => db.prepare('UPDATE label_events SET class_id = 2 WHERE id = ?').run(id)).toThrow(
      /append-only/,
    );
    expect(() => db.prepare('DELETE FROM label_events WHERE id = ?').run(id)).toThrow(
      /append-only/,
    );
  });

  it('relabelling and undo are new events; undo restores the previous answer', () => {
    const { db, objectIds } = memoryProject(3);
    const normal = findClassByName(db, 'normal')!;
    const ring = createClass(db, { name: 'ring', kind: 'anomaly', round: 1 });
    const [a, b] = objectIds as [number, number];
    recordLabel(db, { objectId: a, classId: normal.id, round: 1, origin: 'ui', seconds: 1.5 });
    recordLabel(db, { objectId: a, classId: ring.id, round: 1, origin: 'ui' });
    recordLabel(db, { objectId: b, classId: ring.id, round: 1, origin: 'ui' });
    expect(classCounts(db)).toEqual(new Map([[ring.id, 2]]));

    const undone = undoLastLabel(db)!;
    expect(undone.object_id).toBe(b);
    expect(currentLabel(db, b)).toBeUndefined();
    const undone2 = undoLastLabel(db)!;
    expect(undone2.object_id).toBe(a);
    expect(currentLabel(db, a)).toBe(normal.id); // back to the first answer
    expect(classCounts(db)).toEqual(new Map([[normal.id, 1]]));

    const history = labelHistory(db, a);
    expect(history.map((e) => e.kind)).toEqual(['label', 'label', 'undo']);
    expect(history[1]!.undone_by).toBe(history[2]!.id);
    expect(history[0]!.seconds).toBe(1.5);
    // Repeatable: one more undo reaches the first label, then nothing is left.
    expect(undoLastLabel(db)!.object_id).toBe(a);
    expect(currentLabel(db, a)).toBeUndefined();
    expect(undoLastLabel(db)).toBeUndefined();
  });

  it('merging classes moves current labels but keeps history pointing at the old class', () => {
    const { db, objectIds } = memoryProject(2);
    const arc = createClass(db, { name: 'arc', kind: 'anomaly' });
    const lens = createClass(db, { name: 'lens', kind: 'anomaly' });
    recordLabel(db, { objectId: objectIds[0]!, classId: arc.id, round: 1, origin: 'ui' });
    mergeClass(db, arc.id, lens.id);
    expect(currentLabel(db, objectIds[0]!)).toBe(lens.id);
    expect(labelHistory(db)[0]!.class_id).toBe(arc.id);
    // A label given to the retired class lands on the live one.
    recordLabel(db, { objectId: objectIds[1]!, classId: arc.id, round: 1, origin: 'ui' });
    expect(currentLabel(db, objectIds[1]!)).toBe(lens.id);
    // The merged class's name and hotkey are free again.
    expect(createClass(db, { name: 'arc', kind: 'anomaly' }).hotkey).toBe('1');
  });

  it('classes get hotkeys in order, unique names, and validated interest', () => {
    const { db } = memoryProject(0);
    expect(nextFreeHotkey(db)).toBe('1');
    const a = createClass(db, { name: 'merger', kind: 'anomaly' });
    expect(a.hotkey).toBe('1');
    expect(a.interest).toBe(1);
    expect(createClass(db, { name: 'trail', kind: 'anomaly' }).hotkey).toBe('2');
    expect(() => createClass(db, { name: ' merger ', kind: 'anomaly' })).toThrow(/already exists/);
    expect(() => renameClass(db, a.id, 'trail')).toThrow(/already exists/);
    expect(() => setClassInterest(db, a.id, -1)).toThrow(/Interest/);
    setClassInterest(db, a.id, 0);
    expect(findClassByName(db, 'merger')!.interest).toBe(0);
  });
});
