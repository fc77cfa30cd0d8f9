/**
 * Projects in the browser, on the real engine: create a project from the Projects view, ingest
 * a folder into it with the progress and the error list showing, then go back to the first
 * project from the recent list — all without restarting the server.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeImage } from '../../src-main/engine/fits';
import {
  artifactsDir,
  hasChromium,
  launchBrowser,
  realServeAvailable,
  skipReason,
  startAhunt,
  type RunningAhunt,
} from './harness';

if (!hasChromium) console.warn(skipReason);

/** A folder of small FITS cutouts plus one file that only pretends to be FITS. */
function surveyFolder(root: string, count: number): string {
  const dir = join(root, 'night-1');
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const pixels = new Float32Array(32 * 32);
    for (let p = 0; p < pixels.length; p++) pixels[p] = Math.sin(p * 0.01 * (i + 1)) + i;
    writeFileSync(
      join(dir, `cutout-${String(i).padStart(2, '0')}.fits`),
      writeImage(pixels, 32, 32),
    );
  }
  writeFileSync(join(dir, 'broken.fits'), 'this is not a FITS file');
  return dir;
}

describe.skipIf(!hasChromium || !realServeAvailable())(
  'projects: create, ingest, switch back',
  () => {
    let browser: Browser;
    let ahunt: RunningAhunt;
    let page: Page;
    let scratch: string;

    beforeAll(async () => {
      mkdirSync(artifactsDir, { recursive: true });
      scratch = mkdtempSync(join(tmpdir(), 'ahunt-projects-'));
      [browser, ahunt] = await Promise.all([launchBrowser(), startAhunt()]);
      page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      page.on('pageerror', (error) => console.error('page error:', error.message));
    });

    afterAll(async () => {
      await browser?.close();
      await ahunt?.stop();
      rmSync(scratch, { recursive: true, force: true });
    });

    const view = () => page.locator('[data-testid="app"]').getAttribute('data-view');
    const projectName = () => page.locator('[data-testid="project-name"]').textContent();

    it('creates a project, ingests into it, and reopens the first from the recent list', async () => {
      const data = surveyFolder(scratch, 12);
      await page.goto(ahunt.url);
      await page.locator('[data-testid="project-counts"]').waitFor();
      const first = await projectName();

      await page.keyboard.press('Alt+6');
      await page.locator('[data-testid="projects-view"]').waitFor();
      await expect
        .poll(() => page.locator('[data-testid="recent-project"]').first().getAttribute('data-dir'))
        .toBe(ahunt.projectDir);

      // Type where the new project goes, press Enter to list it, name the project, Enter again.
      await page.locator('[data-testid="projects-path"]').fill(scratch);
      await page.locator('[data-testid="projects-path"]').press('Enter');
      await expect
        .poll(() =>
          page.locator('[data-testid="projects-browser-entry"]').first().getAttribute('data-path'),
        )
        .toBe(data);
      await page.screenshot({ path: join(artifactsDir, 'projects.png') });
      await page.locator('[data-testid="new-project-name"]').fill('deep-field');
      await page.locator('[data-testid="new-project-name"]').press('Enter');
      await expect.poll(projectName, { timeout: 20_000 }).toBe('deep-field');
      // An empty project opens where its data goes in.
      await expect.poll(view).toBe('ingest');

      await page.locator('[data-testid="ingest-paths"]').fill(data);
      await page.locator('[data-testid="ingest-start"]').click();
      const report = page.locator('[data-testid="ingest-report"]');
      await report.waitFor({ timeout: 60_000 });
      expect(await report.textContent()).toMatch(/12 ingested, 0 skipped, 1 rejected/);
      expect(await report.locator('.errors li').textContent()).toMatch(/broken\.fits/);
      await page.locator('[data-testid="ingest-browse"]').click();
      await page.locator('[data-testid="ingest-browser"]').waitFor();
      await page.screenshot({ path: join(artifactsDir, 'ingest.png') });
      await expect
        .poll(() => page.locator('[data-testid="project-counts"]').textContent())
        .toMatch(/^12 objects/);

      await page.keyboard.press('Alt+6');
      const back = page.locator(`[data-testid="recent-project"][data-dir="${ahunt.projectDir}"]`);
      await back.click();
      await expect.poll(projectName, { timeout: 20_000 }).toBe(first);
      await expect.poll(view).toBe('round');
      await page.locator('[data-testid="cell"]').first().waitFor({ timeout: 60_000 });
      // The new project is remembered too, newest first after the one open now.
      await page.keyboard.press('Alt+6');
      await expect
        .poll(() => page.locator('[data-testid="recent-project"]').nth(1).getAttribute('data-dir'))
        .toBe(join(scratch, 'deep-field'));
    });
  },
);
