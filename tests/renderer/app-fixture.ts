/** An AppState on the fake engine, and key events, for the renderer's state tests. */
import './runes-shim';
import { AppState } from '../../src-renderer/state/app.svelte';
import type { KeyLike } from '../../src-renderer/state/keys';
import { memoryStorage } from '../../src-renderer/state/storage';
import { FakeEngine } from './fake-engine';

export function key(k: string, extra: Partial<KeyLike> = {}): KeyLike {
  return { key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...extra };
}

/** Lets pending promise callbacks (engine answers, events) run. */
export const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

export async function startedApp() {
  const engine = new FakeEngine({ objects: 40, queries: 6, epochMs: 5, epochs: 1 });
  const state = new AppState(engine, { storage: memoryStorage() });
  await state.start();
  return { engine, state };
}
