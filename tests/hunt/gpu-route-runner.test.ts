/**
 * The desktop's GPU route as the engine sees it, with the GPU page's own trainer running in
 * this process behind a structured-cloning port (its backend is wasm here, named as the GPU
 * one it stands for): which route trains and why, that the scoring worker gets the page's
 * weights back after a round, and that a page that goes away leaves training to the worker.
 * The real page on a (software) GPU is tests/e2e/gpu-training.e2e.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createGpuRoutedRunner } from '../../src-main/engine/hunt/gpu-route-runner';
import { createLocalRunner } from '../../src-main/engine/hunt/local-runner';
import type { ModelRunner } from '../../src-main/engine/hunt/runner';
import { initBackend } from '../../src-main/engine/learn/backend';
import { serveTrainingCalls } from '../../src-main/engine/learn/gpu-page/page-trainer';
import type { GpuPagePort, PageSidePort } from '../../src-main/engine/learn/gpu-page/port';
import type { BackendName } from '../../src-main/engine/learn/types';

/** A page in this process; `detail` is what its adapter calls itself. */
function inProcessPage(detail: string) {
  let toPage: Parameters<PageSidePort['onMessage']>[0] = () => {};
  let toEngine: Parameters<GpuPagePort['onMessage']>[0] = () => {};
  const closers: ((why: string) => void)[] = [];
  const calls: string[] = [];
  serveTrainingCalls(
    {
      post: (message) => setImmediate(() => toEngine(structuredClone(message))),
      onMessage: (receive) => (toPage = receive),
    },
    async (choice) => {
      await initBackend('wasm');
      const name: BackendName = choice === 'webgl' ? 'webgl' : 'webgpu';
      return { name, reason: 'test', detail };
    },
  );
  const state = { closed: false };
  const port: GpuPagePort = {
    post: (message) => {
      if ('kind' in message) calls.push(message.kind);
      setImmediate(() => toPage(structuredClone(message)));
    },
    onMessage: (receive) => (toEngine = receive),
    onClose: (closed) => closers.push(closed),
    close: () => (state.closed = true),
  };
  return { port, calls, state, crash: () => closers.forEach((c) => c('the page crashed')) };
}

const SPEC = { size: 8, bands: 1, classes: 3, seed: 5 };
const LAYOUT = { count: 3, reserve: 2 };
const OPTS = {
  epochs: 2,
  batchSize: 8,
  balance: false,
  augment: 'none',
  loss: 'crossentropy',
  hardExamples: false,
  seed: 3,
} as const;

function set() {
  const count = 16;
  const data = Float32Array.from({ length: count * 64 }, (_, i) => ((i * 37) % 101) / 101);
  const labels = Int32Array.from({ length: count }, (_, i) => i % 2);
  return { images: { data, count, size: 8, bands: 1 }, labels };
}

const open: ModelRunner[] = [];
afterEach(async () => {
  delete process.env.AHUNT_BACKEND;
  await Promise.all(open.splice(0).map((r) => r.dispose()));
});

function routed(detail = 'test adapter') {
  const page = inProcessPage(detail);
  const logged: string[] = [];
  const runner = createGpuRoutedRunner(createLocalRunner(), {
    openPage: async () => page.port,
    probeSteps: 1,
    log: (line) => logged.push(line),
  });
  open.push(runner);
  return { runner, page, logged };
}

describe('GPU route runner', () => {
  it('trains on the forced page and hands its weights to the scoring runner', async () => {
    const { runner, page } = routed();
    const info = await runner.init('webgl');
    expect(info).toMatchObject({ name: 'webgl', reason: 'explicit choice' });
    expect(info.detail).toMatch(/GPU window; scoring on wasm/);
    await runner.load(SPEC, null);
    const { images, labels } = set();
    const result = await runner.train(images, labels, LAYOUT, OPTS);
    expect(page.calls).toContain('train');

    // The same round on the worker alone, from the same weights, ends with the same weights.
    const alone = createLocalRunner();
    open.push(alone);
    await alone.init('wasm');
    await alone.load(SPEC, null);
    const reference = await alone.train(images, labels, LAYOUT, OPTS);
    expect(result.finalLoss).toBeCloseTo(reference.finalLoss, 6);
    const [mine, theirs] = [await runner.checkpoint(), await alone.checkpoint()];
    expect(Buffer.from(mine.weights).equals(Buffer.from(theirs.weights))).toBe(true);
  });

  it('AHUNT_BACKEND=webgpu forces the page and says so', async () => {
    process.env.AHUNT_BACKEND = 'webgpu';
    const { runner } = routed();
    expect(await runner.init('auto')).toMatchObject({ name: 'webgpu', reason: 'AHUNT_BACKEND' });
  });

  it('does not time a software adapter, and keeps training in the worker', async () => {
    const { runner, page, logged } = routed('google swiftshader');
    const info = await runner.init('auto', { size: 8, bands: 1 });
    expect(info.name).not.toMatch(/webgpu|webgl/);
    expect(info.reason).toMatch(/only a software adapter \(google swiftshader\), not timed/);
    expect(page.state.closed).toBe(true);
    expect(logged).toEqual([
      expect.stringMatching(/^Training on \w+ in the model worker: .*software adapter/),
    ]);
    await runner.load(SPEC, null);
    const { images, labels } = set();
    await runner.train(images, labels, LAYOUT, OPTS);
    expect(page.calls.filter((c) => c === 'train')).toHaveLength(0);
  });

  it('on a hardware adapter, a probe at the project size decides, with its figures', async () => {
    const { runner } = routed('acme gpu');
    const info = await runner.init('auto', { size: 16, bands: 1 });
    expect(info.reason).toMatch(
      /training probe \(\d+ img\/s on webgpu vs \d+ img\/s on \w+ at 16×16×1\)/,
    );
  });

  it('a page that goes away leaves the round to the worker', async () => {
    const { runner, page } = routed();
    await runner.init('webgl');
    await runner.load(SPEC, null);
    page.crash();
    const { images, labels } = set();
    const result = await runner.train(images, labels, LAYOUT, OPTS);
    expect(result.images).toBe(32);
  });
});
