// The only bridge between the renderer and the main process: exactly the AhuntApi of the
// contract, nothing else (no raw ipcRenderer reaches the page).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { AhuntApi, EventName, PixelData } from '../contract/contract';
import { IPC } from './channels';

const api: AhuntApi = {
  call: (method, input) => ipcRenderer.invoke(IPC.call, method, input),
  on(event, listener) {
    const handler = (_: IpcRendererEvent, name: EventName, payload: unknown) => {
      if (name === event) (listener as (p: unknown) => void)(payload);
    };
    ipcRenderer.on(IPC.event, handler);
    return () => ipcRenderer.removeListener(IPC.event, handler);
  },
  async pixels(objectIds) {
    const batch = (await ipcRenderer.invoke(IPC.pixels, [...objectIds])) as (PixelData | null)[];
    return batch.map((p) => p && { size: p.size, bands: p.bands, data: new Float32Array(p.data) });
  },
};

contextBridge.exposeInMainWorld('ahunt', api);
