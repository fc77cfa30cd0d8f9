/**
 * Timings measured in the page (performance.now, window.__ahuntMetrics) on a 64-question round:
 * the 64-cell grid drawn ≤ 200 ms, a stretch change redrawn ≤ 100 ms without any engine
 * request, and the keyboard: keydown → label in the DOM ("shown": the next frame paints it)
 * and keydown → the engine's reply that it is stored ("persisted"), both p95 ≤ 16 ms — on a
 * quiet machine and with two CPU-bound processes beside the app ("hogs"), measured in
 * alternating blocks of the same run. The 16 ms budget is enforced with AHUNT_PERF_STRICT=1
 * (or AHUNT_E2E_STRICT=1); by default a looser bound keeps a shared CI box from flaking.
 * Figures: tests/e2e/artifacts/perf.json.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { SessionState } from '../../src-main/contract/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Metrics, percentile } from '../../src-renderer/state/metrics';
import {
  artifactsDir,
  callApi,
  hasChromium,
  launchBrowser,
  type PageGlobals,
  skipReason,
  startAhunt,
  type RunningAhunt,
} from './harness';
import { keepRequestTimings, requestHops, type RequestHops } from './request-hops';

if (!hasChromium) console.warn(skipReason);

type StateReply = { ok: boolean; value: SessionState };

const strict = process.env.AHUNT_PERF_STRICT === '1' || process.env.AHUNT_E2E_STRICT === '1';
const modes = ['quiet', 'hogs'] as const;
type Mode = (typeof modes)[number];
/** 2 × 2 blocks of 15 labels: 60 of the round's 64 questions, each labelled once. */
const BLOCKS_PER_MODE = 2;
const LABELS_PER_BLOCK = 15;
const KEY_INTERVAL_MS = 150;

const labelKeys = [
  'labelShownMs',
  'labelFrameMs',
  'labelPersistedMs',
  'labelMs',
  'labelRequestMs',
] as const;
type LabelSamples = Pick<Metrics, (typeof labelKeys)[number]>;
const emptySamples = (): LabelSamples =>
  Object.fromEntries(labelKeys.map((k) => [k, []])) as unknown as LabelSamples;

function spread(samples: number[]) {
  const round = (x: number) => Math.round(x * 10) / 10;
  return {
    p50: round(percentile(samples, 0.5)),
    p95: round(percentile(samples, 0.95)),
    max: round(Math.max(...samples)),
  };
}

function summary(samples: LabelSamples, loads: string[]) {
  return {
    labels: samples.labelMs.length,
    loadAvg: loads,
    shown: spread(samples.labelShownMs),
    frame: spread(samples.labelFrameMs),
    persisted: spread(samples.labelPersistedMs),
    shownAndPersisted: spread(samples.labelMs),
    request: spread(samples.labelRequestMs),
  };
}

/**
 * Each hop's spread over a mode's labels (`engine` is part of `server`), and `page`: the
 * request as the page timed it less the browser's view of it, i.e. from the reply's last byte
 * to the code that awaited it running (labels and their requests are in the same order).
 */
function hopSpreads(hops: RequestHops[], requestMs: number[]) {
  const keys = ['queue', 'wire', 'server', 'engine', 'body'] as const;
  const page = hops.map((h, i) => (requestMs[i] ?? NaN) - h.total);
  return {
    ...(Object.fromEntries(keys.map((k) => [k, spread(hops.map((h) => h[k]))])) as Record<
      (typeof keys)[number],
      ReturnType<typeof spread>
    >),
    page: spread(page),
  };
}

/** The machine's load (1, 5, 15 min) beside each block: other jobs change what a figure means. */
const loadAverage = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

/** Two CPU-bound processes (as many as this machine has cores) beside the app while they live. */
let hogs: ChildProcess[] = [];
async function startHogs(): Promise<void> {
  hogs = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  await Promise.all(hogs.map((hog) => new Promise((resolve) => hog.once('spawn', resolve))));
  // Let them reach full speed before the first key.
  await new Promise((resolve) => setTimeout(resolve, 300));
}
function stopHogs(): void {
  for (const hog of hogs) hog.kill('SIGKILL');
  hogs = [];
}

