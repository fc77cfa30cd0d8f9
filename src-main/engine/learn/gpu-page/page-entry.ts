/**
 * The GPU page's script (bundled by scripts/build-gpu-page.ts into one file for a Chromium
 * page). It waits for the port its host hands over with window.postMessage — the desktop
 * app's preload forwards it from the main process, a test posts it itself — and serves the
 * training calls on it. The page has no node and no other channel.
 */
import { startPageBackend } from './page-backend';
import { serveTrainingCalls } from './page-trainer';
import { PORT_HANDOVER, type PageSidePort } from './port';

interface BrowserPort {
  postMessage(message: unknown, transfer: ArrayBuffer[]): void;
  onmessage: ((event: { data: unknown }) => void) | null;
}
interface PageWindow {
  addEventListener(
    type: 'message',
    listener: (event: { data: unknown; ports: readonly BrowserPort[] }) => void,
  ): void;
}

const page = globalThis as unknown as PageWindow;
let served = false;

page.addEventListener('message', (event) => {
  const port = event.ports[0];
  if (event.data !== PORT_HANDOVER || port === undefined || served) return;
  served = true;
  const side: PageSidePort = {
    post: (message, transfer) => port.postMessage(message, transfer),
    onMessage: (receive) => {
      port.onmessage = (e) => receive(e.data as Parameters<typeof receive>[0]);
    },
  };
  serveTrainingCalls(side, startPageBackend);
});
