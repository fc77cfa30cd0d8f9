/**
 * Projects in the browser, on the real engine: create a project from the Projects view, ingest
 * a folder into it with the progress and the error list showing, then go back to the first
 * project from the recent list — all without restarting the server.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionState } from '../../src-main/contract/contract';
import { writeImage } from '../../src-main/engine/fits';
import {
  artifactsDir,
  callApi,
  hasChromium,
  launchBrowser,
  repoRoot,
  skipReason,
  startAhunt,
  type RunningAhunt,
} from './harness';

if (!hasChromium) console.warn(skipReason);

/** The shared reference data (never copied into the repo); AHUNT_DATASETS points elsewhere. */
const datasets = process.env.AHUNT_DATASETS ?? resolve(repoRoot, '../shared/datasets');
const twoMass = ['j', 'h', 'k'].map((b) => join(datasets, 'fits', `gc_2mass_${b}.fits`));
const hasTwoMass = twoMass.every((f) => existsSync(f));
if (!hasTwoMass && process.env.CI) {
  throw new Error(`The 2MASS frames are missing from ${datasets}/fits: the CI needs them.`);
}

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

/**
 * Three-band sets (g, r, i by name): the g band bright on the left half, i on the right, so a
 * colour composite is blue on one side and red on the other, and a grey one is neither.
 */
function colourFolder(root: string, count: number): string {
  const dir = join(root, 'colour');
  mkdirSync(dir, { recursive: true });
  const size = 32;
  for (let i = 0; i < count; i++) {
    for (const band of ['g', 'r', 'i']) {
      const pixels = new Float32Array(size * size);
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const left = x < size / 2;
          const lit = band === 'r' || (band === 'g' ? left : !left);
          pixels[y * size + x] = (lit ? 100 : 1) + ((x * 7 + y * 13 + i) % 5);
        }
      }
      writeFileSync(join(dir, `obj${i}_${band}.fits`), writeImage(pixels, size, size));
    }
  }
  return dir;
}

/** Mean |red − blue| on each half of the first cell's canvas, and whether every pixel is grey. */
function firstCellColour(): { left: number; right: number; grey: boolean } {
  interface Ctx {
    getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
  }
  interface Canvas {
    width: number;
    height: number;
    getContext(kind: '2d'): Ctx;
  }
  const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } })
    .document;
  const canvas = doc.querySelector('[data-testid="cell"] canvas') as Canvas;
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let left = 0;
  let right = 0;
  let grey = true;
  for (let p = 0; p < data.length / 4; p++) {
    const [r, g, b] = [data[p * 4]!, data[p * 4 + 1]!, data[p * 4 + 2]!];
    if (r !== g || g !== b) grey = false;
    if (p % canvas.width < canvas.width / 2) left += b - r;
    else right += r - b;
  }
  const half = data.length / 8;
  return { left: left / half, right: right / half, grey };
}

