/**
 * The triage view on the real engine (`ahunt serve` on the demo survey): no console error or
 * CSP violation from load to the end; the grid fills its pane at 1280×720 and 2560×1440;
 * no dead keys (an unassigned digit offers a class on that key, Enter with open questions asks
 * once); scoring shows objects scored of the total; the history table equals the database.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  artifactsDir,
  hasChromium,
  launchBrowser,
  ingestWithCli,
  skipReason,
  spawnServe,
  startAhunt,
  type RunningAhunt,
  watchedPage,
} from './harness';

if (!hasChromium) console.warn(skipReason);

interface Box {
  width: number;
  height: number;
}

describe.skipIf(!hasChromium)('the triage view on the real engine', () => {
  let browser: Browser;
  let ahunt: RunningAhunt;
  let page: Page;
  /** Every console error and uncaught exception of the page (CSP violations log as errors). */
  const problems: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    [browser, ahunt] = await Promise.all([launchBrowser(), startAhunt()]);
    page = await watchedPage(browser, problems);
  });

  afterAll(async () => {
    await browser?.close();
    await ahunt?.stop();
  });

  const cells = () => page.locator('[data-testid="cell"]');
  const shot = (name: string) => page.screenshot({ path: join(artifactsDir, `${name}.png`) });

  /** The grid's cells against the pane they live in. */
  async function gridFill(): Promise<{ pane: Box; used: Box; cell: number; rankPx: number }> {
    await page.waitForSelector('[data-testid="grid"][data-drawn]');
    return page.locator('[data-testid="grid"]').evaluate((grid) => {
      const pane = grid.parentElement!.getBoundingClientRect();
      const boxes = [...grid.querySelectorAll('[data-testid="cell"]')].map((c) =>
        c.getBoundingClientRect(),
      );
      const rank = grid.querySelector('[data-testid="cell-rank"]')!;
      type Styles = (e: unknown) => { fontSize: string };
      const style = (globalThis as unknown as { getComputedStyle: Styles }).getComputedStyle;
      return {
        pane: { width: pane.width, height: pane.height },
        used: {
          width: Math.max(...boxes.map((b) => b.right)) - Math.min(...boxes.map((b) => b.left)),
          height: Math.max(...boxes.map((b) => b.bottom)) - Math.min(...boxes.map((b) => b.top)),
        },
        cell: boxes[0]!.width,
        rankPx: parseFloat(style(rank).fontSize),
      };
    });
  }

  it('loads without a console error or CSP violation', async () => {
    await page.goto(ahunt.url);
    await page.locator('[data-testid="project-counts"]').waitFor();
    if ((await page.locator('[data-testid="no-round"]').count()) > 0) {
      await page.keyboard.press('Enter');
    }
    await cells().first().waitFor({ timeout: 90_000 });
    expect(problems).toEqual([]);
  });

  it('fills the pane with the batch at 1280×720 and at 2560×1440', async () => {
    for (const [width, height] of [
      [1280, 720],
      [2560, 1440],
    ] as const) {
      await page.setViewportSize({ width, height });
      await expect
        .poll(async () => {
          const fill = await gridFill();
          // The batch reaches across or down the pane (nothing like a third left empty) and
          // nothing is cut off.
          const reach = Math.max(
            fill.used.width / fill.pane.width,
            fill.used.height / fill.pane.height,
          );
          return (
            reach > 0.9 &&
            fill.used.width <= fill.pane.width + 1 &&
            fill.used.height <= fill.pane.height + 1
          );
        })
        .toBe(true);
      const fill = await gridFill();
      expect(fill.cell).toBeGreaterThan(width === 1280 ? 120 : 280);
      expect(fill.rankPx).toBeGreaterThanOrEqual(12);
      await shot(`triage-round-${width}x${height}`);
    }
    await page.setViewportSize({ width: 1280, height: 720 });
    // 1-band demo data: the RGB composite cannot apply, so its box is neither ticked nor live.
    const rgb = page.locator('[data-testid="display-rgb"]');
    expect(await rgb.isChecked()).toBe(false);
    expect(await rgb.isDisabled()).toBe(true);
  });

  it('the preview: histogram, contrast/bias by key and drag, pixel readout, one scale', async () => {
    await page.locator('[data-testid="preview-histogram"] rect').first().waitFor();
    const limits = page.locator('[data-testid="limits"]');
    const shown = page.locator('[data-testid="preview-limits"]');
    expect(await limits.inputValue()).toBe('sky');
    const before = await shown.textContent();
    await page.keyboard.press('Shift+ArrowRight');
    await expect.poll(() => limits.inputValue()).toBe('custom');
    await expect.poll(() => shown.textContent()).not.toBe(before);
    // A right-button drag up the preview raises the contrast: the window narrows.
    const span = async () => {
      const [lo, hi] = ((await shown.textContent()) ?? '').match(/-?[\d.]+(e-?\d+)?/g)!.map(Number);
      return hi! - lo!;
    };
    const wide = await span();
    // The demo's objects are FITS files: the preview shows each in its frame (here, its file).
    const box = (await page.locator('[data-testid="preview-frame-canvas"]').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await expect
      .poll(() => page.locator('[data-testid="preview-readout"]').textContent())
      .toMatch(/pixel \(\d+, \d+\) · value [\d.]+/);
    await page.mouse.down({ button: 'right' });
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 4, { steps: 4 });
    await page.mouse.up({ button: 'right' });
    await expect.poll(span).toBeLessThan(wide * 0.8);
    await shot('triage-preview-contrast');
    // Back to the sky limits (z cycles to them from custom); g locks one scale on the grid.
    await page.keyboard.press('z');
    await expect.poll(() => limits.inputValue()).toBe('sky');
    await page.keyboard.press('g');
    await expect.poll(() => page.locator('[data-testid="lock-scale"]').isChecked()).toBe(true);
    await page.keyboard.press('g');
    await expect.poll(() => page.locator('[data-testid="lock-scale"]').isChecked()).toBe(false);
  });

  it('an unassigned digit offers a class on that key', async () => {
    await page.keyboard.press('7');
    const prompt = page.locator('[data-testid="new-class-prompt"]');
    await prompt.waitFor();
    expect(await prompt.textContent()).toMatch(/No class is on key 7/);
    await shot('triage-new-class-on-key');
    await page.locator('[data-testid="new-class-input"]').fill('lens');
    await page.keyboard.press('Enter');
    const row = page.locator('[data-testid="class-row"][data-class-name="lens"]');
    await row.waitFor();
    expect((await row.locator('[data-testid="class-hotkey"]').textContent())!.trim()).toBe('7');
    await expect.poll(() => row.locator('[data-testid="class-count"]').textContent()).toBe('1');
    // The key now labels, and nothing was reported as an error.
    await page.keyboard.press('7');
    await expect.poll(() => row.locator('[data-testid="class-count"]').textContent()).toBe('2');
    expect(await page.locator('[data-testid="toast"]').count()).toBe(0);
  });

  it('Enter with open questions asks once; scoring shows objects scored and an ETA', async () => {
    await page.keyboard.press('0');
    await page.keyboard.press('0');
    await expect
      .poll(() => page.locator('[data-testid="cell"][data-status="labelled"]').count())
      .toBe(4);
    const asked = await cells().count();
    // Record what the progress bar says, every change, while the next round is prepared.
    await page.evaluate(() => {
      type Observer = new (callback: () => void) => {
        observe(target: unknown, options: Record<string, boolean>): void;
      };
      const g = globalThis as unknown as {
        MutationObserver: Observer;
        document: { body: unknown; querySelector(s: string): { textContent: string } | null };
        __barTexts: string[];
      };
      g.__barTexts = [];
      new g.MutationObserver(() => {
        const bar = g.document.querySelector('[data-testid="training-bar"]');
        if (bar) g.__barTexts.push(bar.textContent.replace(/\s+/g, ' '));
      }).observe(g.document.body, { childList: true, subtree: true, characterData: true });
    });
    await page.keyboard.press('Enter');
    const confirm = page.locator('[data-testid="finish-confirm"]');
    await confirm.waitFor();
    expect(await confirm.textContent()).toMatch(new RegExp(`${asked - 4} of ${asked} questions`));
    await shot('triage-finish-confirm');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="round-label"]').textContent()).toMatch(/Round 1/);
    await page.keyboard.press('Enter');
    await confirm.waitFor();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('[data-testid="round-label"]').textContent(), { timeout: 120_000 })
      .toMatch(/Round 2 · asking/);
    const texts = await page.evaluate(
      () => (globalThis as unknown as { __barTexts: string[] }).__barTexts,
    );
    const scoring = texts.filter((t) => /Scoring/.test(t));
    expect(scoring.length).toBeGreaterThan(0);
    expect(scoring.some((t) => /[\d,]+ \/ [\d,]+ objects scored/.test(t))).toBe(true);
    expect(texts.some((t) => /epoch 0\/0/.test(t))).toBe(false);
  });

  it('shows per-round history figures equal to the database', async () => {
    await cells().first().waitFor();
    await page.keyboard.press('0');
    await page.keyboard.press('Alt+2');
    const rows = page.locator('[data-testid="round-row"]');
    await expect.poll(() => rows.count()).toBe(2);
    await expect
      .poll(() =>
        page
          .locator('[data-testid="round-row"][data-round="2"] [data-col="answered"]')
          .textContent(),
      )
      .toBe('1');
    const db = new Database(join(ahunt.projectDir, 'ahunt.sqlite'), { readonly: true });
    try {
      const n = (sql: string, ...args: unknown[]) =>
        (db.prepare(sql).get(...args) as { n: number }).n;
      for (const round of [1, 2]) {
        const row = page.locator(`[data-testid="round-row"][data-round="${round}"]`);
        const cell = async (col: string) =>
          Number(await row.locator(`[data-col="${col}"]`).textContent());
        const asked = n('SELECT count(*) AS n FROM questions WHERE round = ?', round);
        // Labels standing on this round's questions, given in this round.
        const answered = n(
          `SELECT count(*) AS n FROM questions q WHERE q.round = ? AND EXISTS (
             SELECT 1 FROM label_history e WHERE e.object_id = q.object_id AND e.kind = 'label'
               AND e.undone_by IS NULL AND e.round = q.round)`,
          round,
        );
        expect(await cell('asked')).toBe(asked);
        expect(await cell('answered')).toBe(answered);
        expect(await cell('skipped')).toBe(asked - answered);
        expect(await cell('reasked')).toBe(
          n(
            `SELECT count(*) AS n FROM questions q WHERE q.round = ? AND EXISTS
               (SELECT 1 FROM questions p WHERE p.object_id = q.object_id AND p.round < q.round)`,
            round,
          ),
        );
      }
      const labelled = n('SELECT count(*) AS n FROM object_labels');
      const totals = (await page.locator('[data-testid="history-totals"]').textContent()) ?? '';
      expect(totals).toMatch(new RegExp(`^\\s*${labelled} labelled objects`));
      const curve = page.locator('[data-testid="discovery-chart-series"]');
      // One point per answered question plus the origin: every label here answered one.
      expect(Number(await curve.getAttribute('data-points'))).toBe(labelled + 1);
      expect(Number(await curve.getAttribute('data-last-y'))).toBe(
        n(
          `SELECT count(*) AS n FROM object_labels l JOIN classes c ON c.id = l.class_id
           WHERE c.kind = 'anomaly'`,
        ),
      );
    } finally {
      db.close();
    }
    await shot('triage-history-1280x720');
    await page.setViewportSize({ width: 2560, height: 1440 });
    await shot('triage-history-2560x1440');
    await page.setViewportSize({ width: 1280, height: 720 });
  });

  it('logged no console error or CSP violation through the whole session', () => {
    expect(problems).toEqual([]);
  });
});

