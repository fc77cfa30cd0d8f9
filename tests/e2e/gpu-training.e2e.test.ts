/**
 * The GPU training route against the wasm route: the GPU page (learn/gpu-page/, bundled as the
 * desktop app ships it) runs in headless Debian Chromium on its software adapter — WebGPU on
 * SwiftShader, and WebGL on SwiftShader through ANGLE — and trains the AHUNT network a few
 * steps from the same initial weights, on the same images, labels, seeds, oversampling,
 * hard-example pass, augmentation and dropout as trainRound on wasm in this process. The
 * per-batch losses must agree within TOLERANCE, and must NOT agree with a wasm run whose learning rate is 25 % larger
 * (so the comparison can fail). SwiftShader is a CPU emulation: nothing here is a speed figure.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGpuPage } from '../../scripts/build-gpu-page';
import { initBackend } from '../../src-main/engine/learn/backend';
import { PORT_HANDOVER } from '../../src-main/engine/learn/gpu-page/port';
import {
  buildModel,
  completeSpec,
  disposeModel,
  loadModel,
  saveModel,
} from '../../src-main/engine/learn/model';
import { LEARNING_RATE, trainRound } from '../../src-main/engine/learn/train';
import type { ModelSpec } from '../../src-main/engine/learn/types';
import type { WorkerTrainOptions } from '../../src-main/engine/learn/worker/protocol';
import { openGpuPageCalls, type GpuPageCalls } from '../../src-main/lab/bench/gpu-page-calls';
import { chromiumPath, hasChromium, repoRoot, skipReason } from './harness';

/**
 * Largest allowed |loss_gpu − loss_wasm| / loss_wasm over the batches, per route. Float32 on
 * every side. Measured on SwiftShader (Chromium 156): WebGPU 1.6e-7 (the same sums, another
 * order), WebGL 2.1e-3 (its shaders' exp/log and texture packing round differently, and Adam
 * carries that forward). A learning rate 25 % off moves the later losses by ~3e-2.
 */
const TOLERANCE = { webgpu: 1e-5, webgl: 5e-3 } as const;

const SPEC: ModelSpec = { size: 32, bands: 3, classes: 3, seed: 7 };
const COUNT = 24;
const OPTS: WorkerTrainOptions = {
  epochs: 2,
  batchSize: 12,
  balance: true,
  augment: 'galaxy',
  loss: 'crossentropy',
  // The hard-example pass too: a prediction pass read back on the route (no copies are made
  // at these starting weights, so the batches stay six).
  hardExamples: true,
  seed: 11,
};

/** WebGPU needs a secure context (file:// is one); SwiftShader provides both adapters. */
const SOFTWARE_GPU_FLAGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--use-angle=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
];

/** Images with some structure per class, so the losses fall and the steps differ. */
function trainingSet(): { images: Float32Array; labels: Int32Array } {
  const pixels = SPEC.size * SPEC.size * SPEC.bands;
  const images = new Float32Array(COUNT * pixels);
  const labels = new Int32Array(COUNT);
  let state = 12345;
  const random = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32) as number;
  for (let i = 0; i < COUNT; i++) {
    // Class 2 is the reserve; two trainable classes, unbalanced (oversampling has work).
    const label = i % 3 === 0 ? 1 : 0;
    labels[i] = label;
    for (let p = 0; p < pixels; p++) {
      const x = Math.floor(p / SPEC.bands) % SPEC.size;
      images[i * pixels + p] = 0.2 * random() + (label === 1 ? x / SPEC.size : 0.3);
    }
  }
  return { images, labels };
}

interface RouteRun {
  info?: { name: string; detail: string };
  losses: number[];
  finalLoss: number;
}

async function wasmRoute(
  weights: Uint8Array,
  set: ReturnType<typeof trainingSet>,
  learningRate: number,
) {
  const loaded = loadModel({ spec: completeSpec(SPEC), weights });
  const losses: number[] = [];
  const result = await trainRound(
    loaded,
    { data: set.images, count: COUNT, size: SPEC.size, bands: SPEC.bands },
    set.labels,
    { count: 3, reserve: 2 },
    { ...OPTS, learningRate, onProgress: (p) => losses.push(p.loss) },
  );
  disposeModel(loaded);
  return { losses, finalLoss: result.finalLoss } satisfies RouteRun;
}

