// The GPU window's preload: hands the page the one MessagePort the main process sends it
// (window.postMessage is the way a port reaches a context-isolated page). Nothing else of
// electron or node reaches the page.
import { ipcRenderer } from 'electron';
import { PORT_HANDOVER } from '../app/gpu-page-port';
import { GPU_PORT_CHANNEL } from './gpu-channel';

// The main tsconfig has no DOM library: the one window method used, typed here.
const page = globalThis as unknown as {
  postMessage(message: string, targetOrigin: string, transfer: readonly unknown[]): void;
};

ipcRenderer.once(GPU_PORT_CHANNEL, (event) => {
  page.postMessage(PORT_HANDOVER, '*', event.ports);
});
