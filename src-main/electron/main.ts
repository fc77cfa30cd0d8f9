// The desktop door: one window onto the engine, which runs in this process (the model in a
// worker where available). Hardened: context isolation, sandbox, no node in the page, a
// strict CSP on every response, no permissions, navigation and new windows blocked, IPC only
// from our own page (checked by Electronegativity in `npm test`).
import { app, BrowserWindow, Menu, session, shell } from 'electron';
import { isSkyLink } from '../contract/sky-links';
import { join } from 'node:path';
import type { EventName, Events } from '../contract/contract';
import { defaultDemoDir, prepareDemo } from '../app/demo';
import { gpuRoutedRunners } from '../app/gpu-route';
import { ProjectHost } from '../app/host';
import { recentProjectsFile } from '../app/user-data';
import { registerIpc, sendEvent } from './ipc';
import { hardenSession } from './hardening';
import { isGpuWindow, openGpuWindow } from './gpu-window';
import { buildMenu } from './menu';
import { APP_ORIGIN, registerSchemePrivileges, serveRenderer } from './protocol';
import { readWindowState, writeWindowState } from './window-state';

registerSchemePrivileges();

let window: BrowserWindow | null = null;
let host: ProjectHost | null = null;
const log = (m: string) => console.error(m);
const emit = <E extends EventName>(event: E, payload: Events[E]) =>
  sendEvent(window?.webContents ?? null, event, payload);

/** The app's own windows, without the hidden GPU windows. */
const visibleWindows = () => BrowserWindow.getAllWindows().filter((w) => !isGpuWindow(w));

function createWindow(): void {
  const stateFile = join(app.getPath('userData'), 'window.json');
  const state = readWindowState(stateFile);
  window = new BrowserWindow({
    ...state,
    minWidth: 960,
    minHeight: 600,
    backgroundColor: '#111418',
    title: 'AHUNT Workstation',
    webPreferences: {
      // Reviewed: the preload exposes only the typed api (contextBridge), nothing of node.
      preload: join(import.meta.dirname, '../preload/index.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
      // A middle click must not open a link in a new window (blocked below as well).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  if (state.maximized) window.maximize();
  const remember = () => {
    if (!window) return;
    writeWindowState(stateFile, { ...window.getNormalBounds(), maximized: window.isMaximized() });
  };
  window.on('close', remember);
  window.on('closed', () => {
    window = null;
    // The hidden GPU windows do not count: 'window-all-closed' never fires while they live.
    if (visibleWindows().length === 0 && process.platform !== 'darwin') app.quit();
  });
  const contents = window.webContents;
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${APP_ORIGIN}/`)) event.preventDefault();
  });
  // Nothing opens a window; the only URLs handed to the OS are the sky services' (an
  // object's links to Aladin Lite, the Legacy Survey viewer and SIMBAD), in the browser.
  contents.setWindowOpenHandler(({ url }) => {
    // Reviewed: only https URLs on the three sky services pass isSkyLink.
    if (isSkyLink(url)) void shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
    return { action: 'deny' };
  });
  void window.loadURL(`${APP_ORIGIN}/index.html`);
}

app.on('web-contents-created', (_, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

app
  .whenReady()
  .then(async () => {
    hardenSession(session.defaultSession);
    serveRenderer(
      join(import.meta.dirname, '../renderer'),
      join(import.meta.dirname, '../gpu-page'),
    );
    const requested = process.argv.slice(app.isPackaged ? 1 : 2).find((a) => !a.startsWith('-'));
    const started = await ProjectHost.start(
      requested ?? (await prepareDemo(defaultDemoDir(), { say: log })),
      {
        emit,
        autoStart: true,
        recentFile: recentProjectsFile(),
        // Training on WebGPU/WebGL in a hidden window when a probe finds it faster than wasm.
        makeRunner: gpuRoutedRunners(() => openGpuWindow(log), log),
      },
    );
    host = started;
    registerIpc(started.services, log);
    // The menu's choice goes through the same request as the renderer's Projects view, so
    // the window hears of it the same way (project.changed) and errors read the same.
    const openFromMenu = (dir: string, create: boolean) => {
      started
        .open(dir, { create })
        .catch((error: unknown) =>
          emit('engine.error', { code: 'open-failed', message: (error as Error).message }),
        );
    };
    Menu.setApplicationMenu(
      buildMenu(
        () => window,
        openFromMenu,
        (action) => emit('window.action', { action }),
      ),
    );
    createWindow();
    app.on('activate', () => {
      if (visibleWindows().length === 0) createWindow();
    });
  })
  .catch((error: unknown) => {
    log(`AHUNT could not start: ${(error as Error).stack ?? String(error)}`);
    app.exit(1);
  });

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

app.on('before-quit', () => {
  void host?.close();
});
