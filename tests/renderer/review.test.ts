/** Review and correct in the window: a class's gallery, search, note and uncertain flag. */
import { describe, expect, it } from 'vitest';
import { key, settle, startedApp as started } from './app-fixture';

/** The fixture's app with classes on keys 1 and 2. */
async function startedApp() {
  const app = await started();
  await app.engine.call('class.create', { name: 'merger', hotkey: '1' });
  await app.engine.call('class.create', { name: 'ring', hotkey: '2' });
  await app.state.session.load();
  return app;
}

describe('batches that are not the round', () => {
  it('G then a digit shows that class newest label first; relabels are ordinary labels', async () => {
    const { engine, state } = await startedApp();
    const cls = state.session.classes.find((c) => c.hotkey === '1')!;
    const round = state.session.questions.map((q) => q.objectId);
    for (const id of round.slice(0, 3)) await state.session.label(id, cls.id);
    expect(state.handleKey(key('G'))).toBe(true);
    expect(state.review.awaitingClass).toBe(true);
    expect(state.handleKey(key('1'))).toBe(true);
    await settle();
    expect(state.session.batch?.title).toBe(`Gallery: ${cls.name}, newest label first`);
    expect(state.session.questions.map((q) => q.objectId)).toEqual(round.slice(0, 3).reverse());
    // The top bar still counts the round, not the gallery.
    expect(state.session.roundAnswered).toBe(3);
    expect(state.session.state?.questions).toHaveLength(round.length);
    // Relabel the first by its digit: label.set as in the round, the grid shows the new class.
    const other = state.session.classes.find((c) => c.hotkey === '2')!;
    const calls: unknown[] = [];
    const call = engine.call.bind(engine);
    engine.call = ((method: string, input: unknown) => {
      if (method === 'label.set') calls.push(input);
      return call(method as never, input as never);
    }) as typeof engine.call;
    state.handleKey(key('2'));
    await settle();
    expect(calls).toEqual([expect.objectContaining({ objectId: round[2], classId: other.id })]);
    expect(state.session.questions[0]!.labelId).toBe(other.id);
    // Auto-advance walks the gallery in order (every object in it is labelled already).
    expect(state.session.focusIndex).toBe(1);
    // Enter does not finish the round from here; Esc goes back to it.
    state.handleKey(key('Enter'));
    expect(state.toasts.current?.message).toMatch(/not the round: press Esc/);
    state.handleKey(key('Escape')); // the notice
    state.handleKey(key('Escape'));
    expect(state.session.batch).toBeNull();
    expect(state.session.questions.map((q) => q.objectId)).toEqual(round);
  });

  it('G then a key that is no digit cancels; a digit with no class says so', async () => {
    const { state } = await startedApp();
    state.handleKey(key('G'));
    expect(state.handleKey(key('x'))).toBe(true);
    expect(state.review.awaitingClass).toBe(false);
    expect(state.session.batch).toBeNull();
    state.handleKey(key('G'));
    state.handleKey(key('8'));
    await settle();
    expect(state.toasts.current?.message).toMatch(/No class has key 8/);
  });

  it('/ opens the search; the uncertain filter finds the flagged objects', async () => {
    const { state } = await startedApp();
    const cls = state.session.classes.find((c) => c.hotkey === '1')!;
    const [a, b] = state.session.questions.map((q) => q.objectId);
    await state.session.label(a!, cls.id);
    await state.session.label(b!, cls.id);
    state.session.focusObject(b!);
    await state.inspector.open(b!);
    expect(state.handleKey(key('u'))).toBe(true);
    await settle();
    expect(state.inspector.object?.uncertain).toBe(true);
    state.handleKey(key('/'));
    expect(state.review.searching).toBe(true);
    state.review.uncertainOnly = true;
    await state.review.search();
    expect(state.session.batch?.title).toBe('Search: every reviewed object, uncertain only');
    expect(state.session.questions.map((q) => q.objectId)).toEqual([b]);
  });

  it('e asks the details pane for the note field', async () => {
    const { state } = await startedApp();
    const before = state.review.noteRequested;
    state.handleKey(key('e'));
    await settle();
    expect(state.review.noteRequested).toBe(before + 1);
  });

  it('m shows the focused object and its nearest neighbours as a batch, nearest first', async () => {
    const { state } = await startedApp();
    const focused = state.session.focused!.objectId;
    expect(state.handleKey(key('m'))).toBe(true);
    await settle();
    expect(state.session.batch?.title).toBe(
      `More like object ${focused} (exact, 39 objects compared)`,
    );
    const ids = state.session.questions.map((q) => q.objectId);
    expect(ids[0]).toBe(focused);
    expect(ids).toHaveLength(40); // itself and the 39 others of the fake's 40
    expect(new Set(ids).size).toBe(40);
  });
});
