/**
 * Takes the README screenshot (docs/screenshot.png): a real `ahunt serve` on the demo survey
 * (or the fake server while serve is unavailable), a few labels typed by keyboard, one new
 * class, the focused object in the preview. Run: npx tsx scripts/screenshot.ts
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildRenderer } from '../tests/e2e/global-setup';
import {
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
const ahunt = await startAhunt({ queries: 24, size: 64 });
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
  console.log(`Saved ${out} (${ahunt.kind} server).`);
} finally {
  await browser.close();
  await ahunt.stop();
}
