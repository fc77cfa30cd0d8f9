/**
 * The desktop door (src-main/electron/main.ts) run under Node with a recording stand-in for
 * Electron: the window's hardening, the IPC handlers' sender and input checks, navigation
 * and new windows blocked, the CSP on every response, permissions denied, the renderer
 * protocol confined to its folder, the menu, the remembered window size, and a project
 * switch reaching the window as an event.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { syntheticProject } from '../hunt/synthetic';
import { tempDir } from '../store/helpers';
import { recorded, startApp } from './fake-electron';

vi.mock('electron', () => import('./fake-electron'));

const ours = { senderFrame: { parent: null, url: 'app://renderer/index.html' } };
const foreign = { senderFrame: { parent: null, url: 'https://evil.example/' } };
const framed = { senderFrame: { parent: {}, url: 'app://renderer/index.html' } };

const mainWindow = () =>
  recorded.windows.find((w) => w.webContents.loaded === 'app://renderer/index.html');

let project: string;
let other: string;
const argv = process.argv;

beforeAll(async () => {
  process.env.AHUNT_HOME = tempDir();
  project = join(tempDir(), 'first');
  other = join(tempDir(), 'second');
  syntheticProject(project, 30, 2).project.close();
  syntheticProject(other, 20, 2).project.close();
  process.argv = [argv[0]!, 'main.js', project];
  await import('../../src-main/electron/main');
  startApp();
  // The hidden GPU window comes first (the model runner asks for one as a project opens).
  await vi.waitFor(() => expect(mainWindow()).toBeDefined(), { timeout: 20_000 });
});

afterAll(async () => {
  process.argv = argv;
  await recorded.appEvents.get('before-quit')?.();
});

const call = (event: unknown, method: string, input: unknown) =>
  recorded.ipc.get('ahunt:call')!(event, method, input) as Promise<{
    ok: boolean;
    value?: unknown;
    error?: { code: string; message: string };
  }>;

describe('the desktop window', () => {
  it('is isolated, sandboxed, without node, and loads our own origin', () => {
    const window = mainWindow()!;
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(String(prefs.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(window.webContents.loaded).toBe('app://renderer/index.html');
    expect(recorded.exitCode).toBeNull();
  });

  it('blocks navigation away, new windows and webviews', () => {
    const contents = mainWindow()!.webContents;
    const navigate = contents.listeners.get('will-navigate')!;
    const away = { preventDefault: vi.fn() };
    navigate(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const home = { preventDefault: vi.fn() };
    navigate(home, 'app://renderer/index.html');
    expect(home.preventDefault).not.toHaveBeenCalled();
    expect(contents.openHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    // An object's sky links go to the system browser; nothing else does, and no window opens.
    const simbad = 'https://simbad.cds.unistra.fr/simbad/sim-coo?Coord=1%20%2B2';
    expect(contents.openHandler!({ url: simbad })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'http://simbad.cds.unistra.fr/x' })).toEqual({
      action: 'deny',
    });
    expect(recorded.openedExternally).toEqual([simbad]);
    const attached = { on: vi.fn() };
    recorded.appEvents.get('web-contents-created')!({}, attached);
    const webview = { preventDefault: vi.fn() };
    (attached.on.mock.calls[0]![1] as (e: unknown) => void)(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('denies every permission and puts the CSP on every response', () => {
    const answer = vi.fn();
    recorded.permissionRequest!({}, 'media', answer);
    expect(answer).toHaveBeenCalledWith(false);
    expect(recorded.permissionCheck!()).toBe(false);
    const done = vi.fn();
    recorded.headers!({ responseHeaders: { a: ['b'] } }, done);
    const headers = (done.mock.calls[0]![0] as { responseHeaders: Record<string, string[]> })
      .responseHeaders;
    expect(headers['Content-Security-Policy']![0]).toMatch(/default-src 'self'.*object-src 'none'/);
    expect(headers.a).toEqual(['b']);
  });

  it('serves nothing outside the built renderer through its protocol', async () => {
    const get = (url: string) => recorded.protocolHandler!(new Request(url));
    expect((await get('app://renderer/..%2F..%2Fpackage.json')).status).toBe(404);
    expect((await get('app://renderer/%2e%2e/%2e%2e/package.json')).status).toBe(404);
    expect((await get('app://elsewhere/index.html')).status).toBe(404);
  });
});

describe('the hidden GPU window', () => {
  const gpuWindows = () =>
    recorded.windows.filter((w) => w.webContents.loaded === 'app://gpu-trainer/index.html');

  it('is never shown, sandboxed, without node; one that cannot load is given up', async () => {
    const { openGpuWindow } = await import('../../src-main/electron/gpu-window');
    await expect(openGpuWindow(() => {})).rejects.toThrow(
      /^The GPU window did not load: the fake Electron has no GPU page$/,
    );
    const window = gpuWindows().at(-1)!;
    expect(window.options.show).toBe(false);
    const prefs = window.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      backgroundThrottling: false,
    });
    expect(String(prefs.preload)).toMatch(/preload[\\/]gpu\.cjs$/);
    expect(window.isDestroyed()).toBe(true);
  });

  it('joins the engine to its page through one MessagePort', async () => {
    const { openGpuWindow } = await import('../../src-main/electron/gpu-window');
    recorded.gpuPagesLoad = true;
    const port = await openGpuWindow(() => {});
    recorded.gpuPagesLoad = false;
    const window = gpuWindows().at(-1)!;
    const handed = recorded.portsSent.at(-1)!;
    expect(handed.channel).toBe('ahunt:gpu-port');
    const pageEnd = handed.ports[0]!;
    port.post({ kind: 'save', id: 7 });
    expect(pageEnd.received).toEqual([{ kind: 'save', id: 7 }]);
    const heard: unknown[] = [];
    port.onMessage((m) => heard.push(m));
    pageEnd.postMessage({ id: 7, type: 'result', value: null });
    expect(heard).toEqual([{ id: 7, type: 'result', value: null }]);
    const closed: string[] = [];
    port.onClose((why) => closed.push(why));
    window.webContents.listeners.get('render-process-gone')!({}, { reason: 'crashed' });
    expect(closed).toEqual(['its page stopped (crashed)']);
    expect(window.isDestroyed()).toBe(true);
  });

  it('is served from its own folder, and nothing outside it', async () => {
    const get = (url: string) => recorded.protocolHandler!(new Request(url));
    expect((await get('app://gpu-trainer/..%2F..%2Fpackage.json')).status).toBe(404);
  });
});

describe('its IPC handlers', () => {
  it('answer our page and refuse other frames and sub-frames', async () => {
    const state = await call(ours, 'session.state', {});
    expect(state.ok).toBe(true);
    expect((state.value as { project: { dir: string } }).project.dir).toBe(project);
    for (const event of [foreign, framed]) {
      expect(await call(event, 'session.state', {})).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
  });

  it('validate requests against the contract', async () => {
    expect(await call(ours, 'label.set', { objectId: 'x', classId: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    expect(await call(ours, 'fs.read', {})).toMatchObject({
      ok: false,
      error: { code: 'unknown-method' },
    });
    expect(await call(ours, 'session.state', { extra: 1 })).toMatchObject({ ok: false });
  });

  it('hand out pixels only to our page and only for a list of ids', async () => {
    const pixels = recorded.ipc.get('ahunt:pixels')!;
    const batch = (await pixels(ours, [1, 2])) as { size: number }[];
    expect(batch.map((p) => p.size)).toEqual([16, 16]);
    expect(() => pixels(foreign, [1])).toThrow(/Refused/);
    expect(() => pixels(ours, ['../etc/passwd'])).toThrow();
  });

  it('switch projects and tell the window', async () => {
    recorded.sent.length = 0;
    const opened = await call(ours, 'project.open', { dir: other });
    expect(opened).toMatchObject({ ok: true, value: { dir: other, objects: 20 } });
    expect(recorded.sent).toContainEqual([
      'ahunt:event',
      'project.changed',
      expect.objectContaining({ dir: other }),
    ]);
    const state = await call(ours, 'session.state', {});
    expect((state.value as { project: { objects: number } }).project.objects).toBe(20);
  });
});

describe('its menu and window memory', () => {
  it('has New and Open Project with the usual accelerators', () => {
    const file = recorded.menuTemplate.find((m) => m.label === 'File')!;
    expect(file.submenu!.map((i) => [i.label, i.accelerator]).slice(0, 2)).toEqual([
      ['New Project…', 'CmdOrCtrl+N'],
      ['Open Project…', 'CmdOrCtrl+O'],
    ]);
  });

  it("has a SAMP menu whose items run the window's SAMP actions", () => {
    const samp = recorded.menuTemplate.find((m) => m.label === 'SAMP')!;
    const items = samp.submenu! as { label?: string; accelerator?: string; click?: () => void }[];
    expect(items.map((i) => i.label)).toEqual([
      'Send Catalogue to TOPCAT',
      "Send Focused Object's Class to TOPCAT",
      'Send Cutout to DS9 / Aladin',
      'Send Frame to DS9 / Aladin',
      'Point at Focused Object',
    ]);
    expect(items.every((i) => i.accelerator === undefined)).toBe(true);
    const before = recorded.sent.length;
    items[4]!.click!();
    expect(recorded.sent.slice(before)).toEqual([
      ['ahunt:event', 'window.action', { action: 'samp-point' }],
    ]);
  });

  it('remembers the window size when it closes', () => {
    mainWindow()!.listeners.get('close')!();
    const file = join(process.env.AHUNT_HOME!, 'electron-userData', 'window.json');
    expect(existsSync(file)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ width: 1200, height: 800 });
  });

  it('quits when its window closes, whatever hidden GPU windows remain', async () => {
    const { openGpuWindow } = await import('../../src-main/electron/gpu-window');
    recorded.gpuPagesLoad = true;
    await openGpuWindow(() => {});
    recorded.gpuPagesLoad = false;
    const window = mainWindow()!;
    const closedListener = window.listeners.get('closed')!;
    // Closed: no longer among the windows Electron lists.
    recorded.windows.splice(recorded.windows.indexOf(window), 1);
    try {
      closedListener();
      expect(recorded.quitRequested).toBe(process.platform !== 'darwin');
    } finally {
      recorded.windows.push(window);
    }
  });
});
