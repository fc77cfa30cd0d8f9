/**
 * The GPU windows: hidden, sandboxed pages without node that train the model on WebGPU or
 * WebGL (the engine's GPU page, built into out/gpu-page by scripts/build-gpu-page.ts). Each
 * is joined to the engine by a MessageChannelMain whose far port the window's preload hands to
 * the page. Shown never: show:false, and not offscreen rendering either, which would move
 * the page to a software compositor; a hidden window keeps its GPU process, which is all
 * training needs. Background throttling is off so a hidden page's message turns are not slowed.
 */
import { BrowserWindow, MessageChannelMain } from 'electron';
import { join } from 'node:path';
import type { GpuPagePort } from '../app/gpu-page-port';
import { GPU_PORT_CHANNEL } from './gpu-channel';
import { GPU_PAGE_ORIGIN } from './protocol';

const gpuWindows = new WeakSet<BrowserWindow>();

/**
 * True for the hidden GPU windows: they must not keep the app running once the user closed
 * the last window they can see, nor count as one when the app is re-activated.
 */
export function isGpuWindow(window: BrowserWindow): boolean {
  return gpuWindows.has(window);
}

export function openGpuWindow(log: (message: string) => void): Promise<GpuPagePort> {
  const window = new BrowserWindow({
    show: false,
    width: 64,
    height: 64,
    webPreferences: {
      // Reviewed: the preload only forwards one MessagePort to the page (gpu-preload.ts).
      preload: join(import.meta.dirname, '../preload/gpu.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      backgroundThrottling: false,
      spellcheck: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  gpuWindows.add(window);
  const contents = window.webContents;
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));

  return window.loadURL(`${GPU_PAGE_ORIGIN}/index.html`).then(
    () => {
      const { port1, port2 } = new MessageChannelMain();
      const closeHandlers: ((why: string) => void)[] = [];
      let closed = false;
      const closeWith = (why: string) => {
        if (closed) return;
        closed = true;
        log(`GPU window closed: ${why}`);
        for (const handler of closeHandlers) handler(why);
        port1.close();
        if (!window.isDestroyed()) window.destroy();
      };
      contents.on('render-process-gone', (_, details) =>
        closeWith(`its page stopped (${details.reason})`),
      );
      window.on('closed', () => closeWith('the window was closed'));
      contents.postMessage(GPU_PORT_CHANNEL, null, [port2]);
      port1.start();
      return {
        post: (message) => port1.postMessage(message),
        onMessage: (receive) => port1.on('message', (event) => receive(event.data)),
        onClose: (handler) => closeHandlers.push(handler),
        close: () => closeWith('the engine closed it'),
      } satisfies GpuPagePort;
    },
    (error: unknown) => {
      if (!window.isDestroyed()) window.destroy();
      throw new Error(`The GPU window did not load: ${(error as Error).message}`);
    },
  );
}
