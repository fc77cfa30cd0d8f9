import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { EventName, Events, PixelData } from '../api/contract';
import { dispatch, type Services } from '../api/handlers';
import { APP_ORIGIN } from './protocol';

/** Only our own page, loaded from our protocol, in the main frame, may call the engine. */
function fromOurPage(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && frame.url.startsWith(`${APP_ORIGIN}/`);
}

/** `services` is read per call: opening another project swaps the workspace underneath. */
export function registerIpc(
  services: () => Services & { pixels(id: number): PixelData },
  log: (m: string) => void,
): void {
  ipcMain.handle('ahunt:call', async (event, method: unknown, input: unknown) => {
    if (!fromOurPage(event)) {
      log(`refused ipc call from ${event.senderFrame?.url ?? 'an unknown frame'}`);
      return { ok: false, error: { code: 'forbidden', message: 'Refused.' } };
    }
    // dispatch validates the method name and the input against the contract's schemas.
    return dispatch(services(), typeof method === 'string' ? method : '', input, log);
  });
  ipcMain.handle('ahunt:pixels', (event, objectId: unknown) => {
    if (!fromOurPage(event)) throw new Error('Refused.');
    if (typeof objectId !== 'number' || !Number.isInteger(objectId) || objectId < 1) {
      throw new Error('An object id is a positive whole number.');
    }
    const p = services().pixels(objectId);
    return { size: p.size, bands: p.bands, data: p.data };
  });
}

export function sendEvent<E extends EventName>(
  contents: WebContents | null,
  event: E,
  payload: Events[E],
): void {
  if (contents && !contents.isDestroyed()) contents.send('ahunt:event', event, payload);
}
