import { describe, expect, it } from 'vitest';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import { HuntSession } from '../../src-main/engine/hunt/session';
import { historyView } from '../../src-main/engine/hunt/views';
import {
  findClassByName,
  labelHistory,
  openProject,
  roundQuestions,
} from '../../src-main/engine/store';
import { tempDir } from '../store/helpers';
import { syntheticProject } from './synthetic';

describe('a hunt session', () => {
  it('runs rounds, grows the taxonomy, undoes, and resumes after reopening', async () => {
    const dir = tempDir();
    const { project, ringIds } = syntheticProject(dir);
    const events: string[] = [];
    const session = await HuntSession.open(project, createLocalRunner(), (e) => events.push(e));
    expect(session.state().backend?.name).toBe('wasm');

    // Round 1: no model has been trained, so the questions come from an isolation forest.
    let state = await session.startRound();
    expect(state.round).toMatchObject({ number: 1, phase: 'asking' });
    expect(state.questions).toHaveLength(8);
    expect(state.questions[0]!.why).toMatch(/isolation forest/);

    // The expert answers; the first ring seen becomes a new class (plus one ring given for free).
    const normal = findClassByName(project.db, 'normal')!;
    const ring = session.createClass('ring');
    expect(ring.hotkey).toBe('1');
    const firstRing = [...ringIds][0]!;
    session.label(firstRing, ring.id, 2);
    for (const q of state.questions)
      session.label(q.objectId, ringIds.has(q.objectId) ? ring.id : normal.id, 1);
    // Undo the last answer, then give it again.
    const last = state.questions.at(-1)!;
    expect(session.undo().objectId).toBe(last.objectId);
    expect(session.state().questions.at(-1)!.labelId).toBeNull();
    session.label(last.objectId, ringIds.has(last.objectId) ? ring.id : normal.id);

    session.finishRound();
    expect(() => session.finishRound()).toThrow(/still preparing/);
    await session.idle();
    state = session.state();
    expect(state.round).toMatchObject({ number: 2, phase: 'asking' });
    expect(events).toContain('training.progress');
    // Never ask about something already labelled.
    const labelled = new Set(labelHistory(project.db).map((e) => e.object_id));
    expect(state.questions.some((q) => labelled.has(q.objectId))).toBe(false);
    expect(state.questions[0]!.why).not.toMatch(/isolation forest/);

    // Reopen: the unfinished round 2 comes back with the same questions.
    const asked = roundQuestions(project.db, 2).map((q) => q.object_id);
    project.close();
    const reopened = await HuntSession.open(openProject(dir), createLocalRunner());
    const again = reopened.state();
    expect(again.round).toMatchObject({ number: 2, phase: 'asking' });
    expect(again.questions.map((q) => q.objectId)).toEqual(asked);
    expect(again.classes.find((c) => c.name === 'ring')!.count).toBeGreaterThanOrEqual(1);
    const history = historyView(reopened.project.db);
    expect(history.rounds[0]).toMatchObject({ number: 1, status: 'done', asked: 8 });
    expect(history.discovery).toHaveLength(8);
    reopened.project.close();
  });
});
