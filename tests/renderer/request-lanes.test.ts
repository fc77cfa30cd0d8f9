import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHttpApi } from '../../src-renderer/api/http-api';
import { RequestLanes } from '../../src-renderer/api/request-lanes';

/** A request that stays in flight until `finish` is called. */
function held() {
  let finish!: (value: string) => void;
  const promise = new Promise<string>((resolve) => (finish = resolve));
  return { promise, finish };
}

const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('request lanes', () => {
  it('holds background requests beyond their slots, in order, and never an urgent one', async () => {
    const lanes = new RequestLanes(2);
    const started: string[] = [];
    const requests = ['a', 'b', 'c', 'd'].map((name) => ({ name, ...held() }));
    const answers = requests.map((r) =>
      lanes.background(() => {
        started.push(r.name);
        return r.promise;
      }),
    );
    await turn();
    expect(started).toEqual(['a', 'b']);
    expect(lanes.load).toEqual({ running: 2, waiting: 2 });
    // The label goes out at once, with both background slots taken.
    const label = lanes.urgent(() => {
      started.push('label');
      return Promise.resolve('stored');
    });
    expect(started).toEqual(['a', 'b', 'label']);
    expect(await label).toBe('stored');
    requests[1]!.finish('B');
    await turn();
    expect(started).toEqual(['a', 'b', 'label', 'c']);
    requests[0]!.finish('A');
    requests[2]!.finish('C');
    requests[3]!.finish('D');
    expect(await Promise.all(answers)).toEqual(['A', 'B', 'C', 'D']);
    expect(lanes.load).toEqual({ running: 0, waiting: 0 });
  });

  it('frees the slot of a request that failed', async () => {
    const lanes = new RequestLanes(1);
    await expect(lanes.background(() => Promise.reject(new Error('down')))).rejects.toThrow();
    expect(await lanes.background(() => Promise.resolve(1))).toBe(1);
    expect(lanes.load).toEqual({ running: 0, waiting: 0 });
  });
});

describe('the http api', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends label.set while pixels and previews fill every background slot', async () => {
    const sent: string[] = [];
    const pending: (() => void)[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      sent.push(url.replace(/\?.*/, ''));
      if (url.includes('label.set')) {
        return Promise.resolve(new Response(JSON.stringify({ ok: true, value: { classes: [] } })));
      }
      return new Promise<Response>((resolve) =>
        pending.push(() => resolve(new Response(JSON.stringify({ ok: true, value: null })))),
      );
    });
    const api = createHttpApi('token');
    const slow = [1, 2, 3, 4, 5].map((id) => api.call('object.get', { id }));
    await turn();
    expect(sent).toHaveLength(3);
    const label = await api.call('label.set', { objectId: 1, classId: 1 });
    expect(label.ok).toBe(true);
    expect(sent.at(-1)).toBe('/api/call/label.set');
    expect(sent).toHaveLength(4);
    // Each answered background request lets the next one out.
    while (pending.length > 0) {
      pending.shift()!();
      await turn();
    }
    await Promise.all(slow);
    expect(sent.filter((u) => u.endsWith('object.get'))).toHaveLength(5);
  });
});