/**
 * A round with 64 questions. A project whose round already started with the old Q gets one
 * answer and is finished: the next round is asked with Q = 64.
 */
async function askSixtyFour(ahunt: RunningAhunt): Promise<void> {
  let finished = false;
  let state: SessionState | null = null;
  const deadline = Date.now() + 100_000;
  while (Date.now() < deadline) {
    state = (await callApi<StateReply>(ahunt, 'session.state', {})).body.value;
    if (state.round?.phase === 'asking' && state.questions.length === 64) return;
    if (!state.round) {
      await callApi(ahunt, 'round.start', {});
    } else if (state.round.phase === 'asking' && state.questions.length > 0 && !finished) {
      const normal = state.classes.find((c) => c.kind === 'normal')!;
      await callApi(ahunt, 'label.set', {
        objectId: state.questions[0]!.objectId,
        classId: normal.id,
      });
      const reply = await callApi<{ ok: boolean }>(ahunt, 'round.finish', {});
      expect(reply.body.ok).toBe(true);
      finished = true;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`No 64-question round within 100 s (have ${state?.questions.length}).`);
}

describe.skipIf(!hasChromium)('renderer performance', () => {
  let browser: Browser;
  let ahunt: RunningAhunt;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    [browser, ahunt] = await Promise.all([launchBrowser(), startAhunt()]);
    const set = await callApi<{ ok: boolean }>(ahunt, 'settings.set', { queries: 64 });
    expect(set.body.ok).toBe(true);
    await askSixtyFour(ahunt);
    page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  });

  afterAll(async () => {
    stopHogs();
    await browser?.close();
    await ahunt?.stop();
  });

  const metrics = (p: Page) =>
    p.evaluate(() => structuredClone((globalThis as unknown as PageGlobals).__ahuntMetrics));
  const drawn = (p: Page) => p.locator('[data-testid="grid"]').getAttribute('data-drawn');

  it('meets the keyboard and drawing budgets, quiet and beside two CPU hogs', async () => {
    await page.goto(ahunt.url);
    await keepRequestTimings(page);
    await page.locator('[data-testid="cell"]').first().waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="cell"]').count()).toBe(64);
    await page.waitForSelector('[data-testid="grid"][data-drawn]');
    // The page's own start-up requests are over once the preview shows the focused object's
    // frame (the last of them): background requests share three connections, so some of them
    // may leave later than the grid is drawn.
    await page.locator('[data-testid="preview-frame"]').waitFor({ timeout: 30_000 });

    // Stretch changes: every cell redrawn from cached pixels, no request to the engine.
    const apiRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/')) apiRequests.push(request.url());
    });
    for (let i = 0; i < 40; i++) {
      const before = await drawn(page);
      await page.keyboard.press(i % 3 === 2 ? '[' : ']');
      await page.waitForFunction(
        (previous) =>
          (globalThis as unknown as PageGlobals).document
            .querySelector('[data-testid="grid"]')
            ?.getAttribute('data-drawn') !== previous,
        before,
      );
    }
    expect(apiRequests, 'requests sent during the stretch changes').toEqual([]);
    const m0 = await metrics(page);

    const drawing = {
      gridFirstDrawMs: m0.gridRenderMs[0]!,
      gridFirstLoadMs: m0.gridLoadMs[0]!,
      restretchP50: percentile(m0.restretchMs, 0.5),
      restretchP95: percentile(m0.restretchMs, 0.95),
      restretchMax: Math.max(...m0.restretchMs),
    };

    // Labels as a fast expert types them, in blocks that alternate a quiet machine with two
    // CPU hogs beside the app, so both modes see the same drift in the machine's own load.
    const samples: Record<Mode, LabelSamples> = { quiet: emptySamples(), hogs: emptySamples() };
    const loads: Record<Mode, string[]> = { quiet: [], hogs: [] };
    // Where each label.set's time went (request-hops.ts): the browser's queue, the way there
    // and back, the server and the engine in it.
    const hops: Record<Mode, RequestHops[]> = { quiet: [], hogs: [] };
    for (let block = 0; block < 2 * BLOCKS_PER_MODE; block++) {
      const mode: Mode = block % 2 === 0 ? 'quiet' : 'hogs';
      if (mode === 'hogs') await startHogs();
      loads[mode].push(loadAverage());
      const before = await metrics(page);
      const sentBefore = (await requestHops(page, 'label.set')).length;
      for (let i = 0; i < LABELS_PER_BLOCK; i++) {
        await page.keyboard.press('0');
        await page.waitForFunction(
          () =>
            !(globalThis as unknown as PageGlobals).document.querySelector(
              '[data-status="pending"]',
            ),
        );
        // An expert's pace, slower than the preview's settle time: the focused object's
        // details and image are fetched between keys, so labels meet those requests.
        await page.waitForTimeout(KEY_INTERVAL_MS);
      }
      stopHogs();
      hops[mode].push(...(await requestHops(page, 'label.set')).slice(sentBefore));
      const after = await metrics(page);
      for (const key of labelKeys) samples[mode][key].push(...after[key].slice(before[key].length));
    }
    await page.screenshot({ path: join(artifactsDir, 'perf-64.png') });

    const report = {
      machine: `${cpus().length} cores`,
      drawing,
      quiet: {
        ...summary(samples.quiet, loads.quiet),
        ...hopSpreads(hops.quiet, samples.quiet.labelRequestMs),
      },
      hogs: {
        ...summary(samples.hogs, loads.hogs),
        ...hopSpreads(hops.hogs, samples.hogs.labelRequestMs),
      },
    };
    writeFileSync(join(artifactsDir, 'perf.json'), JSON.stringify({ report, samples }, null, 2));
    console.log('renderer timings (ms):', JSON.stringify(report, null, 1));

    const labels = BLOCKS_PER_MODE * LABELS_PER_BLOCK;
    for (const mode of modes) {
      expect(samples[mode].labelMs).toHaveLength(labels);
      // One label.set per label, in order: `page` pairs them.
      expect(hops[mode]).toHaveLength(labels);
      expect(samples[mode].labelShownMs).toHaveLength(labels);
      expect(samples[mode].labelPersistedMs).toHaveLength(labels);
    }
    expect(m0.restretchMs.length).toBeGreaterThanOrEqual(40);
    // Drawing budgets (64-cell grid ≤ 200 ms, restretch p95 ≤ 100 ms) hold on a quiet machine;
    // a shared 2-core CI box adds tens of ms of scheduling noise, so by default they are
    // enforced with 3× headroom (still catching regressions such as a grid redraw per label).
    const slack = strict ? 1 : 3;
    expect(drawing.gridFirstDrawMs).toBeLessThanOrEqual(200 * slack);
    expect(drawing.restretchP95).toBeLessThanOrEqual(100 * slack);
    // The keyboard: shown and persisted within one frame (16 ms) at p95, even beside two CPU
    // hogs, with AHUNT_PERF_STRICT=1. By default a bound that a regression (a label queued
    // behind a redraw, a request or an event) still breaks, but a busy CI box does not.
    for (const mode of modes) {
      const figures = report[mode];
      if (strict) {
        expect(figures.shown.p95, `${mode}: keydown → label in the DOM`).toBeLessThanOrEqual(16);
        expect(figures.persisted.p95, `${mode}: keydown → stored`).toBeLessThanOrEqual(16);
      } else {
        expect(figures.shown.p95, `${mode}: keydown → label in the DOM`).toBeLessThanOrEqual(100);
        expect(figures.persisted.p95, `${mode}: keydown → stored`).toBeLessThanOrEqual(400);
      }
    }
  });
});
