import { parsePixelIds, readPixelBatch } from '../contract/pixel-batch';
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import type { EventName, Events } from '../contract/contract';
import { dispatch, type Services } from '../app/dispatch';
import { IPC } from './channels';
import { APP_ORIGIN } from './protocol';

/** Only our own page, loaded from our protocol, in the main frame, may call the engine. */
function fromOurPage(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && frame.url.startsWith(`${APP_ORIGIN}/`);
}

/** `services` are the host's live ones: opening another project needs no new handlers. */
export function registerIpc(services: Services, log: (m: string) => void): void {
  ipcMain.handle(IPC.call, async (event, method: unknown, input: unknown) => {
    if (!fromOurPage(event)) {
      log(`refused ipc call from ${event.senderFrame?.url ?? 'an unknown frame'}`);
      return { ok: false, error: { code: 'forbidden', message: 'Refused.' } };
    }
    // dispatch validates the method name and the input against the contract's schemas.
    return dispatch(services, typeof method === 'string' ? method : '', input, log);
  });
  ipcMain.handle(IPC.pixels, (event, objectIds: unknown) => {
    if (!fromOurPage(event)) throw new Error('Refused.');
    // The same rules as the server's ?ids=: a short list of positive whole numbers.
    const ids = parsePixelIds(Array.isArray(objectIds) ? objectIds.join(',') : null);
    if (typeof ids === 'string') throw new Error(ids);
    return readPixelBatch(ids, services.pixels);
  });
}

export function sendEvent<E extends EventName>(
  contents: WebContents | null,
  event: E,
  payload: Events[E],
): void {
  if (contents && !contents.isDestroyed()) contents.send(IPC.event, event, payload);
}
