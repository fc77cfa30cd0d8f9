import { describe, expect, it } from 'vitest';
import { createWorkerRunner } from '../../src-main/engine/hunt/worker-runner';
import { HuntSession } from '../../src-main/engine/hunt/session';
import { historyView } from '../../src-main/engine/hunt/views';
import {
  findClassByName,
  labelHistory,
  openProject,
  roundQuestions,
} from '../../src-main/engine/store';
import { tempDir } from '../store/helpers';
import { runners } from './runners';
import { syntheticProject } from './synthetic';

describe.each(runners)('a hunt session (%s model)', (_, makeRunner) => {
  it('runs rounds, grows the taxonomy, undoes, and resumes after reopening', async () => {
    const dir = tempDir();
    const { project, ringIds } = syntheticProject(dir);
    const events: string[] = [];
    const session = await HuntSession.open(project, makeRunner(), (e) => events.push(e));
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
    await session.close();
    project.close();
    const reopened = await HuntSession.open(openProject(dir), makeRunner());
    const again = reopened.state();
    expect(again.round).toMatchObject({ number: 2, phase: 'asking' });
    expect(again.questions.map((q) => q.objectId)).toEqual(asked);
    expect(again.classes.find((c) => c.name === 'ring')!.count).toBeGreaterThanOrEqual(1);
    const history = historyView(reopened.project.db);
    expect(history.rounds[0]).toMatchObject({ number: 1, status: 'done', asked: 8 });
    expect(history.discovery).toHaveLength(8);
    await reopened.close();
    reopened.project.close();
  });
});

describe('training in a worker thread', () => {
  it('keeps the calling thread free: labels are written while a round trains', async () => {
    const { project, ringIds } = syntheticProject(tempDir(), 400, 20);
    const session = await HuntSession.open(project, createWorkerRunner());
    await session.updateSettings({ epochs: 8 });
    let state = await session.startRound();
    const normal = findClassByName(project.db, 'normal')!;
    const ring = session.createClass('ring');
    for (const q of state.questions.slice(0, -1)) {
      session.label(q.objectId, ringIds.has(q.objectId) ? ring.id : normal.id);
    }
    session.label([...ringIds][0]!, ring.id);
    // The event loop must keep ticking while the worker trains. On a loaded machine the OS can
    // deschedule this thread for a while whatever we do, so the main measure is the loop's
    // utilisation (time spent running callbacks, not waiting): training on this thread would
    // hold it near 1. The longest gap only catches a block of seconds.
    const elu0 = performance.eventLoopUtilization();
    let worstGap = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 5);
    session.finishRound();
    const pending = state.questions.at(-1)!;
    const t0 = performance.now();
    session.label(pending.objectId, normal.id);
    const labelMs = performance.now() - t0;
    await session.idle();
    clearInterval(timer);
    const busy = performance.eventLoopUtilization(elu0).utilization;
    state = session.state();
    expect(state.round?.number).toBe(2);
    expect(labelMs).toBeLessThan(50);
    expect(busy).toBeLessThan(0.5);
    expect(worstGap).toBeLessThan(1500);
    await session.close();
    project.close();
  });
});
