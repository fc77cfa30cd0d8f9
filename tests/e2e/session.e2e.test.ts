/**
 * The scenario, keyboard only: open the project, label a batch with digits including a
 * class created with n, undo one, finish the round with Enter, see round 2 with the new class
 * and an updated discovery curve, reload and find every label (in the page and the database).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

if (!hasChromium) console.warn(skipReason);

describe.skipIf(!hasChromium)('a whole labelling session by keyboard', () => {
  let browser: Browser;
  let ahunt: RunningAhunt;
  let page: Page;

  beforeAll(async () => {
    mkdirSync(artifactsDir, { recursive: true });
    [browser, ahunt] = await Promise.all([launchBrowser(), startAhunt()]);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));
  });

  afterAll(async () => {
    await browser?.close();
    await ahunt?.stop();
  });

  const cells = () => page.locator('[data-testid="cell"]');
  const labelled = () => page.locator('[data-testid="cell"][data-status="labelled"]');
  const shot = (name: string) => page.screenshot({ path: join(artifactsDir, `${name}.png`) });

  /** Waits until no label is in flight, then returns how many cells show a persisted label. */
  async function settledLabelCount(): Promise<number> {
    await page.waitForFunction(
      () =>
        !(globalThis as unknown as PageGlobals).document.querySelector('[data-status="pending"]'),
    );
    return labelled().count();
  }

  it('labels, creates a class, undoes, finishes the round and keeps every label', async () => {
    await page.goto(ahunt.url);
    await page.locator('[data-testid="project-counts"]').waitFor();
    // The token left the address bar (it lives in sessionStorage now).
    expect(page.url()).not.toContain('token=');
    // A fresh project has no round yet: Enter starts the first one.
    if ((await page.locator('[data-testid="no-round"]').count()) > 0) {
      await shot('no-round');
      await page.keyboard.press('Enter');
    }
    await cells().first().waitFor({ timeout: 60_000 });
    const asked = await cells().count();
    expect(asked).toBeGreaterThanOrEqual(8);
    await page.waitForSelector('[data-testid="grid"][data-drawn]');
    await shot('round');

    // Three objects as normal (0).
    for (let i = 0; i < 3; i++) await page.keyboard.press('0');
    expect(await settledLabelCount()).toBe(3);

    // A new class named on the spot labels the focused (fourth) object.
    await page.keyboard.press('n');
    const field = page.locator('[data-testid="new-class-input"]');
    await field.waitFor();
    // Digits typed into the field are text, not labels.
    await field.pressSequentially('ring 2');
    await shot('new-class');
    await page.keyboard.press('Enter');
    const ringRow = page.locator('[data-testid="class-row"][data-class-name="ring 2"]');
    await ringRow.waitFor();
    expect(await settledLabelCount()).toBe(4);
    const ringHotkey = (await ringRow
      .locator('[data-testid="class-hotkey"]')
      .textContent())!.trim();
    expect(ringHotkey).toMatch(/^[1-9]$/);

    // Its hotkey labels the next two; then one more normal.
    await page.keyboard.press(ringHotkey);
    await page.keyboard.press(ringHotkey);
    await page.keyboard.press('0');
    expect(await settledLabelCount()).toBe(7);
    await expect.poll(() => ringRow.locator('[data-testid="class-count"]').textContent()).toBe('3');

    // Undo the last label (the normal one), by keyboard.
    const lastId = await page
      .locator('[data-testid="cell"][data-status="labelled"]')
      .nth(6)
      .getAttribute('data-object-id');
    await page.keyboard.press('Control+z');
    await expect.poll(() => labelled().count()).toBe(6);
    await expect
      .poll(() =>
        page
          .locator(`[data-testid="cell"][data-object-id="${lastId}"]`)
          .getAttribute('data-status'),
      )
      .toBe('open');
    // Help overlay lists the actions.
    await page.keyboard.press('?');
    await page.locator('[data-testid="help-overlay"]').waitFor();
    expect(await page.locator('[data-testid="help-row"]').count()).toBeGreaterThan(20);
    await shot('help');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="help-overlay"]').waitFor({ state: 'detached' });

    // Enter finishes the round: training progress, then round 2 arrives.
    const roundOneIds = await cells().evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-object-id')),
    );
    const labelledIds = await labelled().evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-object-id')),
    );
    expect(labelledIds).toHaveLength(6);
    // Questions are left: Enter asks once, Esc goes back, Enter twice finishes.
    await page.keyboard.press('Enter');
    const confirm = page.locator('[data-testid="finish-confirm"]');
    await confirm.waitFor();
    expect(await confirm.textContent()).toMatch(new RegExp(`${asked - 6} of ${asked} questions`));
    await shot('finish-confirm');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await page.keyboard.press('Enter');
    await confirm.waitFor();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="training-bar"]').waitFor();
    await shot('training');
    await expect
      .poll(() => page.locator('[data-testid="round-label"]').textContent(), { timeout: 90_000 })
      .toMatch(/Round 2 · asking/);
    await cells().first().waitFor();
    const roundTwoIds = await cells().evaluateAll((els) =>
      els.map((e) => e.getAttribute('data-object-id')),
    );
    // Nothing already labelled is asked again (unanswered questions may come back).
    expect(roundTwoIds.some((id) => labelledIds.includes(id))).toBe(false);
    expect(await labelled().count()).toBe(0);
    expect(await ringRow.count()).toBe(1);
    await page.waitForSelector('[data-testid="grid"][data-drawn]');
    await shot('round-2');

    // The preview's details follow the focused object's label while focus stays on it
    // (auto-advance off): labelled, then undone.
    const autoAdvance = page.locator('[data-testid="auto-advance"]');
    await autoAdvance.uncheck();
    const objectLabel = page.locator('[data-testid="object-label"]');
    await expect.poll(() => objectLabel.textContent()).toMatch(/none yet/);
    await page.keyboard.press('0');
    await expect.poll(() => objectLabel.textContent()).toMatch(/normal/);
    await page.keyboard.press('Control+z');
    await expect.poll(() => objectLabel.textContent()).toMatch(/none yet/);
    await autoAdvance.check();

    // The discovery curve now has one point per answered question (plus the origin).
    await page.keyboard.press('Alt+2');
    const curve = page.locator('[data-testid="discovery-chart-series"]');
    await curve.waitFor();
    // Six answered questions (plus the origin), three of them anomalies.
    expect(Number(await curve.getAttribute('data-points'))).toBe(7);
    expect(Number(await curve.getAttribute('data-last-y'))).toBe(3);
    await page.locator('[data-testid="latent-map"]').waitFor();
    // A click on a point of the latent map opens that object beside the map. The points'
    // places are drawn, not in the DOM, so clicks sweep the canvas on a grid finer than the
    // 8 px pick radius; the last point hit stays open.
    const picked = page.locator('[data-testid="history-view"] [data-testid="preview"]');
    expect(await picked.count()).toBe(0);
    await page.locator('[data-testid="latent-map"]').evaluate((canvas) => {
      type Click = new (type: string, init: Record<string, unknown>) => Event;
      const MouseEvent = (globalThis as unknown as { MouseEvent: Click }).MouseEvent;
      const rect = canvas.getBoundingClientRect();
      for (let y = 0; y < rect.height; y += 5)
        for (let x = 0; x < rect.width; x += 5)
          canvas.dispatchEvent(
            new MouseEvent('click', {
              clientX: rect.left + x,
              clientY: rect.top + y,
              bubbles: true,
            }),
          );
    });
    await picked.waitFor();
    expect(Number(await picked.getAttribute('data-object-id'))).toBeGreaterThan(0);
    await shot('history');

    // Reload: the labels are all still there, in the engine and in the database.
    await page.reload();
    await page.locator('[data-testid="project-counts"]').waitFor();
    await expect
      .poll(() => page.locator('[data-testid="project-counts"]').textContent())
      .toMatch(/ 6 labelled/);
    await expect.poll(() => ringRow.locator('[data-testid="class-count"]').textContent()).toBe('3');
    // (The reloaded page found its token in sessionStorage: it could load the counts.)
    const labels: (number | null)[] = [];
    for (const id of roundOneIds) {
      type Reply = { ok: boolean; value: { labelId: number | null } };
      const reply = await callApi<Reply>(ahunt, 'object.get', { id: Number(id) });
      labels.push(reply.body.value.labelId);
    }
    expect(labels.filter((l) => l !== null)).toHaveLength(6);
    const db = new Database(join(ahunt.projectDir, 'ahunt.sqlite'), { readonly: true });
    try {
      const row = db.prepare('SELECT count(*) AS n FROM object_labels').get() as { n: number };
      expect(row.n).toBe(6);
    } finally {
      db.close();
    }

    const viewKeys = { ingest: 'Alt+3', export: 'Alt+4', settings: 'Alt+5' } as const;
    for (const [view, key] of Object.entries(viewKeys)) {
      await page.keyboard.press(key);
      await page.locator(`[data-testid="${view}-view"]`).waitFor();
      if (view === 'export') {
        // The labelled catalogue, written by the engine into the project's exports/ folder.
        await page.locator('[data-testid="export-run"]').click();
        const result = page.locator('[data-testid="export-result"]');
        await result.waitFor();
        expect(await result.textContent()).toMatch(/Wrote 6 rows to .*exports.*\.fits/);
      }
      await shot(view);
    }
  });

  it('refuses requests without the token (401) and from another origin (403)', async () => {
    const noToken = await callApi(ahunt, 'session.state', {}, {});
    expect(noToken.status).toBe(401);
    const wrongToken = await callApi(ahunt, 'session.state', {}, { authorization: 'Bearer nope' });
    expect(wrongToken.status).toBe(401);
    const events = await fetch(`${ahunt.origin}/api/events`);
    expect(events.status).toBe(401);
    await events.body?.cancel();
    const foreign = await callApi(
      ahunt,
      'session.state',
      {},
      {
        authorization: `Bearer ${ahunt.token}`,
        origin: 'http://evil.example',
      },
    );
    expect(foreign.status).toBe(403);
    const own = await callApi<{ ok: boolean }>(
      ahunt,
      'session.state',
      {},
      {
        authorization: `Bearer ${ahunt.token}`,
        origin: ahunt.origin,
      },
    );
    expect(own.status).toBe(200);
    expect(own.body.ok).toBe(true);
  });

  it('shows an engine refusal as its sentence, not a stack', async () => {
    await page.keyboard.press('Alt+1');
    await cells().first().waitFor();
    // No class has hotkey 9 in a fresh project: 9 offers to make one on that key.
    await page.keyboard.press('9');
    const prompt = page.locator('[data-testid="new-class-prompt"]');
    await prompt.waitFor();
    expect(await prompt.textContent()).toMatch(/No class is on key 9/);
    expect(await page.locator('[data-testid="toast"]').count()).toBe(0);
    // A name that is taken: the engine refuses, the renderer says so in words.
    await page.locator('[data-testid="new-class-input"]').fill('normal');
    await page.keyboard.press('Enter');
    const toast = page.locator('[data-testid="toast"]');
    await toast.waitFor();
    const text = (await toast.textContent()) ?? '';
    expect(text).toMatch(/already exists/);
    expect(text).not.toMatch(/at .*\.(ts|js):\d+/);
    // An error stays until read: Esc closes it.
    await page.keyboard.press('Escape');
    await toast.waitFor({ state: 'detached' });
  });
  it('edits the taxonomy from the sidebar and remaps a key in the help overlay', async () => {
    await page.keyboard.press('Alt+1');
    await cells().first().waitFor();
    type Classes = {
      ok: boolean;
      value: { classes: { name: string; colour: string; interest: number }[] };
    };
    const classes = async () =>
      (await callApi<Classes>(ahunt, 'session.state', {})).body.value.classes;

    // Rename by double-click.
    const ring = page.locator('[data-testid="class-row"][data-class-name="ring 2"]');
    await ring.locator('[data-testid="class-name"]').dblclick();
    const rename = ring.locator('input[type="text"]');
    await rename.fill('ring galaxy');
    await rename.press('Enter');
    const renamed = page.locator('[data-testid="class-row"][data-class-name="ring galaxy"]');
    await renamed.waitFor();

    // Recolour and ignore.
    await renamed.locator('input[type="color"]').fill('#22cc88');
    await expect
      .poll(async () => (await classes()).find((c) => c.name === 'ring galaxy')?.colour)
      .toBe('#22cc88');
    await renamed.getByRole('button', { name: 'interesting' }).click();
    await expect
      .poll(async () => (await classes()).find((c) => c.name === 'ring galaxy')?.interest)
      .toBe(0);
    await renamed.getByRole('button', { name: 'ignored' }).waitFor();

    // Merge a second class into it.
    const created = await callApi<{ ok: boolean }>(ahunt, 'class.create', { name: 'rings too' });
    expect(created.body.ok).toBe(true);
    await page.reload();
    const extra = page.locator('[data-testid="class-row"][data-class-name="rings too"]');
    await extra.waitFor();
    await extra.locator('[data-testid="merge"]').selectOption({ label: 'into ring galaxy' });
    await extra.waitFor({ state: 'detached' });
    expect((await classes()).map((c) => c.name)).not.toContain('rings too');

    // Remap "skip" to x, use it, then restore the defaults.
    await cells().first().waitFor();
    await page.keyboard.press('?');
    await page
      .locator('[data-testid="help-row"][data-action="skip"] [data-testid="rebind"]')
      .click();
    await page.keyboard.press('x');
    await expect
      .poll(() => page.locator('[data-testid="help-row"][data-action="skip"] kbd').textContent())
      .toBe('x');
    await page.keyboard.press('Escape');
    const focusedId = await page.locator('[data-testid="preview"]').getAttribute('data-object-id');
    await page.keyboard.press('x');
    await expect
      .poll(() =>
        page
          .locator(`[data-testid="cell"][data-object-id="${focusedId}"]`)
          .getAttribute('data-status'),
      )
      .toBe('skipped');
    const stored = await page.evaluate(() =>
      (globalThis as unknown as PageGlobals).localStorage.getItem('ahunt.keymap'),
    );
    expect(JSON.parse(stored!).skip).toEqual(['x']);
    await page.keyboard.press('?');
    await page.getByRole('button', { name: 'Reset to defaults' }).click();
    await page.keyboard.press('Escape');
  });
});
