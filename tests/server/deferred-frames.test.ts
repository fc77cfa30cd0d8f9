import { describe, expect, it } from 'vitest';
import { deferredFrames } from '../../src-main/server/deferred-frames';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('deferred event frames', () => {
  it('writes nothing during the turn that pushed, then everything in order in one write', async () => {
    const written: string[] = [];
    const frames = deferredFrames((f) => written.push(f));
    frames.push('a');
    frames.push('b');
    // The reply of the request that emitted them is sent in this turn, before them.
    await Promise.resolve();
    expect(written).toEqual([]);
    await nextTurn();
    expect(written).toEqual(['ab']);
    frames.push('c');
    await nextTurn();
    expect(written).toEqual(['ab', 'c']);
  });

  it('drops what is queued when cleared (the server closes)', async () => {
    const written: string[] = [];
    const frames = deferredFrames((f) => written.push(f));
    frames.push('a');
    frames.clear();
    await nextTurn();
    expect(written).toEqual([]);
  });
});
