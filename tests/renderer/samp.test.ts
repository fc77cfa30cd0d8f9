/** SAMP in the window: keys that send, a peer's highlight that moves the focus, sky links. */
import { describe, expect, it } from 'vitest';
import { isSkyLink, skyLinks } from '../../src-main/contract/sky-links';
import { describeReport } from '../../src-renderer/state/samp.svelte';
import { key, settle, startedApp } from './app-fixture';

describe('SAMP in the window', () => {
  it('loads the status on start (which makes the engine look for a hub)', async () => {
    const { state } = await startedApp();
    expect(state.samp.status?.state).toBe('searching');
    expect(state.samp.connected).toBe(false);
  });

  it('p sends the focused object position; without a hub the answer is a toast', async () => {
    const { engine, state } = await startedApp();
    const calls: unknown[] = [];
    const call = engine.call.bind(engine);
    engine.call = ((method: string, input: unknown) => {
      if (method.startsWith('samp.send')) calls.push(input);
      return call(method as never, input as never);
    }) as typeof engine.call;
    const focused = state.session.focused!.objectId;
    expect(state.handleKey(key('p'))).toBe(true);
    await settle();
    expect(calls).toEqual([{ what: 'point', objectId: focused }]);
    expect(state.toasts.items.at(-1)?.message).toMatch(/No SAMP hub is connected/);
    state.handleKey(key('t'));
    state.handleKey(key('d'));
    state.handleKey(key('D', { shiftKey: true }));
    await settle();
    expect(calls.slice(1)).toEqual([
      { what: 'catalogue' },
      { what: 'cutout', objectId: focused },
      { what: 'frame', objectId: focused },
    ]);
  });

  it("the desktop menu's items run the same actions as the keys", async () => {
    const { engine, state } = await startedApp();
    const calls: unknown[] = [];
    const call = engine.call.bind(engine);
    engine.call = ((method: string, input: unknown) => {
      if (method === 'samp.send') calls.push(input);
      return call(method as never, input as never);
    }) as typeof engine.call;
    engine.announce('window.action', { action: 'samp-send-catalogue' });
    engine.announce('window.action', { action: 'no-such-action' });
    await settle();
    expect(calls).toEqual([{ what: 'catalogue' }]);
    expect(state.toasts.items.at(-1)?.message).toMatch(/No SAMP hub is connected/);
  });

  it('T on an unlabelled object says to label it first', async () => {
    const { state } = await startedApp();
    state.handleKey(key('T', { shiftKey: true }));
    await settle();
    expect(state.toasts.items.at(-1)?.message).toMatch(/Label the object first/);
  });

  it("a peer's highlight focuses that object; one outside the batch is a toast", async () => {
    const { engine, state } = await startedApp();
    const target = state.session.questions[3]!.objectId;
    engine.announce('samp.focus', { objectId: target, from: 'TOPCAT', why: 'highlighted its row' });
    expect(state.session.focused?.objectId).toBe(target);
    engine.announce('samp.focus', {
      objectId: 999_999,
      from: 'TOPCAT',
      why: 'highlighted its row',
    });
    expect(state.session.focused?.objectId).toBe(target);
    expect(state.toasts.items.at(-1)?.message).toBe(
      "TOPCAT highlighted its row: object 999999, which is not in this round's batch.",
    );
  });

  it('a selection becomes a batch to label; Esc returns to the round where it was', async () => {
    const { engine, state } = await startedApp();
    state.session.focusIndex = 5;
    const round = state.session.questions.map((q) => q.objectId);
    const ids = [999_998, round[2]!, round[4]!, round[0]!];
    engine.announce('samp.selection', { objectIds: ids, from: 'TOPCAT' });
    await settle();
    // The object that is not in the project is left out.
    expect(state.session.batch?.title).toBe('Selection from TOPCAT');
    expect(state.session.questions.map((q) => q.objectId)).toEqual(ids.slice(1));
    expect(state.session.focused?.objectId).toBe(ids[1]);
    expect(state.samp.last).toBe(
      'TOPCAT selected 4 objects: shown as a batch (Esc returns to the round).',
    );
    expect(state.handleKey(key('Escape'))).toBe(true);
    expect(state.session.batch).toBeNull();
    expect(state.session.questions.map((q) => q.objectId)).toEqual(round);
    expect(state.session.focusIndex).toBe(5);
  });

  it('describes a send in one line, naming the peers that failed', () => {
    expect(
      describeReport({
        mtype: 'table.load.votable',
        sent: 'catalogue (40 rows)',
        rows: 40,
        recipients: [
          { id: 'c1', name: 'TOPCAT', ok: true, message: null },
          { id: 'c2', name: 'Aladin', ok: false, message: 'did not answer within 10 s' },
        ],
      }),
    ).toBe('Sent catalogue (40 rows) to TOPCAT (Aladin: did not answer within 10 s).');
  });
});

describe('sky links', () => {
  it('point Aladin Lite, the Legacy Survey viewer and SIMBAD at the position', () => {
    const links = Object.fromEntries(skyLinks(150.1, -2.5).map((l) => [l.name, l.url]));
    expect(links['Aladin Lite']).toBe(
      'https://aladin.cds.unistra.fr/AladinLite/?target=150.100000%20-2.500000&fov=0.05',
    );
    expect(links['Legacy Survey']).toBe(
      'https://www.legacysurvey.org/viewer?ra=150.100000&dec=-2.500000&zoom=16',
    );
    expect(links.SIMBAD).toBe(
      'https://simbad.cds.unistra.fr/simbad/sim-coo?Coord=150.100000%20-2.500000&CooFrame=ICRS&Radius=10&Radius.unit=arcsec',
    );
    expect(skyLinks(10, 2)[2]!.url).toContain('Coord=10.000000%20%2B2.000000');
    expect(skyLinks(Number.NaN, 2)).toEqual([]);
    expect(skyLinks(10, 95)).toEqual([]);
  });

  it('the desktop door opens only https links to those hosts', () => {
    for (const link of skyLinks(1, 1)) expect(isSkyLink(link.url)).toBe(true);
    expect(isSkyLink('http://simbad.cds.unistra.fr/x')).toBe(false);
    expect(isSkyLink('https://evil.example/aladin.cds.unistra.fr')).toBe(false);
    expect(isSkyLink('file:///etc/passwd')).toBe(false);
    expect(isSkyLink('not a url')).toBe(false);
  });
});
