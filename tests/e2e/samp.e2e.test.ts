/**
 * SAMP end to end: the real `ahunt serve`, a real hub and a real peer (astropy), and the page
 * in Chromium. The peer highlights a row of the catalogue we sent; the window focuses that
 * object. Then the window's own key sends a position the peer receives.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampSendReport, SessionState } from '../../src-main/contract/contract';
import { astropyAvailable, Hub, Peer } from '../samp/helpers';
import { artifactsDir, demoTemplateDir, hasChromium, launchBrowser, spawnServe } from './harness';

const ready = hasChromium && astropyAvailable();
if (!ready && process.env.CI)
  throw new Error('CI must run the SAMP browser test (chromium, astropy)');

describe.runIf(ready)('SAMP in the browser window, with real peers', () => {
  let home: string;
  let hub: Hub;
  let peer: Peer;
  let serve: Awaited<ReturnType<typeof spawnServe>>;
  let browser: Browser;
  let page: Page;
  const token = `samp-e2e-${Date.now().toString(36)}`;

  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const response = await fetch(`${new URL(serve.url).origin}/api/call/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(input),
    });
    const body = (await response.json()) as { ok: boolean; value: T; error?: { message: string } };
    if (!body.ok) throw new Error(body.error?.message);
    return body.value;
  };

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'ahunt-e2e-samp-'));
    expect(existsSync(join(demoTemplateDir, 'demo'))).toBe(true);
    cpSync(join(demoTemplateDir, 'demo'), join(home, 'demo'), { recursive: true });
    hub = await Hub.start(join(home, 'lockfile'));
    peer = await Peer.start(hub, { name: 'TOPCAT stand-in' });
    [serve, browser] = await Promise.all([
      spawnServe(join(home, 'demo'), token, { AHUNT_HOME: home, SAMP_HUB: hub.sampHub }),
      launchBrowser(),
    ]);
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await peer?.stop();
    await hub?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it("shows the hub and the peer, and a peer's highlight focuses the object", async () => {
    await page.goto(serve.url);
    await page.locator('[data-testid="cell"]').first().waitFor();
    // Opening the window starts the engine's SAMP client: the bar names the peer.
    await expect
      .poll(() => page.locator('[data-testid="samp-hub"]').textContent(), { timeout: 20_000 })
      .toMatch(/SAMP hub · .*TOPCAT stand-in/);

    const state = await call<SessionState>('session.state', {});
    const target = state.questions[5]!.objectId;
    expect(await page.locator('.cell.focused').getAttribute('data-object-id')).not.toBe(
      String(target),
    );
    const after = peer.lines.length;
    const sent = await call<SampSendReport>('samp.send', { what: 'catalogue' });
    expect(sent.recipients[0]).toMatchObject({ name: 'TOPCAT stand-in', ok: true });
    const table = await peer.received('table.load.votable', after);
    const object = await call<{ uid: string }>('object.get', { id: target });
    const row = table.read!.cells!.uid!.indexOf(object.uid);
    expect(row).toBeGreaterThanOrEqual(0);

    peer.command({
      send: 'table.highlight.row',
      params: { 'table-id': table.params!['table-id'], url: table.params!.url, row: String(row) },
    });
    await expect
      .poll(() => page.locator('.cell.focused').getAttribute('data-object-id'), { timeout: 15_000 })
      .toBe(String(target));
    await expect
      .poll(() => page.locator('[data-testid="object-id"]').textContent())
      .toContain(String(target));
    // The details panel links the position out to the sky services.
    expect(await page.locator('[data-testid="sky-links"] a').count()).toBe(3);
    mkdirSync(artifactsDir, { recursive: true });
    await page.screenshot({ path: join(artifactsDir, 'samp.png') });
  });

  it('the p key points the peer at the focused object', async () => {
    const focused = Number(await page.locator('.cell.focused').getAttribute('data-object-id'));
    const object = await call<{ ra: number | null; dec: number | null }>('object.get', {
      id: focused,
    });
    const after = peer.lines.length;
    await page.keyboard.press('p');
    // The demo survey's frames carry a WCS: every object has a position.
    expect(object.ra).not.toBeNull();
    const got = await peer.received('coord.pointAt.sky', after);
    expect(Number(got.params!.ra)).toBeCloseTo(object.ra!, 9);
    await expect
      .poll(() => page.locator('[data-testid="samp-last"]').textContent())
      .toMatch(/Sent position of .* to TOPCAT stand-in/);
  });
});
