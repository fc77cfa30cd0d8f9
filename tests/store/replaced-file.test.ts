/**
 * A database file replaced behind the app's back (a backup copied in by hand, another program
 * saving over it) is noticed before the next write: the write is refused with a sentence that
 * says what happened and what to do, instead of going into the unlinked file nobody will read.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, readdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dispatch, type Services } from '../../src-main/app/dispatch';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { HuntSession } from '../../src-main/engine/hunt/session';
import {
  checkpointFully,
  databasePath,
  findClassByName,
  labelHistory,
  latestRound,
  openProject,
  recordLabel,
} from '../../src-main/engine/store';
import { syntheticProject } from '../hunt/synthetic';
import { tempDir } from './helpers';

const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('a database replaced under the open project', () => {
  it('refuses the next label with one sentence, and writes nothing into either file', async () => {
    const dir = tempDir();
    const { project } = syntheticProject(dir, 24, 2);
    const session = await HuntSession.open(project, createLocalRunner());
    const state = await session.startRound();
    const normal = findClassByName(project.db, 'normal')!;
    const [first, second, third] = state.questions.map((q) => q.objectId);
    const services = { session } as unknown as Services;
    const label = (objectId: number) =>
      dispatch(services, 'label.set', { objectId, classId: normal.id }, () => {});
    expect((await label(first!)).ok).toBe(true);

    // Someone "restores" a copy taken now, after one more label, by copying it over the file.
    const file = databasePath(dir);
    checkpointFully(project.db);
    copyFileSync(file, join(dir, 'copy.sqlite'));
    expect((await label(second!)).ok).toBe(true);
    renameSync(join(dir, 'copy.sqlite'), file);
    const inPlace = sha(file);

    const reply = await label(third!);
    expect(reply).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const { message } = (reply as { error: { message: string } }).error;
    expect(message).toContain(`${file} was replaced by another file while the project was open`);
    expect(message).toMatch(/stopped writing to it: close the project and open it again/);
    // From then on nothing of ours runs on the connection, reads included.
    expect(() => latestRound(project.db)).toThrow(/was replaced/);
    await session.close();
    project.close();

    // The file now in place is untouched, and opening it again works on it alone: the old
    // file's log, set aside, is not replayed into it (the second label stays out).
    expect(sha(file)).toBe(inPlace);
    expect(readdirSync(dir).filter((f) => f.includes('.replaced-'))).toHaveLength(2);
    const reopened = openProject(dir);
    expect(labelHistory(reopened.db).map((e) => e.object_id)).toEqual([first]);
    recordLabel(reopened.db, { objectId: third!, classId: normal.id, round: 1, origin: 'ui' });
    expect(labelHistory(reopened.db)).toHaveLength(2);
    reopened.close();
  });

  it('refuses a write once the file was deleted or moved away', async () => {
    const dir = tempDir();
    const { project } = syntheticProject(dir, 4, 1);
    const normal = findClassByName(project.db, 'normal')!;
    recordLabel(project.db, { objectId: 1, classId: normal.id, round: 0, origin: 'ui' });
    unlinkSync(databasePath(dir));
    // The next request: the path is checked once per synchronous run of writes.
    await new Promise((resolve) => setImmediate(resolve));
    expect(() =>
      recordLabel(project.db, { objectId: 2, classId: normal.id, round: 0, origin: 'ui' }),
    ).toThrow(/was moved or deleted while the project was open/);
    project.close();
  });
});
