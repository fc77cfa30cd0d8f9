import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openProject } from '../../src-main/engine/store';
import { annotationHistory } from '../../src-main/engine/store/annotations';
import { ahunt, projectWithObjects } from './run-ahunt';

/** A project with two unlabelled objects: obj-0 and obj-1. */
function twoObjects(): { dir: string; ids: number[] } {
  const { dir, project, ids } = projectWithObjects(2);
  project.close();
  return { dir, ids };
}

describe('ahunt annotate', () => {
  it('sets and clears a note and the uncertain flag, which find and the history then show', () => {
    const { dir, ids } = twoObjects();
    const id = String(ids[1]);
    const set = ahunt('annotate', dir, '--object', id, '--note', 'tidal arc?', '--uncertain');
    expect(set.code, set.err).toBe(0);
    expect(set.out.trim()).toBe('obj-1\tuncertain\ttidal arc?');

    const found = ahunt('find', dir, '--uncertain');
    expect(found.out.trim().split('\t')[0]).toBe('obj-1');

    // What is not given stays as it is.
    const cleared = ahunt('annotate', dir, '--object', id, '--certain');
    expect(cleared.out.trim()).toBe('obj-1\tcertain\ttidal arc?');
    expect(ahunt('annotate', dir, '--object', id, '--note', '').out.trim()).toBe('obj-1\tcertain');

    const project = openProject(dir);
    const events = annotationHistory(project.db, ids[1]!);
    project.close();
    expect(events.map((e) => [e.note, e.uncertain])).toEqual([
      ['tidal arc?', 1],
      ['tidal arc?', 0],
      ['', 0],
    ]);
  });

  it('answers wrong input with one sentence and exit 1, changing nothing', () => {
    const { dir, ids } = twoObjects();
    const cases: [string[], RegExp][] = [
      [['annotate', dir], /give the object/],
      [['annotate', dir, '--object', 'x'], /whole number/],
      [['annotate', dir, '--object', '999', '--note', 'n'], /no object 999/],
      [['annotate', dir, '--object', String(ids[0]), '--certain', '--uncertain'], /contradict/],
      [['annotate', dir, '--object', String(ids[0]), '--note', 'a'.repeat(2001)], /at most 2000/],
      [['annotate', join(dir, 'nope'), '--object', '1'], /does not exist/],
    ];
    for (const [args, message] of cases) {
      const r = ahunt(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(message);
    }
    expect(ahunt('find', dir, '--uncertain').err).toMatch(/No object matches/);
  });
});
