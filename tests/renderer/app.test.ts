import { describe, expect, it } from 'vitest';
import { key, settle, startedApp } from './app-fixture';

describe('AppState keyboard handling', () => {
  it('labels with digits and records keypress → label time', async () => {
    const { state } = await startedApp();
    expect(state.handleKey(key('0'))).toBe(true);
    await settle();
    expect(state.session.questions[0]!.labelId).toBe(1);
    expect(state.metrics.labelMs).toHaveLength(1);
    expect(state.metrics.labelMs[0]).toBeGreaterThanOrEqual(0);
    // Shown (in the DOM, then its frame) and persisted are timed apart, from the same key.
    expect(state.metrics.labelShownMs).toHaveLength(1);
    expect(state.metrics.labelFrameMs).toHaveLength(1);
    expect(state.metrics.labelPersistedMs).toHaveLength(1);
    expect(state.metrics.labelShownMs[0]).toBeLessThanOrEqual(state.metrics.labelFrameMs[0]!);
  });

  it('ignores keys while a text field has focus or the class name is being typed', async () => {
    const { state } = await startedApp();
    expect(state.handleKey(key('1', { target: { tagName: 'INPUT', type: 'text' } }))).toBe(false);
    state.handleKey(key('n'));
    expect(state.naming).toBe(true);
    expect(state.handleKey(key('1'))).toBe(false);
    await settle();
    expect(state.session.answered).toBe(0);
    expect(await state.submitNewClass('artefact')).toBe(true);
    expect(state.naming).toBe(false);
    expect(state.session.classById(state.session.questions[0]!.labelId)!.name).toBe('artefact');
  });

  it('changes the stretch without any engine request', async () => {
    const { engine, state } = await startedApp();
    const before = [...engine.calls.values()].reduce((a, b) => a + b, 0);
    expect(state.display.stretch).toBe('asinh');
    expect(state.display.limits).toBe('sky');
    state.handleKey(key(']'));
    expect(state.display.stretch).toBe('histeq');
    state.handleKey(key('['));
    state.handleKey(key('['));
    expect(state.display.stretch).toBe('sqrt');
    state.handleKey(key('c'));
    expect(state.display.colormap).toBe('viridis');
    state.handleKey(key('g'));
    expect(state.display.lockScale).toBe(true);
    expect([...engine.calls.values()].reduce((a, b) => a + b, 0)).toBe(before);
  });

  it('Enter finishes the round, Ctrl+Z undoes, ? toggles help, Alt+2 shows history', async () => {
    const { engine, state } = await startedApp();
    state.handleKey(key('0'));
    state.handleKey(key('0'));
    await settle();
    state.handleKey(key('z', { ctrlKey: true }));
    await settle();
    await settle();
    expect(state.session.answered).toBe(1);
    state.handleKey(key('?', { shiftKey: true }));
    expect(state.helpOpen).toBe(true);
    expect(state.handleKey(key('1'))).toBe(false);
    state.handleKey(key('?', { shiftKey: true }));
    expect(state.helpOpen).toBe(false);
    // Five questions have no answer: Enter asks first, Enter again finishes.
    state.handleKey(key('Enter'));
    await settle();
    expect(state.confirmingFinish).toBe(true);
    expect(state.session.state!.round!.phase).toBe('asking');
    state.handleKey(key('Enter'));
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(state.session.state!.round!.number).toBe(2);
    state.handleKey(key('2', { altKey: true, code: 'Digit2' }));
    expect(state.view).toBe('history');
    await settle();
    expect(state.history.history!.rounds).toHaveLength(1);
    expect(state.history.history!.discovery).toHaveLength(1);
    engine.dispose();
  });

  it('Space toggles zoom, a toggles auto-advance', async () => {
    const { state } = await startedApp();
    state.handleKey(key(' '));
    expect(state.inspector.zoomed).toBe(true);
    expect(state.inspector.frameZoom).toBe(4);
    state.handleKey(key('a'));
    expect(state.session.autoAdvance).toBe(false);
  });

  it('+ - zoom the FITS frame view and H J K L pan it, within reach of the image', async () => {
    const { state } = await startedApp();
    state.handleKey(key('+'));
    state.handleKey(key('='));
    expect(state.inspector.frameZoom).toBeCloseTo(2.25, 9);
    state.handleKey(key('L', { shiftKey: true }));
    state.handleKey(key('K', { shiftKey: true }));
    expect(state.inspector.framePan).toEqual({ x: -0.125, y: 0.125 });
    for (let i = 0; i < 40; i++) state.handleKey(key('H', { shiftKey: true }));
    expect(state.inspector.framePan.x).toBeCloseTo(2.25 / 2, 9);
    // Out to the whole region again: centred.
    for (let i = 0; i < 5; i++) state.handleKey(key('-'));
    expect(state.inspector.frameZoom).toBe(1);
    expect(state.inspector.framePan).toEqual({ x: 0, y: 0 });
  });

  it('Enter with unanswered questions asks once; Escape goes back; another action forgets it', async () => {
    const { engine, state } = await startedApp();
    state.handleKey(key('0'));
    await settle();
    state.handleKey(key('Enter'));
    await settle();
    expect(state.confirmingFinish).toBe(true);
    expect(state.handleKey(key('Escape'))).toBe(true);
    expect(state.confirmingFinish).toBe(false);
    state.handleKey(key('Enter'));
    state.handleKey(key('ArrowRight'));
    expect(state.confirmingFinish).toBe(false);
    state.handleKey(key('Enter'));
    await settle();
    expect(state.session.state!.round!.number).toBe(1);
    expect(engine.calls.get('round.finish') ?? 0).toBe(0);
    // Remapped: the new key asks and confirms the same way.
    state.keymap.rebind('finish-round', 'f');
    state.handleKey(key('Escape'));
    state.handleKey(key('f'));
    expect(state.confirmingFinish).toBe(true);
    state.handleKey(key('f'));
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(state.session.state!.round!.number).toBe(2);
    engine.dispose();
  });

  it('an unassigned digit offers a new class on that key and labels with it', async () => {
    const { state } = await startedApp();
    expect(state.session.classes.some((c) => c.hotkey === '7')).toBe(false);
    expect(state.handleKey(key('7'))).toBe(true);
    await settle();
    expect(state.naming).toBe(true);
    expect(state.namingHotkey).toBe('7');
    expect(state.toasts.items).toEqual([]);
    expect(await state.submitNewClass('lens')).toBe(true);
    const lens = state.session.classes.find((c) => c.name === 'lens')!;
    expect(lens.hotkey).toBe('7');
    expect(state.session.questions[0]!.labelId).toBe(lens.id);
    // The digit now labels.
    state.handleKey(key('7'));
    await settle();
    await settle();
    expect(state.session.questions[1]!.labelId).toBe(lens.id);
    // Escape in the field leaves no half-made class behind.
    state.handleKey(key('8'));
    await settle();
    state.cancelNewClass();
    expect(state.naming).toBe(false);
    expect(state.namingHotkey).toBeNull();
  });

  it('Escape closes the shown toast; notices are marked to close by themselves', async () => {
    const { state } = await startedApp();
    state.toasts.push({ code: 'x', message: 'first' });
    state.toasts.notice('saved', 'second');
    expect(state.toasts.current).toMatchObject({ message: 'second', level: 'notice' });
    expect(state.handleKey(key('Escape'))).toBe(true);
    expect(state.toasts.current).toMatchObject({ message: 'first', level: 'error' });
    expect(state.handleKey(key('Escape'))).toBe(true);
    expect(state.toasts.current).toBeNull();
    expect(state.handleKey(key('Escape'))).toBe(false);
  });

  it('Shift+arrows set contrast and bias from the limits shown; b blinks the bands', async () => {
    const { state } = await startedApp();
    // Nothing shown yet: nothing to adjust.
    state.handleKey(key('ArrowRight', { shiftKey: true }));
    expect(state.display.limits).toBe('sky');
    state.display.shown = { lo: 0, hi: 1, noise: 0.05 };
    state.handleKey(key('ArrowRight', { shiftKey: true }));
    expect(state.display.limits).toBe('custom');
    expect(state.display.custom.lo).toBeCloseTo(0.1, 6);
    expect(state.display.custom.hi).toBeCloseTo(1.1, 6);
    state.handleKey(key('ArrowUp', { shiftKey: true }));
    expect(state.display.custom.hi - state.display.custom.lo).toBeCloseTo(0.8, 6);
    // Plain arrows still move the focus.
    state.handleKey(key('ArrowRight'));
    expect(state.session.focusIndex).toBe(1);

    state.inspector.object = { ...(await firstObject(state)), bands: 3 };
    state.handleKey(key('b'));
    expect(state.inspector.band).toBe(0);
    state.handleKey(key('b'));
    state.handleKey(key('b'));
    expect(state.inspector.band).toBe(2);
    state.handleKey(key('b'));
    expect(state.inspector.band).toBeNull();
  });
});

async function firstObject(state: Awaited<ReturnType<typeof startedApp>>['state']) {
  const reply = await state.api.call('object.get', { id: state.session.questions[0]!.objectId });
  if (!reply.ok) throw new Error(reply.error.message);
  return reply.value;
}