describe.skipIf(!hasChromium)('projects: create, ingest, switch back', () => {
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

  it('draws 3-band objects as a Lupton RGB composite, and in grey when RGB is off', async () => {
    const data = colourFolder(scratch, 6);
    await page.keyboard.press('Alt+6');
    await page.locator('[data-testid="projects-path"]').fill(scratch);
    await page.locator('[data-testid="projects-path"]').press('Enter');
    await page.locator('[data-testid="new-project-name"]').fill('three-band');
    await page.locator('[data-testid="new-project-name"]').press('Enter');
    await expect.poll(projectName, { timeout: 20_000 }).toBe('three-band');
    await page.locator('[data-testid="ingest-paths"]').fill(data);
    await page.locator('[data-testid="ingest-start"]').click();
    const report = page.locator('[data-testid="ingest-report"]');
    await report.waitFor({ timeout: 60_000 });
    // Files are counted; the 18 files are 6 objects of 3 bands.
    expect(await report.textContent()).toMatch(/18 ingested, 0 skipped, 0 rejected/);
    await expect
      .poll(() => page.locator('[data-testid="project-counts"]').textContent())
      .toMatch(/^6 objects/);

    await page.keyboard.press('Alt+1');
    await page.locator('[data-testid="cell"] canvas').first().waitFor({ timeout: 60_000 });
    // Two flat levels per band, no sky: the default sky limits (median + σ) do not apply, so
    // this composite is judged between each band's min and max.
    await page.locator('[data-testid="limits"]').selectOption('minmax');
    await expect.poll(() => page.evaluate(firstCellColour).then((c) => c.left)).toBeGreaterThan(40);
    const colour = await page.evaluate(firstCellColour);
    // g (blue) lit on the left, i (red) on the right: the composite keeps them apart.
    expect(colour.right).toBeGreaterThan(40);
    expect(colour.grey).toBe(false);
    await page.screenshot({ path: join(artifactsDir, 'lupton-rgb.png') });

    await page.locator('[data-testid="display-rgb"]').uncheck();
    await expect.poll(() => page.evaluate(firstCellColour).then((c) => c.grey)).toBe(true);
    await page.locator('[data-testid="display-rgb"]').check();
  });

  it.skipIf(!hasTwoMass)(
    'ingests 2MASS frames with a catalogue and prior labels from the form, after a preview',
    async () => {
      // The frames are 721 × 720; the catalogue names its columns so ingest cannot guess them.
      const catalogue = join(scratch, 'gc-sources.csv');
      const rows = [
        ['s1', 360, 360],
        ['s2', 200, 180],
        ['s3', 520, 400],
        ['s4', 100, 600],
        ['s5', 640, 90],
      ];
      writeFileSync(
        catalogue,
        ['source,col,row', ...rows.map(([id, x, y]) => `${id},${x},${y}`)].join('\n'),
      );
      const labels = join(scratch, 'gc-labels.csv');
      writeFileSync(labels, 'source,kind\ns1,bright core\ns2,field\n');

      await page.goto(ahunt.url);
      await page.locator('[data-testid="project-counts"]').waitFor();
      await page.keyboard.press('Alt+6');
      await page.locator('[data-testid="projects-path"]').fill(scratch);
      await page.locator('[data-testid="projects-path"]').press('Enter');
      await page.locator('[data-testid="new-project-name"]').fill('galactic-centre');
      await page.locator('[data-testid="new-project-name"]').press('Enter');
      await expect.poll(projectName, { timeout: 20_000 }).toBe('galactic-centre');
      await expect.poll(view).toBe('ingest');

      await page.locator('[data-testid="ingest-paths"]').fill(twoMass.join('\n'));
      await page.locator('[data-testid="ingest-size"]').fill('32');
      await page.locator('[data-testid="catalogue-path"]').fill(catalogue);
      await page.locator('[data-testid="catalogue-path"]').press('Tab');
      await expect
        .poll(() => page.locator('[data-testid="catalogue-columns"]').textContent())
        .toMatch(/5 rows · columns: source, col, row/);
      await page.locator('[data-testid="catalogue-system"]').selectOption('pixel');
      await page.locator('[data-testid="catalogue-id"]').selectOption('source');
      await page.locator('[data-testid="catalogue-x"]').selectOption('col');
      await page.locator('[data-testid="catalogue-y"]').selectOption('row');
      await page.locator('[data-testid="labels-path"]').fill(labels);
      await page.locator('[data-testid="labels-path"]').press('Tab');
      await page.locator('[data-testid="labels-label"]').waitFor();
      await page.locator('[data-testid="labels-label"]').selectOption('kind');
      await page.locator('[data-testid="labels-match"]').selectOption('id');
      await page.locator('[data-testid="labels-key"]').selectOption('source');
      await page.locator('[data-testid="labels-normal"]').fill('field');

      // The preview cuts the first sources out of the J/H/K trio before anything is written.
      await page.locator('[data-testid="ingest-preview"]').click();
      const cutouts = page.locator('[data-testid="preview-cutout"]');
      await expect.poll(() => cutouts.count(), { timeout: 60_000 }).toBe(5);
      expect(await cutouts.first().textContent()).toMatch(/#s1 · 3 bands \(j,h,k\)/);
      await page.screenshot({ path: join(artifactsDir, 'ingest-frames.png') });
      expect(await page.locator('[data-testid="project-counts"]').textContent()).toMatch(
        /^0 objects/,
      );

      await page.locator('[data-testid="ingest-start"]').click();
      const report = page.locator('[data-testid="ingest-report"]');
      await report.waitFor({ timeout: 60_000 });
      expect(await report.textContent()).toMatch(/3 ingested, 0 skipped, 0 rejected; 5 objects/);
      expect(await report.locator('[data-testid="ingest-report-labels"]').textContent()).toMatch(
        /2 imported, 0 unmatched; new classes: bright core/,
      );
      await expect
        .poll(() => page.locator('[data-testid="project-counts"]').textContent())
        .toMatch(/^5 objects/);
      await page.keyboard.press('Alt+1');
      await page.locator('[data-testid="cell"] canvas').first().waitFor({ timeout: 90_000 });
    },
  );

  it('hunts a folder that mixes grey cutouts with 3-band sets', async () => {
    // What ingesting a folder of assorted survey files gives: a J/H/K-like trio beside
    // single-band images. The project must reach a round, not sit idle behind an error.
    const mixed = join(scratch, 'mixed-data');
    mkdirSync(mixed, { recursive: true });
    const grey = surveyFolder(mixed, 10);
    const colour = colourFolder(mixed, 4);
    await page.goto(ahunt.url);
    await page.locator('[data-testid="project-counts"]').waitFor();
    await page.keyboard.press('Alt+6');
    await page.locator('[data-testid="projects-path"]').fill(scratch);
    await page.locator('[data-testid="projects-path"]').press('Enter');
    await page.locator('[data-testid="new-project-name"]').fill('mixed');
    await page.locator('[data-testid="new-project-name"]').press('Enter');
    await expect.poll(projectName, { timeout: 20_000 }).toBe('mixed');
    await page.locator('[data-testid="ingest-paths"]').fill(`${grey}\n${colour}`);
    await page.locator('[data-testid="ingest-start"]').click();
    const report = page.locator('[data-testid="ingest-report"]');
    await report.waitFor({ timeout: 60_000 });
    expect(await report.textContent()).toMatch(/22 ingested, 0 skipped, 1 rejected/);
    // The engine opens round 1 by itself once the ingest is in; its state says how it went.
    const state = async () =>
      (await callApi<{ value: SessionState }>(ahunt, 'session.state', {})).body.value;
    await expect
      .poll(
        async () => {
          const s = await state();
          return s.blocker ?? `${s.round?.phase ?? 'no round'}, ${s.questions.length} questions`;
        },
        { timeout: 90_000 },
      )
      .toMatch(/^asking, [1-9]\d* questions$/);
    await page.keyboard.press('Alt+1');
    await page.locator('[data-testid="cell"] canvas').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('[data-testid="blocker"]').count()).toBe(0);
    expect(await page.locator('[data-testid="cell"]').count()).toBeGreaterThan(0);
  });
});
