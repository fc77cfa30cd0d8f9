import { describe, expect, it } from 'vitest';
import { key, settle, startedApp } from './app-fixture';
import { joinPath } from '../../src-renderer/state/paths';

describe('the Projects view state', () => {
  it('opens on Alt+6 with the recent list and the folder beside the open project', async () => {
    const { state } = await startedApp();
    expect(state.handleKey(key('6', { altKey: true }))).toBe(true);
    expect(state.view).toBe('projects');
    await settle();
    await settle();
    expect(state.projects.current).toBe('/home/astro/demo');
    expect(state.projects.recent.map((p) => p.name)).toEqual(['Demo survey']);
    expect(state.projects.listing?.dir).toBe('/home/astro');
    expect(state.projects.listing?.entries.map((e) => e.kind)).toEqual(['project', 'folder']);
  });

  it('creates a project, and every store starts over on the switch', async () => {
    const { state } = await startedApp();
    state.session.skip();
    await state.history.load();
    await state.inspector.open(state.session.questions[0]!.objectId);
    await state.projects.load();
    expect(await state.projects.open(joinPath('/home/astro', 'deep'), true, 'deep')).toBe(true);
    await settle();
    await settle();
    expect(state.session.state?.project.name).toBe('deep');
    expect(state.session.skipped).toEqual([]);
    expect(state.history.history).toBeNull();
    expect(state.inspector.object).toBeNull();
    expect(state.pixels.size).toBe(0);
    expect(state.projects.current).toBe('/home/astro/deep');
    expect(state.view).toBe('round');
  });

  it('shows why a folder cannot be opened beside the form, not as a toast', async () => {
    const { state } = await startedApp();
    await state.projects.load();
    state.projects.path = '/home/astro/survey';
    await state.projects.go();
    expect(state.projects.listing?.dir).toBe('/home/astro/survey');
    expect(await state.projects.open('/home/astro/survey')).toBe(false);
    expect(state.projects.problem).toMatch(/not an AHUNT project/);
    expect(state.toasts.items).toEqual([]);
    await state.projects.browse('/home/astro');
    expect(state.projects.problem).toBeNull();
  });

  it('leaves Enter, arrows and digits to the page outside the round view', async () => {
    const { state } = await startedApp();
    state.show('projects');
    expect(state.handleKey(key('Enter'))).toBe(false);
    expect(state.handleKey(key('ArrowDown'))).toBe(false);
    expect(state.handleKey(key('1'))).toBe(false);
    state.show('round');
    expect(state.handleKey(key('ArrowDown'))).toBe(true);
  });
});

describe('joinPath', () => {
  it('uses the separator of the folder it extends', () => {
    expect(joinPath('/data', 'x')).toBe('/data/x');
    expect(joinPath('/', 'x')).toBe('/x');
    expect(joinPath('C:\\data', 'x')).toBe('C:\\data\\x');
  });
});
