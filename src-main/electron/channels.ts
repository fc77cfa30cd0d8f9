/**
 * The IPC channels between the main process (ipc.ts) and the preload bridge (preload.ts):
 * the one list both import, so a renamed channel cannot leave one side listening to nothing.
 */
export const IPC = {
  /** renderer → main: one app api request (method, input) → Result. */
  call: 'ahunt:call',
  /** renderer → main: pixels of several objects at once. */
  pixels: 'ahunt:pixels',
  /** main → renderer: one contract event (name, payload). */
  event: 'ahunt:event',
} as const;