/**
 * Drives the page the way the engine does: a MessageChannel whose far end is handed over with
 * window.postMessage (openGpuPageCalls), then the worker protocol's init and train calls on
 * it. Typed arrays cross page.evaluate as plain arrays.
 */
async function gpuRoute(
  page: Page,
  backend: 'webgpu' | 'webgl',
  weights: Uint8Array,
  set: ReturnType<typeof trainingSet>,
): Promise<RouteRun> {
  await page.evaluate(openGpuPageCalls, PORT_HANDOVER);
  return page.evaluate(
    async (a) => {
      const call = (globalThis as unknown as GpuPageCalls).gpuPageCall;
      const losses: number[] = [];
      const { info } = await call({
        kind: 'init',
        backend: a.backend,
        model: { spec: a.spec, weights: new Uint8Array(a.weights) },
      });
      const trained = await call(
        {
          kind: 'train',
          images: {
            data: new Float32Array(a.images),
            count: a.count,
            size: a.spec.size,
            bands: a.spec.bands,
          },
          labels: new Int32Array(a.labels),
          layout: { count: 3, reserve: 2 },
          opts: a.opts,
        },
        (progress) => losses.push(progress.loss),
      );
      await call({ kind: 'dispose' });
      return { info, losses, finalLoss: trained.finalLoss };
    },
    {
      backend,
      spec: completeSpec(SPEC),
      count: COUNT,
      weights: [...weights],
      images: [...set.images],
      labels: [...set.labels],
      opts: OPTS,
    },
  );
}

function worstRelativeGap(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return Math.max(...a.map((x, i) => Math.abs(x - (b[i] as number)) / Math.abs(b[i] as number)));
}

const inCi = process.env.CI === 'true';

describe.skipIf(!hasChromium && !inCi)('GPU page training matches wasm training', () => {
  let browser: Browser;
  let pageUrl: string;
  const set = trainingSet();
  let weights: Uint8Array;
  let wasm: RouteRun;
  let wrongRate: RouteRun;

  beforeAll(async () => {
    if (!hasChromium) throw new Error(skipReason);
    pageUrl = pathToFileURL(await buildGpuPage(join(repoRoot, 'tests/.tmp/gpu-page'))).href;
    browser = await chromium.launch({ executablePath: chromiumPath, args: SOFTWARE_GPU_FLAGS });
    await initBackend('wasm');
    const initial = buildModel(SPEC);
    weights = saveModel(initial).weights.slice();
    disposeModel(initial);
    wasm = await wasmRoute(weights, set, LEARNING_RATE);
    wrongRate = await wasmRoute(weights, set, LEARNING_RATE * 1.25);
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
  });

  async function freshPage(): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(pageUrl);
    return page;
  }

  for (const backend of ['webgpu', 'webgl'] as const) {
    it(`${backend} on SwiftShader: the same losses as wasm, and a wrong learning rate is caught`, async () => {
      const page = await freshPage();
      const gpu = await gpuRoute(page, backend, weights, set);
      const gap = worstRelativeGap(gpu.losses, wasm.losses);
      console.log(
        `${backend} (${gpu.info?.detail}): ${gpu.losses.length} batches, worst relative loss gap ` +
          `${gap.toExponential(2)}; final loss ${gpu.finalLoss.toFixed(5)} vs wasm ${wasm.finalLoss.toFixed(5)}`,
      );
      console.log(`  gpu  ${gpu.losses.map((l) => l.toFixed(6)).join(' ')}`);
      console.log(`  wasm ${wasm.losses.map((l) => l.toFixed(6)).join(' ')}`);
      expect(gpu.info?.name).toBe(backend);
      expect(gpu.losses.length).toBeGreaterThanOrEqual(6);
      expect(gap).toBeLessThan(TOLERANCE[backend]);
      expect(Math.abs(gpu.finalLoss - wasm.finalLoss) / wasm.finalLoss).toBeLessThan(
        TOLERANCE[backend],
      );

      // The same comparison flags a route whose only fault is its learning rate.
      const wrongGap = worstRelativeGap(gpu.losses, wrongRate.losses);
      console.log(
        `  against wasm with the learning rate ×1.25: worst gap ${wrongGap.toExponential(2)}`,
      );
      expect(wrongGap).toBeGreaterThan(TOLERANCE[backend] * 4);
    }, 240_000);
  }
});
