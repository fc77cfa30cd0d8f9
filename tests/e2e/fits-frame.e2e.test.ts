/**
 * A FITS object in its parent frame, on the real engine (`ahunt serve` on a project of the
 * shared HorseHead plate, tiled into 64-px cutouts): the preview shows the frame around the
 * cutout with its box outlined, zooms and pans by keyboard and wheel, and reads out the pixel
 * under the cursor in the file's units and in RA/Dec, both checked against astropy.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetsDir, haveDataset } from '../shared-datasets';
import {
  artifactsDir,
  hasChromium,
  launchBrowser,
  ingestWithCli,
  skipReason,
  spawnServe,
  watchedPage,
} from './harness';

if (!hasChromium) console.warn(skipReason);
const haveFits = hasChromium && haveDataset('fits/HorseHead.fits');
const frameFile = join(datasetsDir, 'fits/HorseHead.fits');

/**
 * astropy's value and RA/Dec of 0-based pixel (x, y), through the header's linear TAN WCS (the
 * DSS plate polynomial, which astropy would prefer and our WCS does not implement, removed).
 */
function astropyPixel(x: number, y: number): { value: number; ra: number; dec: number } {
  const script = `
import sys, json, warnings
from astropy.io import fits
from astropy.wcs import WCS
warnings.simplefilter('ignore')
hdu = fits.open(sys.argv[1])[0]
x, y = int(sys.argv[2]), int(sys.argv[3])
header = hdu.header
for key in [k for k in header if k.startswith(('AMD', 'PLT', 'PPO', 'CNPIX', 'XPIXELSZ', 'YPIXELSZ'))]:
    del header[key]
ra, dec = WCS(header).wcs_pix2world(x, y, 0)
print(json.dumps({'value': float(hdu.data[y, x]), 'ra': float(ra), 'dec': float(dec)}))
`;
  const out = execFileSync('/usr/bin/python3', ['-c', script, frameFile, String(x), String(y)], {
    encoding: 'utf8',
  });
  return JSON.parse(out) as { value: number; ra: number; dec: number };
}

describe.skipIf(!haveFits)('a FITS object in its parent frame', () => {
  let browser: Browser;
  let serve: Awaited<ReturnType<typeof spawnServe>>;
  let home: string;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'ahunt-fits-frame-'));
    mkdirSync(artifactsDir, { recursive: true });
    expect(ingestWithCli(join(home, 'project'), [frameFile], home)).toBeNull();
    [browser, serve] = await Promise.all([
      launchBrowser(),
      spawnServe(join(home, 'project'), 'fits-frame-token-for-the-preview', { AHUNT_HOME: home }),
    ]);
    page = await watchedPage(browser, problems);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  const frame = () => page.locator('[data-testid="preview-frame"]');
  const readout = () => page.locator('[data-testid="preview-readout"]');

  it('shows the frame around the cutout, with the cutout outlined', async () => {
    await page.goto(serve.url);
    await page.locator('[data-testid="project-counts"]').waitFor();
    if ((await page.locator('[data-testid="no-round"]').count()) > 0)
      await page.keyboard.press('Enter');
    await page.locator('[data-testid="cell"]').first().waitFor({ timeout: 90_000 });
    await frame().waitFor({ timeout: 30_000 });
    const caption = await page.locator('[data-testid="preview-frame"] + .zoomline').textContent();
    expect(caption?.replace(/\s+/g, ' ')).toMatch(
      /HorseHead\.fits\[0\] · region \d+×\d+ of 891×893/,
    );
    // The cutout's box sits inside the pane: a quarter of its side at fit (4× region).
    const pane = (await frame().boundingBox())!;
    const box = (await page.locator('[data-testid="preview-frame-cutout"]').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(pane.x - 1);
    expect(box.x + box.width).toBeLessThanOrEqual(pane.x + pane.width + 1);
    expect(box.width / pane.width).toBeGreaterThan(0.2);
    expect(box.width / pane.width).toBeLessThan(1.01);
    await page.screenshot({ path: join(artifactsDir, 'fits-frame-fit.png') });
  });

  it('zooms and pans by keyboard and wheel', async () => {
    const zoom = async () => Number(await frame().getAttribute('data-zoom'));
    await page.keyboard.press('+');
    await page.keyboard.press('+');
    await expect.poll(zoom).toBeCloseTo(2.25, 3);
    await page.keyboard.press('-');
    await expect.poll(zoom).toBeCloseTo(1.5, 3);
    // Keyboard readout: with the mouse away, the centre cross reads its pixel; panning moves it.
    await page.mouse.move(2, 2);
    await expect.poll(() => readout().getAttribute('data-frame-x')).not.toBeNull();
    const x0 = Number(await readout().getAttribute('data-frame-x'));
    await page.keyboard.press('L');
    await expect.poll(() => frame().getAttribute('data-pan')).toBe('-0.1250,0.0000');
    await expect
      .poll(async () => Number(await readout().getAttribute('data-frame-x')))
      .toBeGreaterThan(x0);
    await page.keyboard.press('H');
    await expect.poll(() => frame().getAttribute('data-pan')).toBe('0.0000,0.0000');
    // The wheel zooms about the cursor.
    const pane = (await frame().boundingBox())!;
    await page.mouse.move(pane.x + pane.width / 2, pane.y + pane.height / 2);
    await page.mouse.wheel(0, -100);
    await expect.poll(zoom).toBeCloseTo(1.875, 3);
    // A drag pans.
    await page.mouse.down();
    await page.mouse.move(pane.x + pane.width / 2 - 40, pane.y + pane.height / 2, { steps: 4 });
    await page.mouse.up();
    const [panX] = ((await frame().getAttribute('data-pan')) ?? '').split(',').map(Number);
    expect(panX!).toBeLessThan(-0.05);
    await page.screenshot({ path: join(artifactsDir, 'fits-frame-zoomed.png') });
  });

  it('reads the pixel under the cursor in the file units and RA/Dec, as astropy does', async () => {
    const pane = (await frame().boundingBox())!;
    await page.mouse.move(pane.x + pane.width * 0.37, pane.y + pane.height * 0.61);
    await expect.poll(() => readout().getAttribute('data-lon')).not.toBeNull();
    const x = Number(await readout().getAttribute('data-frame-x'));
    const y = Number(await readout().getAttribute('data-frame-y'));
    const value = Number(await readout().getAttribute('data-value'));
    const ra = Number(await readout().getAttribute('data-lon'));
    const dec = Number(await readout().getAttribute('data-lat'));
    const expected = astropyPixel(x, y);
    expect(value).toBe(expected.value);
    expect(Math.abs(ra - expected.ra)).toBeLessThan(1e-8);
    expect(Math.abs(dec - expected.dec)).toBeLessThan(1e-8);
    const text = (await readout().textContent()) ?? '';
    expect(text).toContain(`pixel (${x + 1}, ${y + 1}) · value ${expected.value}`);
    expect(text).toMatch(
      /RA 05:4\d:\d\d\.\d{3} Dec -0\d:\d\d:\d\d\.\d\d \(8\d\.\d{6}°, -\d\.\d{6}°\)/,
    );
    await page.screenshot({ path: join(artifactsDir, 'fits-frame-readout.png') });
  });

  it('o shows the stored tensor instead, and back', async () => {
    await page.keyboard.press('o');
    await frame().waitFor({ state: 'detached' });
    expect(await page.locator('[data-testid="preview-canvas"]').isVisible()).toBe(true);
    await page.keyboard.press('o');
    await frame().waitFor();
  });

  it('logged no console error or CSP violation', () => {
    expect(problems).toEqual([]);
  });
});
