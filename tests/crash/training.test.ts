import { describe, expect, it } from 'vitest';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { HuntSession } from '../../src-main/engine/hunt/session';
import { writeSettings } from '../../src-main/engine/hunt/settings';
import {
  backupsDir,
  labelHistory,
  latestRound,
  listBackups,
  openProject,
  roundQuestions,
} from '../../src-main/engine/store';
import { syntheticProject } from '../hunt/synthetic';
import { tempDir } from '../store/helpers';
import { numbersAfter, runUntilKilled } from './kill';

describe('a SIGKILL while a round is training', () => {
  it('keeps every acknowledged label and the round, which trains again on reopening', async () => {
    const dir = tempDir();
    syntheticProject(dir).project.close();
    const lines = await runUntilKilled(
      'round-trainer.child.ts',
      [dir],
      (line) => line === 'training',
    );
    const asked = numbersAfter(lines, 'question');
    const acknowledged = numbersAfter(lines, 'label');
    expect(asked).toHaveLength(8);
    expect(acknowledged).toHaveLength(8);

    const project = openProject(dir);
    const { db } = project;
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Map(labelHistory(db).map((e) => [e.id, e]));
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
    expect(latestRound(db)).toMatchObject({ number: 1, status: 'training' });
    expect(roundQuestions(db, 1).map((q) => q.object_id)).toEqual(asked);
    expect(listBackups(backupsDir(dir))).toEqual([]); // the round never reached its end

    // Reopen with a sane number of epochs: the session says round 1 is training again…
    writeSettings(db, { epochs: 2 });
    const session = await HuntSession.open(project, createLocalRunner());
    expect(session.state().round).toMatchObject({ number: 1, phase: 'training' });
    await session.idle();
    // …and finishes it: round 2 is asked, round 1 is done with its 8 answers, and backed up.
    const state = session.state();
    expect(state.round).toMatchObject({ number: 2, phase: 'asking' });
    expect(state.classes.find((c) => c.name === 'odd')?.count).toBe(1);
    expect(latestRound(db)?.number).toBe(2);
    expect(roundQuestions(db, 1).map((q) => q.object_id)).toEqual(asked);
    const backups = listBackups(backupsDir(dir));
    expect(backups.map((b) => [b.round, b.reason])).toEqual([[1, 'round-done']]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    await session.close();
    project.close();
  });
});
