/**
 * Takes every screenshot the README shows, at 1280×720 and 2560×1440, from the repository and
 * the shared data alone: a real `ahunt serve` and headless Chromium on
 *   - the built-in demo survey: the round view (a few labels typed, one new class), the
 *     history after a second round, Settings, and the Projects view;
 *   - a Galaxy Zoo project (a few hundred of the shared galaxyzoo1 JPEGs): the preview showing
 *     the 423-px original;
 *   - a FITS project (the shared HorseHead plate and the 2MASS J/H/K set): a cutout in its
 *     parent frame, zoomed, with the pixel and RA/Dec readout.
 * Written to docs/<view>-<width>x<height>.png as palette PNGs (a fraction of the bytes of a
 * full-colour one, no visible difference on these flat UI colours).
 * Run: npm run screenshots (needs chromium and ../shared/datasets).
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { createProject } from '../src-main/engine/store';
import { buildRenderer } from '../tests/e2e/global-setup';
import {
  callApi,
  hasChromium,
  launchBrowser,
  type PageGlobals,
  ingestWithCli,
  repoRoot,
  skipReason,
  spawnServe,
} from '../tests/e2e/harness';
import { datasetsDir } from '../tests/shared-datasets';

const sizes = [
  { width: 1280, height: 720 },
  { width: 2560, height: 1440 },
] as const;
const docs = join(repoRoot, 'docs');

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

if (!hasChromium) fail(skipReason);
for (const needed of ['fits/HorseHead.fits', 'galaxyzoo1/labels.csv']) {
  if (!existsSync(join(datasetsDir, needed)))
    fail(`${join(datasetsDir, needed)} is missing: the screenshots need ../shared/datasets.`);
}

/** Both sizes of the page as it is now, as docs/<name>-<w>x<h>.png. */
async function shoot(page: Page, name: string, settle?: () => Promise<void>): Promise<void> {
  for (const size of sizes) {
    await page.setViewportSize(size);
    await page.waitForTimeout(400);
    if (settle) await settle();
    const png = await page.screenshot();
    const out = join(docs, `${name}-${size.width}x${size.height}.png`);
    writeFileSync(
      out,
      await sharp(png).png({ palette: true, quality: 95, compressionLevel: 9 }).toBuffer(),
    );
    console.log(`Saved ${out}.`);
  }
  await page.setViewportSize(sizes[0]);
}

/** u on the focused cell: its grid cell shows the uncertain marker in the shot. */
async function flagUncertain(page: Page): Promise<void> {
  await page.keyboard.press('u');
  await page.locator('[data-testid="cell-uncertain"]').waitFor();
}

/** Starts the first round where the project has none, and waits for its batch. */
async function openRound(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('[data-testid="project-counts"]').waitFor();
  if ((await page.locator('[data-testid="no-round"]').count()) > 0)
    await page.keyboard.press('Enter');
  await page.locator('[data-testid="cell"]').first().waitFor({ timeout: 120_000 });
  await page.waitForSelector('[data-testid="grid"][data-drawn]');
}

const settled = (page: Page) => () =>
  page
    .waitForFunction(
      () =>
        !(globalThis as unknown as PageGlobals).document.querySelector('[data-status="pending"]'),
    )
    .then(() => undefined);

/** `ahunt ingest` as a user runs it. */
function ingest(project: string, paths: string[], home: string): void {
  const problem = ingestWithCli(project, paths, home);
  if (problem) fail(problem);
}

