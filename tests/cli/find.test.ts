import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createClass, findClassByName, recordLabel } from '../../src-main/engine/store';
import { recordAnnotation } from '../../src-main/engine/store/annotations';
import { ahunt, projectWithObjects } from './run-ahunt';

/** Five objects: obj-0..2 labelled merger (obj-2 last), obj-3 normal, obj-4 only a note. */
function reviewedProject(): string {
  const { dir, project, ids } = projectWithObjects(5);
  const { db } = project;
  const merger = createClass(db, { name: 'merger', kind: 'anomaly' }).id;
  const normal = findClassByName(db, 'normal')!.id;
  for (const i of [0, 1, 2])
    recordLabel(db, { objectId: ids[i]!, classId: merger, round: 1, origin: 'ui' });
  recordLabel(db, { objectId: ids[3]!, classId: normal, round: 1, origin: 'ui' });
  recordAnnotation(db, {
    objectId: ids[1]!,
    uncertain: true,
    note: 'two nuclei?',
    round: 1,
    origin: 'ui',
  });
  recordAnnotation(db, { objectId: ids[4]!, note: 'satellite trail', round: 1, origin: 'ui' });
  project.close();
  return dir;
}

describe('ahunt find', () => {
  it('lists a class newest first, a text search and the uncertain objects', () => {
    const dir = reviewedProject();
    const byClass = ahunt('find', dir, '--class', 'MERGER');
    expect(byClass.code, byClass.err).toBe(0);
    expect(
      byClass.out
        .trim()
        .split('\n')
        .map((l) => l.split('\t')[0]),
    ).toEqual(['obj-2', 'obj-1', 'obj-0']);
    expect(byClass.err).toMatch(/1–3 of 3/);

    const text = ahunt('find', dir, '--text', 'TRAIL');
    expect(text.out.trim()).toBe('obj-4\t(no label)\t\t\tsatellite trail');

    const uncertain = ahunt('find', dir, '--uncertain', '--json');
    const found = JSON.parse(uncertain.out) as {
      total: number;
      items: { uid: string; note: string }[];
    };
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({ uid: 'obj-1', note: 'two nuclei?' });

    const paged = ahunt('find', dir, '--class', 'merger', '--limit', '2');
    expect(paged.err).toMatch(/1–2 of 3 \(--offset 2 for more\)/);
  });

  it('says what is wrong in one line', () => {
    const dir = reviewedProject();
    const noClass = ahunt('find', dir, '--class', 'ring');
    expect(noClass.code).toBe(1);
    expect(noClass.err.trim()).toMatch(/there is no class "ring"; the classes are: .*merger/);
    expect(noClass.err.trim().split('\n')).toHaveLength(1);
    const badLimit = ahunt('find', dir, '--limit', '0');
    expect(badLimit.code).toBe(1);
    expect(badLimit.err).toMatch(/--limit must be from 1 to 1000/);
    const missing = ahunt('find', join(dir, 'nope'));
    expect(missing.code).toBe(1);
    expect(missing.err.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
