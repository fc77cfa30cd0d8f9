/**
 * The one IPC channel of the hidden GPU windows: main → their preload, carrying the
 * MessagePort the engine trains through. Apart from channels.ts so the two preloads share no
 * module: a shared one becomes a chunk that a sandboxed preload cannot require.
 */
export const GPU_PORT_CHANNEL = 'ahunt:gpu-port';
