/**
 * SAMP end to end: the real `ahunt serve`, a real hub and a real peer (astropy), and the page
 * in Chromium. The peer highlights a row of the catalogue we sent; the window focuses that
 * object. Then the window's own key sends a position the peer receives. And label keys
 * pressed while a 10^5-row catalogue goes to a reading peer (highlights and pointings
 * arriving meanwhile) are shown as fast as without a send, and stored.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampSendReport, SessionState } from '../../src-main/contract/contract';
import { openProject } from '../../src-main/engine/store';
import { percentile } from '../../src-renderer/state/metrics';
import { addSkyObjects, astropyAvailable, Hub, Peer } from '../samp/helpers';
import {
  artifactsDir,
  demoTemplateDir,
  hasChromium,
  launchBrowser,
  type PageGlobals,
  spawnServe,
} from './harness';

const ready = hasChromium && astropyAvailable();
if (!ready && process.env.CI)
  throw new Error('CI must run the SAMP browser test (chromium, astropy)');

type Serve = Awaited<ReturnType<typeof spawnServe>>;

/** POST /api/call/<method> to a running `ahunt serve`; the value, or throws its message. */
async function callServe<T>(serve: Serve, token: string, method: string, input: unknown) {
  const response = await fetch(`${new URL(serve.url).origin}/api/call/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(input),
  });
  const body = (await response.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!body.ok) throw new Error(body.error?.message);
  return body.value;
}

/**
 * A copy of the demo project in its own AHUNT_HOME, then (open) a hub, a peer on it, `ahunt
 * serve` of the copy told of that hub, and a Chromium page; close stops whatever came up.
 */
class PeerWindow {
  readonly home: string;
  readonly token: string;
  // Set by open(), in this order: close() stops those that were.
  hub!: Hub;
  peer!: Peer;
  serve!: Serve;
  browser!: Browser;
  page!: Page;

  constructor(name: string) {
    this.home = mkdtempSync(join(tmpdir(), `ahunt-e2e-${name}-`));
    // ahunt serve takes a token of 16 characters or more.
    this.token = `ahunt-e2e-${name}-${Date.now().toString(36)}`;
    expect(existsSync(join(demoTemplateDir, 'demo'))).toBe(true);
    cpSync(join(demoTemplateDir, 'demo'), this.project, { recursive: true });
  }

  get project(): string {
    return join(this.home, 'demo');
  }

  async open(peer: Parameters<typeof Peer.start>[1]): Promise<void> {
    this.hub = await Hub.start(join(this.home, 'lockfile'));
    this.peer = await Peer.start(this.hub, peer);
    [this.serve, this.browser] = await Promise.all([
      spawnServe(this.project, this.token, { AHUNT_HOME: this.home, SAMP_HUB: this.hub.sampHub }),
      launchBrowser(),
    ]);
    this.page = await this.browser.newPage({ viewport: { width: 1280, height: 800 } });
  }

  /**
   * Loads the app in the page and waits until its SAMP bar names the peer (loading the app
   * starts the engine's SAMP client).
   */
  async showPeer(bar: RegExp): Promise<void> {
    await this.page.goto(this.serve.url);
    await this.page.locator('[data-testid="cell"]').first().waitFor();
    await expect
      .poll(() => this.page.locator('[data-testid="samp-hub"]').textContent(), {
        timeout: 20_000,
      })
      .toMatch(bar);
  }

  call<T>(method: string, input: unknown): Promise<T> {
    return callServe<T>(this.serve, this.token, method, input);
  }

  async close(): Promise<void> {
    await this.browser?.close();
    await this.serve?.stop();
    await this.peer?.stop();
    await this.hub?.stop();
    rmSync(this.home, { recursive: true, force: true });
  }
}

describe.runIf(ready)('SAMP in the browser window, with real peers', () => {
  let peerWindow: PeerWindow;
  const call = <T>(method: string, input: unknown): Promise<T> => peerWindow.call<T>(method, input);

  beforeAll(async () => {
    peerWindow = new PeerWindow('samp');
    await peerWindow.open({ name: 'TOPCAT stand-in' });
  });

  afterAll(async () => {
    await peerWindow?.close();
  });

  it("shows the hub and the peer, and a peer's highlight focuses the object", async () => {
    const { page, peer } = peerWindow;
    await peerWindow.showPeer(/SAMP hub · .*TOPCAT stand-in/);

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
    const { page, peer } = peerWindow;
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

/** Waits (110 s at most) until the project asks a round with questions, starting one if idle. */
async function askedRound(serve: Serve, token: string): Promise<void> {
  const until = Date.now() + 110_000;
  for (;;) {
    const state = await callServe<SessionState>(serve, token, 'session.state', {});
    if (state.round?.phase === 'asking' && state.questions.length > 0) return;
    if (Date.now() > until)
      throw new Error(`no round was asked within 110 s: ${JSON.stringify(state.round)}`);
    if (!state.round || state.round.phase === 'idle')
      await callServe(serve, token, 'round.start', {}).catch(() => {});
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** Catalogue rows added to the demo project for the send the keys race against. */
const ROWS = 100_000;
/** One frame at 60 Hz: how much later a label may show during a send (AHUNT_E2E_STRICT=1). */
const FRAME_MS = 1000 / 60;

describe.runIf(ready)('label keys while a 10^5-row catalogue goes over SAMP', () => {
  let peerWindow: PeerWindow;
  const call = <T>(method: string, input: unknown): Promise<T> => peerWindow.call<T>(method, input);

  beforeAll(async () => {
    peerWindow = new PeerWindow('samp-keys');
    const { home, project, token } = peerWindow;
    // The round the keys label is asked first: a project whose cutouts differ in size (the
    // objects added below) cannot prepare one, but keeps one already asked.
    const asking = await spawnServe(project, token, { AHUNT_HOME: home });
    try {
      await askedRound(asking, token);
    } finally {
      await asking.stop();
    }
    // 10^5 more objects (tiny 4 × 4 cutouts: only the catalogue matters) that are not in the
    // round the keys label.
    const opened = openProject(project);
    try {
      addSkyObjects(opened, ROWS, 4, join(home, 'survey-frame.fits'), 'sky');
    } finally {
      opened.close();
    }
    // A reader that takes FITS tables, as TOPCAT and Aladin do, and reports only their size.
    await peerWindow.open({ name: 'FITS reader', fits: true, summary: true });
  });

  afterAll(async () => {
    await peerWindow?.close();
  });

  it('keypress → label shown is no slower during the send, and every label is stored', async () => {
    const { page, peer } = peerWindow;
    await peerWindow.showPeer(/FITS reader/);
    const state = await call<SessionState>('session.state', {});
    const keyed = state.classes.filter((c) => c.hotkey !== null);
    expect(keyed.length).toBeGreaterThan(0);
    // One class's key without a send, another's during it (the same when there is one).
    const [quiet, busy] = [keyed[0]!, keyed[1] ?? keyed[0]!];

    // A first send: the table the peer's highlights will name, and the worker warmed up.
    let after = peer.lines.length;
    await call<SampSendReport>('samp.send', { what: 'catalogue' });
    const first = await peer.received('table.load.fits', after);
    expect(first.read!.rows).toBeGreaterThanOrEqual(ROWS);

    const classOf = new Map<number, number>();
    const metrics = () =>
      page.evaluate(() => structuredClone((globalThis as unknown as PageGlobals).__ahuntMetrics));
    /** One label key on the focused cell, waiting until the label is shown. */
    const press = async (cls: { id: number; hotkey: string | null }) => {
      const id = Number(await page.locator('.cell.focused').getAttribute('data-object-id'));
      await page.keyboard.press(cls.hotkey!);
      await page.waitForFunction(
        () =>
          !(globalThis as unknown as PageGlobals).document.querySelector('[data-status="pending"]'),
      );
      classOf.set(id, cls.id);
    };
    /** Keypress → label shown, and the label.set request alone, of the presses since `from`. */
    const timings = async (from: number, count?: number) => {
      const m = await metrics();
      const to = count === undefined ? undefined : from + count;
      return { shown: m.labelMs.slice(from, to), request: m.labelRequestMs.slice(from, to) };
    };
    const pressQuietly = async (n: number) => {
      const from = (await metrics()).labelMs.length;
      for (let i = 0; i < n; i++) await press(quiet);
      return timings(from);
    };

    const before = await pressQuietly(12);

    // The second send, with the peer highlighting rows (of sky objects, not in the round) of
    // the first table and pointing at the sky every 100 ms, while the keys go on.
    after = peer.lines.length;
    let sending = true;
    const sent = call<SampSendReport>('samp.send', { what: 'catalogue' }).finally(
      () => (sending = false),
    );
    const chatter = peer.chatterAbout(first);
    const from = (await metrics()).labelMs.length;
    let pressed = 0;
    try {
      while (sending && pressed < 80) {
        await press(busy);
        pressed++;
      }
    } finally {
      chatter.stop();
    }
    const during = await timings(from, pressed);
    const report = await sent;
    const second = await peer.received('table.load.fits', after);
    expect(second.read!.rows).toBe(first.read!.rows);
    expect(report.rows).toBe(first.read!.rows);

    const afterwards = await pressQuietly(12);
    const idle = {
      shown: [...before.shown, ...afterwards.shown],
      request: [...before.request, ...afterwards.request],
    };

    // Every label pressed is stored: the round's questions carry them.
    const stored = await call<SessionState>('session.state', {});
    const labelOf = new Map(stored.questions.map((q) => [q.objectId, q.labelId]));
    for (const [objectId, classId] of classOf) expect(labelOf.get(objectId)).toBe(classId);

    const figures = {
      rows: report.rows,
      sendOk: report.recipients.every((r) => r.ok),
      presses: { idle: idle.shown.length, during: during.shown.length },
      idleP50: percentile(idle.shown, 0.5),
      idleP95: percentile(idle.shown, 0.95),
      duringP50: percentile(during.shown, 0.5),
      duringP95: percentile(during.shown, 0.95),
      // The label.set request alone (the engine's share, SAMP's work happens there).
      idleRequestP95: percentile(idle.request, 0.95),
      duringRequestP95: percentile(during.request, 0.95),
      load: loadavg().map((l) => Number(l.toFixed(2))),
    };
    mkdirSync(artifactsDir, { recursive: true });
    writeFileSync(
      join(artifactsDir, 'samp-keys.json'),
      JSON.stringify({ figures, idle, during }, null, 2),
    );
    console.log('keypress → label shown (ms):', JSON.stringify(figures));
    // Enough presses fell inside the send for its p95 to mean something.
    expect(
      during.shown.length,
      'the send ended before 5 label keys: nothing was measured',
    ).toBeGreaterThanOrEqual(5);
    // One frame on a quiet machine (AHUNT_E2E_STRICT=1); a shared 2-core CI box adds tens of ms
    // of scheduling noise, so by default the bound is 150 ms: still far below what a send
    // done on the thread that answers label.set costs (the table alone takes seconds).
    const bound = process.env.AHUNT_E2E_STRICT === '1' ? FRAME_MS : 150;
    expect(figures.duringP95 - figures.idleP95).toBeLessThanOrEqual(bound);
  });
});
