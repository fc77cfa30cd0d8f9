/**
 * Takes the README screenshots: docs/screenshot.png, a real `ahunt serve` on the demo survey
 * a few labels typed by keyboard, one new
 * class, the focused object in the preview; docs/projects.png, the Projects view beside a
 * second project and a data folder. Run: npx tsx scripts/screenshot.ts
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createProject } from '../src-main/engine/store';
import { buildRenderer } from '../tests/e2e/global-setup';
import {
  callApi,
  hasChromium,
  launchBrowser,
  type PageGlobals,
  repoRoot,
  skipReason,
  startAhunt,
} from '../tests/e2e/harness';

if (!hasChromium) {
  console.error(skipReason);
  process.exit(1);
}
buildRenderer();
const out = join(repoRoot, 'docs/screenshot.png');
mkdirSync(join(repoRoot, 'docs'), { recursive: true });
const ahunt = await startAhunt();
const browser = await launchBrowser();
try {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  });
  await page.goto(ahunt.url);
  await page.locator('[data-testid="project-counts"]').waitFor();
  if ((await page.locator('[data-testid="no-round"]').count()) > 0)
    await page.keyboard.press('Enter');
  await page.locator('[data-testid="cell"]').first().waitFor({ timeout: 90_000 });
  const settle = () =>
    page.waitForFunction(
      () =>
        !(globalThis as unknown as PageGlobals).document.querySelector('[data-status="pending"]'),
    );
  for (const key of ['0', '0', '0']) await page.keyboard.press(key);
  await settle();
  await page.keyboard.press('n');
  await page.locator('[data-testid="new-class-input"]').pressSequentially('merger');
  await page.keyboard.press('Enter');
  const row = page.locator('[data-testid="class-row"][data-class-name="merger"]');
  await row.waitFor();
  const hotkey = (await row.locator('[data-testid="class-hotkey"]').textContent())!.trim();
  for (const key of ['0', hotkey, '0', '0']) await page.keyboard.press(key);
  await settle();
  await page.keyboard.press('l');
  await page.waitForSelector('[data-testid="grid"][data-drawn]');
  await page.waitForSelector('[data-testid="object-id"]');
  await page.waitForTimeout(500);
  await page.screenshot({ path: out });
  console.log(`Saved ${out}.`);

  {
    const home = dirname(ahunt.projectDir);
    const second = join(home, 'deep-field-2027');
    createProject(second, { name: 'deep-field-2027' }).close();
    mkdirSync(join(home, 'raw-frames', 'night-01'), { recursive: true });
    // Opened once, then back: the recent list shows both.
    await callApi(ahunt, 'project.open', { dir: second });
    await callApi(ahunt, 'project.open', { dir: ahunt.projectDir });
    await page.locator('[data-testid="cell"]').first().waitFor({ timeout: 90_000 });
    await page.keyboard.press('Alt+6');
    await page.locator('[data-testid="projects-path"]').fill(home);
    await page.locator('[data-testid="projects-path"]').press('Enter');
    await page.locator('[data-testid="projects-browser-entry"]').nth(2).waitFor();
    await page.locator('[data-testid="new-project-name"]').fill('m31-halo');
    await page.waitForTimeout(300);
    const projects = join(repoRoot, 'docs/projects.png');
    await page.screenshot({ path: projects, clip: { x: 0, y: 0, width: 1440, height: 420 } });
    console.log(`Saved ${projects}.`);
  }
} finally {
  await browser.close();
  await ahunt.stop();
}
