/** The preload hands the page exactly the contract's AhuntApi, and nothing of Electron. */
import { describe, expect, it, vi } from 'vitest';
import { exposed, invoked, onceListeners } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

describe('the preload bridge', () => {
  it('exposes only call, on and pixels as window.ahunt', async () => {
    await import('../../src-main/electron/preload');
    expect([...exposed.keys()]).toEqual(['ahunt']);
    const api = exposed.get('ahunt') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['call', 'on', 'pixels']);
    const call = api.call as (m: string, i: unknown) => Promise<unknown>;
    await call('session.state', {});
    expect(invoked.at(-1)).toEqual(['ahunt:call', 'session.state', {}]);
    const pixels = api.pixels as (ids: number[]) => Promise<unknown[]>;
    const batch = await pixels([4, 5]);
    expect(invoked.at(-1)).toEqual(['ahunt:pixels', [4, 5]]);
    expect(batch[0]).toMatchObject({ size: 1, bands: 1, data: new Float32Array([0.5]) });
    expect(batch[1]).toBeNull();
  });
});

describe("the GPU window's preload", () => {
  it('hands the page the port from the main process, and exposes nothing', async () => {
    const before = exposed.size;
    const posted: unknown[][] = [];
    const page = globalThis as unknown as { postMessage?: (...args: unknown[]) => void };
    page.postMessage = (...args) => posted.push(args);
    try {
      await import('../../src-main/electron/gpu-preload');
      const port = { a: 'port' };
      onceListeners.get('ahunt:gpu-port')!({ ports: [port] });
      expect(posted).toEqual([['ahunt-gpu-port', '*', [port]]]);
      expect(exposed.size).toBe(before);
    } finally {
      delete page.postMessage;
    }
  });
});
