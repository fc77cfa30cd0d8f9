/**
 * The GPU page: a Chromium page (in the desktop app, a hidden window) that trains the AHUNT
 * network on tfjs's WebGPU or WebGL backend, so any vendor's graphics card can train, not only
 * CUDA ones. It speaks the model worker's own protocol (worker/protocol.ts) over a
 * postMessage-like port, for the calls that train: init, train, save, load, addClass, dispose.
 * Scoring stays in the engine's worker (onnxruntime), which holds the same weights.
 *
 * The engine sees only this port: which window, process or browser carries the messages is the
 * door's business (src-main/electron/gpu-window.ts), so the engine never learns it is Electron.
 *
 * It lives in learn/, beside worker/, because it is the same learner in a third place: it runs
 * learn's model, trainRound and augmentation unchanged and answers learn/worker's protocol.
 */
import type { AnsweringPort } from '../worker/answer-calls';
import type { CancelMessage, LearnerCall, LearnerRequest, WorkerMessage } from '../worker/protocol';

/**
 * The calls a GPU page answers; the others belong to the scoring worker. No addClass: a class
 * added between rounds reaches the page with the next round's load (gpu-route-runner.ts).
 */
export const PAGE_CALLS = ['init', 'train', 'save', 'load', 'dispose'] as const;
export type PageCallKind = (typeof PAGE_CALLS)[number];
export type PageRequest = Extract<LearnerRequest, { kind: PageCallKind }>;

/** The engine's end of the channel to a GPU page. Messages are structured-cloned. */
export interface GpuPagePort {
  post(message: LearnerCall | CancelMessage): void;
  onMessage(receive: (message: WorkerMessage) => void): void;
  /** Called once when the page goes away (window closed, renderer crashed). */
  onClose(closed: (why: string) => void): void;
  close(): void;
}

/** The page's end: what the trainer inside the page reads from and answers on. */
export type PageSidePort = AnsweringPort<ArrayBuffer>;

/** The page's message that it is ready for a port (sent by the page once its script runs). */
export const PORT_HANDOVER = 'ahunt-gpu-port';
