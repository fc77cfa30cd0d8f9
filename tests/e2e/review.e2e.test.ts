/**
 * Review and correct on the real engine (`ahunt serve` on the demo survey): a class's gallery
 * on G + digit, relabelled by key; a note and the uncertain flag from the details pane; the
 * search box (/) with its uncertain filter; Esc back to the round. No console error or CSP
 * violation throughout. Screenshots of the gallery and the search at 1280×720 and 2560×1440
 * go to tests/e2e/artifacts.
 */
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassView, FoundObject, ObjectView } from '../../src-main/contract/contract';
import {
  artifactsDir,
  callApi,
  hasChromium,
  launchBrowser,
  skipReason,
  startAhunt,
  type RunningAhunt,
  watchedPage,
} from './harness';

if (!hasChromium) console.warn(skipReason);

describe.skipIf(!hasChromium)('review and correct on the real engine', () => {
  let browser: Browser;
  let ahunt: RunningAhunt;
  let page: Page;
  const problems: string[] = [];
  let spiral: ClassView;
  let artefact: ClassView;
  /** The objects labelled "spiral arm", in the order they were labelled. */
  const labelled: number[] = [];

  beforeAll(async () => {
    [browser, ahunt] = await Promise.all([launchBrowser(), startAhunt()]);
    page = await watchedPage(browser, problems);
  });

  afterAll(async () => {
    await browser?.close();
    await ahunt?.stop();
  });

  const cells = () => page.locator('[data-testid="cell"]');
  const api = async <T>(method: string, input: unknown): Promise<T> => {
    const { body } = await callApi<{ ok: boolean; value: T }>(ahunt, method, input);
    expect(body.ok, `${method} ${JSON.stringify(body)}`).toBe(true);
    return body.value;
  };
  /** Both sizes the issue names, one screenshot each. */
  async function shots(name: string): Promise<void> {
    for (const [width, height] of [
      [1280, 720],
      [2560, 1440],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.waitForSelector('[data-testid="grid"][data-drawn]');
      await page.screenshot({ path: join(artifactsDir, `${name}-${width}x${height}.png`) });
    }
    await page.setViewportSize({ width: 1280, height: 720 });
  }

  it('labels three objects of a new class in the round', async () => {
    spiral = await api<ClassView>('class.create', { name: 'spiral arm', kind: 'anomaly' });
    artefact = await api<ClassView>('class.create', { name: 'artefact', kind: 'anomaly' });
    expect(spiral.hotkey).toMatch(/^[1-9]$/);
    expect(artefact.hotkey).toMatch(/^[1-9]$/);
    await page.goto(ahunt.url);
    await page.locator('[data-testid="project-counts"]').waitFor();
    if ((await page.locator('[data-testid="no-round"]').count()) > 0) {
      await page.keyboard.press('Enter');
    }
    await cells().first().waitFor({ timeout: 90_000 });
    await page.waitForSelector('[data-testid="grid"][data-drawn]');
    for (let i = 0; i < 3; i++) {
      const focused = page.locator('[data-testid="cell"].focused');
      labelled.push(Number(await focused.getAttribute('data-object-id')));
      await page.keyboard.press(spiral.hotkey!);
      await expect
        .poll(() =>
          page
            .locator(`[data-testid="cell"][data-object-id="${labelled.at(-1)}"]`)
            .getAttribute('data-label-id'),
        )
        .toBe(String(spiral.id));
    }
  });

  it('G + digit shows the gallery newest first; a digit there relabels', async () => {
    await page.keyboard.press('G');
    await page.locator('[data-testid="gallery-prompt"]').waitFor();
    await page.keyboard.press(spiral.hotkey!);
    await expect
      .poll(() => page.locator('[data-testid="batch-title"]').textContent())
      .toBe('Gallery: spiral arm, newest label first');
    await expect.poll(() => cells().count()).toBe(3);
    const order = await cells().evaluateAll((all) =>
      all.map((c) => Number(c.getAttribute('data-object-id'))),
    );
    expect(order).toEqual([...labelled].reverse());
    await shots('review-gallery');
    // The newest is focused: its digit for "artefact" moves it to that class.
    await page.keyboard.press(artefact.hotkey!);
    await expect
      .poll(() => cells().first().getAttribute('data-label-id'))
      .toBe(String(artefact.id));
    const found = await api<{ total: number; items: FoundObject[] }>('objects.find', {
      classId: artefact.id,
    });
    expect(found.items.map((i) => i.objectId)).toEqual([labelled[2]]);
    expect((await api<{ total: number }>('objects.find', { classId: spiral.id })).total).toBe(2);
  });

  it('u flags the focused object uncertain, e writes its note; both reach the engine', async () => {
    // The relabel moved the focus on to the second cell (the middle label).
    const target = labelled[1]!;
    await expect
      .poll(() => page.locator('[data-testid="object-id"]').textContent())
      .toContain(String(target));
    await page.keyboard.press('u');
    await expect.poll(() => page.locator('[data-testid="uncertain"]').isChecked()).toBe(true);
    // The cell is marked too; and a gallery's cell was asked by nobody: no "asked because".
    await expect
      .poll(() =>
        page
          .locator(`[data-testid="cell"][data-object-id="${target}"]`)
          .getAttribute('data-uncertain'),
      )
      .toBe('true');
    expect(await page.locator('[data-testid="why"]').count()).toBe(0);
    await page.keyboard.press('e');
    await expect
      .poll(() =>
        page.evaluate(() => {
          type Active = { activeElement: { getAttribute(n: string): string | null } | null };
          const doc = (globalThis as unknown as { document: Active }).document;
          return doc.activeElement?.getAttribute('data-testid') ?? null;
        }),
      )
      .toBe('note');
    await page.keyboard.type('two arms, one faint; check the deeper frame');
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => (await api<ObjectView>('object.get', { id: target })).note)
      .toBe('two arms, one faint; check the deeper frame');
    expect((await api<ObjectView>('object.get', { id: target })).uncertain).toBe(true);
    // Esc: back to the round, as it was.
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="batch-bar"]').waitFor({ state: 'detached' });
    await expect.poll(() => cells().count()).toBeGreaterThan(3);
  });

  it('/ searches the notes; the uncertain filter finds the flagged object', async () => {
    await page.keyboard.press('/');
    const box = page.locator('[data-testid="search-text"]');
    await box.waitFor();
    await box.fill('FAINT');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('[data-testid="batch-title"]').textContent())
      .toBe('Search: “FAINT”');
    await expect.poll(() => cells().count()).toBe(1);
    expect(await cells().first().getAttribute('data-object-id')).toBe(String(labelled[1]));
    await expect
      .poll(() => page.locator('[data-testid="note"]').inputValue())
      .toBe('two arms, one faint; check the deeper frame');
    await shots('review-search');
    // Everything reviewed that is uncertain: the same one object.
    await page.keyboard.press('/');
    await box.fill('');
    await page.locator('[data-testid="search-uncertain"]').check();
    await page.locator('[data-testid="search-go"]').click();
    await expect
      .poll(() => page.locator('[data-testid="batch-title"]').textContent())
      .toBe('Search: every reviewed object, uncertain only');
    await expect.poll(() => cells().count()).toBe(1);
    expect(await cells().first().getAttribute('data-uncertain')).toBe('true');
    await shots('review-uncertain');
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="batch-bar"]').waitFor({ state: 'detached' });
    // Back in the round, the focused question says why the model asked it.
    await expect.poll(() => page.locator('[data-testid="why"]').count()).toBe(1);
  });

  it('the taxonomy count opens the gallery too; no console error or CSP violation', async () => {
    await page
      .locator(
        `[data-testid="class-row"][data-class-id="${artefact.id}"] [data-testid="class-count"]`,
      )
      .click();
    await expect
      .poll(() => page.locator('[data-testid="batch-title"]').textContent())
      .toBe('Gallery: artefact, newest label first');
    await expect.poll(() => cells().count()).toBe(1);
    expect(problems).toEqual([]);
  });

  it('m after a trained round: the focused object and its neighbours as a batch', async () => {
    await page.keyboard.press('Escape');
    await page.locator('[data-testid="batch-bar"]').waitFor({ state: 'detached' });
    // Finish round 1 (Enter asks once about the open questions) and wait for round 2.
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="finish-confirm"]').waitFor();
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.locator('[data-testid="round-label"]').textContent(), { timeout: 240_000 })
      .toMatch(/Round 2 · asking/);
    await page.waitForSelector('[data-testid="grid"][data-drawn]');
    const focused = await page
      .locator('[data-testid="cell"].focused')
      .getAttribute('data-object-id');
    await page.keyboard.press('m');
    await expect
      .poll(() => page.locator('[data-testid="batch-title"]').textContent())
      .toMatch(new RegExp(`^More like object ${focused} \\(exact, \\d+ objects compared\\)$`));
    await expect.poll(() => cells().count()).toBe(64);
    expect(await cells().first().getAttribute('data-object-id')).toBe(focused);
    await shots('review-more-like-this');
    expect(problems).toEqual([]);
  }, 300_000);
});
