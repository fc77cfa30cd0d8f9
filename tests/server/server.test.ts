import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../../src-main/contract/contract';
import { decodePixelBatch } from '../../src-main/contract/pixel-batch';
import type { ProjectHost } from '../../src-main/app/host';
import type { RunningServer } from '../../src-main/server/server';
import { rawRequest } from './raw-request';
import { serveSyntheticProject } from './served-project';

let host: ProjectHost;
let server: RunningServer;
const events: string[] = [];

function call(
  path: string,
  options: { method?: string; body?: string; headers?: Record<string, string> } = {},
) {
  return rawRequest(server.port, path, options);
}

const auth = () => ({ authorization: `Bearer ${server.token}` });

beforeAll(async () => {
  ({ host, server } = await serveSyntheticProject({
    objects: 60,
    rings: 3,
    emit: (e) => events.push(e),
  }));
});

afterAll(async () => {
  await server?.close();
  await host?.close();
});

describe('the local server door', () => {
  it('binds to 127.0.0.1 and prints a tokenised address', () => {
    expect(server.url).toMatch(
      new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[\\w-]{20,}$`),
    );
  });

  it('refuses api requests without the right token (401)', async () => {
    expect((await call('/api/call/session.state', { body: '{}' })).status).toBe(401);
    expect(
      (
        await call('/api/call/session.state', {
          body: '{}',
          headers: { authorization: 'Bearer wrong' },
        })
      ).status,
    ).toBe(401);
    expect((await call('/api/events')).status).toBe(401);
  });

  it('refuses other origins and foreign Host headers (403)', async () => {
    const foreign = await call('/api/call/session.state', {
      body: '{}',
      headers: { ...auth(), origin: 'http://evil.example' },
    });
    expect(foreign.status).toBe(403);
    const rebinding = await call('/api/call/session.state', {
      body: '{}',
      headers: { ...auth(), host: 'evil.example' },
    });
    expect(rebinding.status).toBe(403);
  });

  it('rejects malformed, unknown-field, wrong-type and oversized requests with 400/413', async () => {
    expect((await call('/api/call/label.set', { body: '{nope', headers: auth() })).status).toBe(
      400,
    );
    const wrongType = await call('/api/call/label.set', {
      body: JSON.stringify({ objectId: 'x', classId: 1 }),
      headers: auth(),
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
    const extra = await call('/api/call/session.state', {
      body: JSON.stringify({ sql: 'DROP TABLE objects' }),
      headers: auth(),
    });
    expect(extra.status).toBe(400);
    expect((await call('/api/call/no.such', { body: '{}', headers: auth() })).status).toBe(400);
    const huge = await call('/api/call/class.create', {
      body: JSON.stringify({ name: 'x'.repeat(2_000_000) }),
      headers: auth(),
    });
    expect(huge.status).toBe(413);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const path of [
      '/../../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/..%2f..%2fetc%2fpasswd',
    ]) {
      const res = await call(path, { method: 'GET' });
      expect(res.text).not.toMatch(/root:/);
    }
    expect((await call('/', { method: 'GET' })).text).toMatch(/<title>AHUNT<\/title>/);
  });

  it('runs a round and records a label through the api, with events', async () => {
    const started = await call('/api/call/round.start', { body: '{}', headers: auth() });
    const state = (started.json as { value: SessionState }).value;
    expect(state.round?.phase).toBe('asking');
    const q = state.questions[0]!;
    const normal = state.classes.find((c) => c.kind === 'normal')!;
    const labelled = await call('/api/call/label.set', {
      body: JSON.stringify({ objectId: q.objectId, classId: normal.id, seconds: 0.8 }),
      headers: auth(),
    });
    expect(labelled.json).toMatchObject({ ok: true });
    // The engine's share of the request and the server's, for the page's timing of a keypress:
    // the server's includes the engine's.
    const timing = /^engine;dur=(\d+\.\d\d), server;dur=(\d+\.\d\d)$/.exec(
      String(labelled.headers['server-timing']),
    );
    expect(timing).not.toBeNull();
    expect(Number(timing![2])).toBeGreaterThanOrEqual(Number(timing![1]));
    // round.start announced the whole state; a label announces only what it changed.
    expect(events).toContain('session.changed');
    expect(events.at(-1)).toBe('labels.changed');
    // One request answers a batch; an object that does not exist is null, not an error.
    const base = `http://127.0.0.1:${server.port}/api/pixels`;
    const ids = [q.objectId, 999_999, state.questions[1]!.objectId];
    const batch = await fetch(`${base}?ids=${ids.join(',')}&token=${server.token}`);
    expect(batch.status).toBe(200);
    const items = decodePixelBatch(ids, await batch.arrayBuffer());
    expect(items[1]).toBeNull();
    for (const item of [items[0]!, items[2]!]) {
      expect(item.data.length).toBe(item.size * item.size * item.bands);
      expect(Math.max(...item.data)).toBeLessThanOrEqual(1);
    }
    expect((await fetch(`${base}?ids=${ids.join(',')}`)).status).toBe(401);
    for (const bad of ['', '1,x', '0', Array.from({ length: 513 }, (_, i) => i + 1).join(',')])
      expect((await fetch(`${base}?ids=${bad}&token=${server.token}`)).status).toBe(400);
  });

  it('turns engine errors into sentences', async () => {
    const res = await call('/api/call/class.rename', {
      body: JSON.stringify({ id: 999, name: 'x' }),
      headers: auth(),
    });
    expect(res.json).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'There is no class 999.' },
    });
  });
});