describe.skipIf(!hasChromium)('the original of a JPEG cutout', () => {
  let browser: Browser;
  let serve: Awaited<ReturnType<typeof spawnServe>>;
  let home: string;

  beforeAll(async () => {
    // A small JPEG survey made here (no data set needed): 300×200 px files, 64-px tensors.
    home = mkdtempSync(join(tmpdir(), 'ahunt-jpeg-'));
    const images = join(home, 'images');
    mkdirSync(images);
    for (let i = 0; i < 20; i++) {
      const pixels = Buffer.alloc(300 * 200 * 3, 20 + 10 * i);
      await sharp(pixels, { raw: { width: 300, height: 200, channels: 3 } })
        .jpeg()
        .toFile(join(images, `g${i}.jpeg`));
    }
    expect(ingestWithCli(join(home, 'project'), [images], home)).toBeNull();
    [browser, serve] = await Promise.all([
      launchBrowser(),
      spawnServe(join(home, 'project'), 'jpeg-token-for-the-original', { AHUNT_HOME: home }),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('is shown at its native size; o shows the 64-px tensor the model sees instead', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(serve.url);
    await page.locator('[data-testid="project-counts"]').waitFor();
    if ((await page.locator('[data-testid="no-round"]').count()) > 0) {
      await page.keyboard.press('Enter');
    }
    await page.locator('[data-testid="cell"]').first().waitFor({ timeout: 90_000 });
    const original = page.locator('[data-testid="preview-original"]');
    await original.waitFor();
    const natural = await original.evaluate((img) => [
      (img as unknown as { naturalWidth: number }).naturalWidth,
      (img as unknown as { naturalHeight: number }).naturalHeight,
    ]);
    expect(natural).toEqual([300, 200]);
    expect(await page.locator('[data-testid="preview-readout"]').textContent()).toMatch(
      /original JPEG 300×200 px \(the model sees 64×64\)/,
    );
    await page.screenshot({ path: join(artifactsDir, 'triage-jpeg-original.png') });
    await page.keyboard.press('o');
    await original.waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="preview-canvas"]').isVisible()).toBe(true);
    expect(problems).toEqual([]);
  });
});
