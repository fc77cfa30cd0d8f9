import './runes-shim';
import { describe, expect, it } from 'vitest';
import type { AhuntApi, ApiError } from '../../src-main/contract/contract';
import { SessionStore } from '../../src-renderer/state/session.svelte';
import { FakeEngine } from './fake-engine';

async function loaded(engine: AhuntApi = new FakeEngine({ objects: 60, queries: 8 })) {
  const errors: ApiError[] = [];
  const session = new SessionStore(engine, (e) => errors.push(e));
  await session.load();
  return { session, errors };
}

describe('SessionStore', () => {
  it('loads the round and focuses the first question', async () => {
    const { session } = await loaded();
    expect(session.loading).toBe(false);
    expect(session.questions).toHaveLength(8);
    expect(session.focusIndex).toBe(0);
    expect(session.classes.map((c) => c.name)).toEqual(['normal', 'unknown']);
  });

  it('moves focus by cells and rows, wrapping left/right only', async () => {
    const { session } = await loaded();
    session.columns = 3;
    session.move('left');
    expect(session.focusIndex).toBe(7);
    session.move('right');
    expect(session.focusIndex).toBe(0);
    session.move('down');
    expect(session.focusIndex).toBe(3);
    session.move('down');
    session.move('down');
    expect(session.focusIndex).toBe(6);
    session.move('up');
    expect(session.focusIndex).toBe(3);
  });

  it('shows a label only once it is persisted, then auto-advances', async () => {
    const { session } = await loaded();
    const first = session.focused!.objectId;
    const pending = session.labelWithHotkey('0');
    // Sent, not yet confirmed: pending, not labelled; focus already moved on.
    expect(session.pending[first]).toBe(1);
    expect(session.questions[0]!.labelId).toBeNull();
    expect(session.focusIndex).toBe(1);
    expect(await pending).toBe(true);
    expect(session.pending[first]).toBeUndefined();
    expect(session.questions[0]!.labelId).toBe(1);
    expect(session.classes.find((c) => c.id === 1)!.count).toBe(1);
  });

  it('does not auto-advance when switched off', async () => {
    const { session } = await loaded();
    session.autoAdvance = false;
    await session.labelWithHotkey('0');
    expect(session.focusIndex).toBe(0);
  });

  it('reports a sentence for a hotkey no class has, and for engine refusals', async () => {
    const { session, errors } = await loaded();
    expect(await session.labelWithHotkey('7')).toBe(false);
    expect(errors[0]!.message).toMatch(/No class has hotkey 7/);
    expect(await session.label(session.focused!.objectId, 99)).toBe(false);
    expect(errors[1]!.code).toBe('no-such-class');
    expect(session.questions[0]!.labelId).toBeNull();
    expect(session.pending).toEqual({});
  });

  it('creates a class on the spot with the next free hotkey and labels with it', async () => {
    const { session } = await loaded();
    expect(await session.createClassAndLabel('  ring galaxy ')).toBe(true);
    const ring = session.classes.find((c) => c.name === 'ring galaxy')!;
    expect(ring.hotkey).toBe('1');
    expect(ring.kind).toBe('anomaly');
    expect(session.questions[0]!.labelId).toBe(ring.id);
    expect(await session.createClassAndLabel('   ')).toBe(false);
  });

  it('undo is repeatable and refocuses the undone object', async () => {
    const { session } = await loaded();
    await session.labelWithHotkey('0');
    await session.labelWithHotkey('0');
    expect(session.answered).toBe(2);
    expect(await session.undo()).toBe(true);
    expect(session.answered).toBe(1);
    expect(session.focusIndex).toBe(1);
    expect(await session.undo()).toBe(true);
    expect(session.answered).toBe(0);
    expect(session.focusIndex).toBe(0);
    expect(await session.undo()).toBe(false);
  });

  it('undo of a relabel brings back the earlier label, not an empty one', async () => {
    const { session } = await loaded();
    session.autoAdvance = false;
    expect(await session.createClassAndLabel('ring')).toBe(true);
    const ring = session.classes.find((c) => c.name === 'ring')!;
    await session.labelWithHotkey('0');
    expect(session.questions[0]!.labelId).toBe(1);
    expect(await session.undo()).toBe(true);
    expect(session.questions[0]!.labelId).toBe(ring.id);
  });

  it('applies labels made through another door (labels.changed), and only what differs', async () => {
    const engine = new FakeEngine({ objects: 60, queries: 8 });
    const { session } = await loaded(engine);
    const stop = session.subscribe();
    const target = session.questions[3]!.objectId;
    const { questions, classes } = session.state!;
    // Another window labels object `target`: the engine pushes labels.changed to every page.
    const reply = await engine.call('label.set', { objectId: target, classId: 1 });
    expect(reply.ok).toBe(true);
    expect(session.questions[3]!.labelId).toBe(1);
    // Changed in place: a label re-renders the cell and counts concerned, not every reader
    // of the question list or the class list.
    expect(session.state!.questions).toBe(questions);
    expect(session.state!.classes).toBe(classes);
    expect(session.state!.project.labelled).toBe(1);
    expect(session.classes.find((c) => c.id === 1)!.count).toBe(1);
    // The same news again changes nothing (the state object is kept).
    const before = session.state;
    session.applyLabels({
      labels: [{ objectId: target, labelId: 1 }],
      classes: structuredClone(session.classes),
      labelled: 1,
    });
    expect(session.state).toBe(before);
    stop();
  });

  it('0 labels as the first normal class', async () => {
    const { session } = await loaded();
    await session.labelNormal();
    expect(session.questions[0]!.labelId).toBe(
      session.classes.find((c) => c.kind === 'normal')!.id,
    );
  });

  it('skip moves to the next unsettled object without labelling', async () => {
    const { session } = await loaded();
    await session.labelWithHotkey('0');
    session.focusIndex = 0;
    session.skip();
    expect(session.focusIndex).toBe(1);
    expect(session.questions[0]!.labelId).toBe(1);
    session.skip();
    expect(session.skipped).toHaveLength(1);
    expect(session.focusIndex).toBe(2);
  });

  it('finishing the round trains and brings round 2 through session.changed', async () => {
    const engine = new FakeEngine({ objects: 60, queries: 8, epochMs: 5, epochs: 2 });
    const { session } = await loaded(engine);
    const off = session.subscribe();
    const asked = session.questions.map((q) => q.objectId);
    await session.labelWithHotkey('0');
    expect(await session.finishRound()).toBe(true);
    expect(session.state!.round!.phase).toBe('training');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(session.state!.round!.number).toBe(2);
    expect(session.state!.round!.phase).toBe('asking');
    expect(session.questions.some((q) => asked.includes(q.objectId))).toBe(false);
    expect(session.focusIndex).toBe(0);
    off();
    engine.dispose();
  });

  it('keeps focus on the same object when the state is replaced', async () => {
    const { session } = await loaded();
    session.focusIndex = 4;
    const id = session.focused!.objectId;
    session.applyState({ ...session.state!, questions: [...session.questions].reverse() });
    expect(session.focused!.objectId).toBe(id);
    expect(session.focusIndex).toBe(3);
  });

  it('turns a dropped connection into a readable sentence', async () => {
    const broken: AhuntApi = {
      call: () => Promise.reject(new Error('fetch failed')),
      on: () => () => {},
      pixels: () => Promise.reject(new Error('no')),
    };
    const { session, errors } = await loaded(broken);
    expect(session.state).toBeNull();
    expect(errors[0]!.message).toMatch(/did not answer session\.state \(fetch failed\)/);
  });

  it('class edits go through the engine and replace the taxonomy', async () => {
    const { session } = await loaded();
    await session.createClassAndLabel('ring');
    await session.createClassAndLabel('merger');
    const [ring, merger] = [session.classes[2]!, session.classes[3]!];
    await session.renameClass(ring.id, 'ring galaxy');
    await session.recolourClass(ring.id, '#123456');
    await session.setInterest(ring.id, 0);
    expect(session.classById(ring.id)).toMatchObject({
      name: 'ring galaxy',
      colour: '#123456',
      interest: 0,
    });
    await session.mergeClass(merger.id, ring.id);
    expect(session.classById(merger.id)).toBeUndefined();
    expect(session.classById(ring.id)!.count).toBe(2);
  });
});
