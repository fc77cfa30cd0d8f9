/**
 * `ahunt bench train`'s GPU route line: the desktop app trains on WebGPU/WebGL in a hidden
 * window (learn/gpu-page/). From the command line the same page runs in Debian's headless
 * Chromium: where it finds a hardware adapter, the page trains the benchmark's network and
 * its img/s are reported beside the default backend's; where it finds only a software one
 * (SwiftShader: a CPU emulation), or no Chromium at all, the line says so and times nothing.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildGpuPage } from '../../../scripts/build-gpu-page';
import { PORT_HANDOVER } from '../../engine/learn/gpu-page/port';
import { isSoftwareAdapter } from '../../engine/learn/gpu-page/software-adapter';
import { openGpuPageCalls, type GpuPageCalls } from './gpu-page-calls';

const CHROMIUM = '/usr/bin/chromium';
/** WebGPU where the browser allows it; no SwiftShader flags: a real adapter or nothing. */
const GPU_FLAGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--ignore-gpu-blocklist',
  '--disable-background-networking',
];

export interface GpuRouteBench {
  /** The route and its adapter, or why it was not timed. */
  gpu_route: string;
  gpu_route_img_per_s: number | null;
}

interface Shape {
  size: number;
  bands: number;
  batchSize: number;
  images: number;
}

interface PageRun {
  backend: string;
  detail: string;
  imagesPerSecond: number | null;
}

type Playwright = typeof import('playwright-core');

/**
 * Runs inside the page (after openGpuPageCalls): init on 'auto', then timed training calls, as
 * the engine makes them.
 */
async function trainInPage(a: Shape & { seconds: number; timeIt: boolean }): Promise<PageRun> {
  const call = (globalThis as unknown as GpuPageCalls).gpuPageCall;
  const { info } = await call({
    kind: 'init',
    backend: 'auto',
    model: { size: a.size, bands: a.bands, classes: 3 },
  });
  if (!a.timeIt) return { backend: info.name, detail: info.detail, imagesPerSecond: null };
  const batch = (count: number) => ({
    images: {
      data: Float32Array.from({ length: count * a.size * a.size * a.bands }, Math.random),
      count,
      size: a.size,
      bands: a.bands,
    },
    labels: Int32Array.from({ length: count }, (_, i) => i % 2),
    layout: { count: 3, reserve: 2 },
    opts: {
      epochs: 1,
      batchSize: a.batchSize,
      balance: true,
      augment: 'flips-rot90' as const,
      loss: 'crossentropy' as const,
      hardExamples: false,
      seed: 1,
    },
  });
  await call({ kind: 'train', ...batch(2 * a.batchSize) });
  const work = batch(a.images);
  let images = 0;
  let seconds = 0;
  while (seconds < a.seconds) {
    const done = await call({ kind: 'train', ...work });
    images += done.images;
    seconds += done.seconds;
  }
  return { backend: info.name, detail: info.detail, imagesPerSecond: images / seconds };
}

/**
 * `timeSoftware` times a software adapter too (SwiftShader): for checking this code on a
 * machine without a GPU, never a figure to quote.
 */
export async function benchGpuRoute(
  shape: Shape,
  seconds: number,
  { timeSoftware = false } = {},
): Promise<GpuRouteBench> {
  const untimed = (why: string): GpuRouteBench => ({ gpu_route: why, gpu_route_img_per_s: null });
  if (!existsSync(CHROMIUM)) {
    return untimed(`not timed: no ${CHROMIUM} to host the GPU page (the desktop app has its own)`);
  }
  let playwright: Playwright;
  try {
    playwright = await import('playwright-core');
  } catch {
    return untimed('not timed: playwright-core (a development dependency) is not installed');
  }
  const dir = mkdtempSync(join(tmpdir(), 'ahunt-gpu-page-'));
  const browser = await playwright.chromium.launch({ executablePath: CHROMIUM, args: GPU_FLAGS });
  try {
    // Under tsx (the CLI), esbuild's keepNames wraps functions in __name(), which the page
    // lacks when trainInPage's source is sent to it: define it there as the identity.
    const context = await browser.newContext();
    await context.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    const page = await context.newPage();
    // file:// is a secure context, which WebGPU requires.
    await page.goto(`file://${await buildGpuPage(dir)}`);
    await page.evaluate(openGpuPageCalls, PORT_HANDOVER);
    const found = await page.evaluate(trainInPage, { ...shape, seconds, timeIt: false });
    if (isSoftwareAdapter(found.detail) && !timeSoftware) {
      return untimed(
        `not timed: no GPU on this machine, Chromium found only a software adapter (${found.backend}: ${found.detail})`,
      );
    }
    const page2 = await context.newPage();
    await page2.goto(`file://${join(dir, 'index.html')}`);
    await page2.evaluate(openGpuPageCalls, PORT_HANDOVER);
    const run = await page2.evaluate(trainInPage, { ...shape, seconds, timeIt: true });
    return {
      gpu_route: `${run.backend}: ${run.detail} (headless Chromium, as in the desktop app's GPU window)`,
      gpu_route_img_per_s: run.imagesPerSecond,
    };
  } catch (error) {
    return untimed(`not timed: the GPU page failed (${(error as Error).message.split('\n')[0]})`);
  } finally {
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