async function demoViews(browser: Browser, home: string): Promise<void> {
  // The demo made afresh under the temporary home, so no path of this checkout shows.
  const token = 'screenshots-demo-token';
  const serve = await spawnServe(null, token, { AHUNT_HOME: home });
  const ahunt = { ...serve, origin: new URL(serve.url).origin, token, projectDir: serve.dir };
  try {
    const page = await browser.newPage({ viewport: sizes[0] });
    await openRound(page, ahunt.url);
    for (const key of ['0', '0', '0']) await page.keyboard.press(key);
    await settled(page)();
    await page.keyboard.press('n');
    await page.locator('[data-testid="new-class-input"]').pressSequentially('merger');
    await page.keyboard.press('Enter');
    const row = page.locator('[data-testid="class-row"][data-class-name="merger"]');
    await row.waitFor();
    const hotkey = (await row.locator('[data-testid="class-hotkey"]').textContent())!.trim();
    for (const key of ['0', hotkey, '0', '0']) await page.keyboard.press(key);
    await settled(page)();
    await page.waitForSelector('[data-testid="object-id"]');
    await shoot(page, 'round', settled(page));

    // A second round, then the history of both.
    await page.keyboard.press('Enter');
    await page.locator('[data-testid="finish-confirm"]').waitFor();
    await page.keyboard.press('Enter');
    await page
      .locator('[data-testid="round-label"]')
      .filter({ hasText: /Round 2 · asking/ })
      .waitFor({ timeout: 180_000 });
    for (const key of ['0', hotkey, '0']) await page.keyboard.press(key);
    await settled(page)();
    await page.keyboard.press('Alt+2');
    await page.locator('[data-testid="round-row"]').nth(1).waitFor();
    await shoot(page, 'history');

    // Settings: the hunt's knobs (warm start among them) and the compute route in use.
    await page.keyboard.press('Alt+5');
    await page.locator('[data-testid="settings-view"]').waitFor();
    await shoot(page, 'settings');

    // Projects: this one and a second, and a folder of raw frames to browse.
    const second = join(home, 'deep-field-2027');
    createProject(second, { name: 'deep-field-2027' }).close();
    mkdirSync(join(home, 'raw-frames', 'night-01'), { recursive: true });
    await callApi(ahunt, 'project.open', { dir: second });
    await callApi(ahunt, 'project.open', { dir: ahunt.projectDir });
    await page.keyboard.press('Alt+1');
    await page.locator('[data-testid="cell"]').first().waitFor({ timeout: 90_000 });
    // The reopened project's event can arrive after the key and bring the round view back:
    // ask again until the Projects view stays.
    for (let tries = 0; tries < 10; tries++) {
      await page.keyboard.press('Alt+6');
      await page.waitForTimeout(500);
      if (await page.locator('[data-testid="projects-view"]').isVisible()) break;
    }
    await page.locator('[data-testid="projects-path"]').fill(home);
    await page.locator('[data-testid="projects-path"]').press('Enter');
    await page.locator('[data-testid="projects-browser-entry"]').nth(2).waitFor();
    await page.locator('[data-testid="new-project-name"]').fill('m31-halo');
    await shoot(page, 'projects');
  } finally {
    await ahunt.stop();
  }
}

/**
 * Every 25th Galaxy Zoo object and the first 40 mergers: a few hundred, a rare class among
 * them. Copied (to the temporary home, never into the repository) so the paths the details
 * panel shows are that folder's, not this machine's data folder.
 */
function galaxyZooSample(into: string): number {
  const rows = readFileSync(join(datasetsDir, 'galaxyzoo1/labels.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));
  const mergers = rows.filter((r) => r[2] === 'merger').slice(0, 40);
  const chosen = new Set([...rows.filter((_, i) => i % 25 === 0), ...mergers].map((r) => r[0]!));
  mkdirSync(into, { recursive: true });
  for (const file of chosen) {
    copyFileSync(join(datasetsDir, 'galaxyzoo1', file), join(into, file.split('/').pop()!));
  }
  return chosen.size;
}

async function servedViews(
  browser: Browser,
  home: string,
  name: string,
  paths: string[],
  show: (page: Page) => Promise<void>,
): Promise<void> {
  const project = join(home, name);
  ingest(project, paths, home);
  const serve = await spawnServe(project, `screenshots-${name}-token`, { AHUNT_HOME: home });
  try {
    const page = await browser.newPage({ viewport: sizes[0] });
    await openRound(page, serve.url);
    await show(page);
  } finally {
    await serve.stop();
  }
}

buildRenderer();
mkdirSync(docs, { recursive: true });
const home = mkdtempSync(join(tmpdir(), 'ahunt-screenshots-'));
const browser = await launchBrowser();
try {
  await demoViews(browser, home);

  const zoo = join(home, 'galaxyzoo-sample');
  console.log(`Galaxy Zoo: ${galaxyZooSample(zoo)} objects.`);
  await servedViews(browser, home, 'galaxyzoo', [zoo], async (page) => {
    await page.locator('[data-testid="preview-original"]').waitFor();
    await flagUncertain(page);
    await shoot(page, 'galaxyzoo');
  });

  const frames = join(home, 'frames');
  mkdirSync(frames);
  for (const file of ['HorseHead.fits', 'gc_2mass_j.fits', 'gc_2mass_h.fits', 'gc_2mass_k.fits'])
    copyFileSync(join(datasetsDir, 'fits', file), join(frames, file));
  await servedViews(browser, home, 'fits', [frames], async (page) => {
    const frame = page.locator('[data-testid="preview-frame"]');
    await frame.waitFor({ timeout: 60_000 });
    // The first HorseHead object in the batch: the nebula's edge in its plate.
    for (let i = 0; i < 16; i++) {
      const caption = await page.locator('[data-testid="preview-frame"] + .zoomline').textContent();
      if (caption?.includes('HorseHead')) break;
      await page.keyboard.press('l');
      await page.waitForTimeout(300);
    }
    await flagUncertain(page);
    await page.keyboard.press('+');
    await shoot(page, 'fits-frame', async () => {
      const pane = (await frame.boundingBox())!;
      await page.mouse.move(pane.x + pane.width * 0.55, pane.y + pane.height * 0.45);
      await page.locator('[data-testid="preview-readout"][data-lon]').waitFor();
    });
  });
} finally {
  await browser.close();
  rmSync(home, { recursive: true, force: true });
}
