/**
 * The host's end of the GPU page's port, opened inside the page itself: for a page that
 * Playwright drives (this bench's GPU route line, the browser test of the GPU route), where
 * no preload hands a port over as in the desktop app. page.evaluate sends a function's source
 * and not its imports, so openGpuPageCalls is whole in itself: evaluate it once on a page with
 * PORT_HANDOVER, and then functions evaluated on that page make the worker protocol's calls
 * through `(globalThis as unknown as GpuPageCalls).gpuPageCall`.
 */
import type { PageCallKind, PageRequest } from '../../engine/learn/gpu-page/port';
import type { TrainProgress } from '../../engine/learn/types';
import type { LearnerResults, WorkerMessage } from '../../engine/learn/worker/protocol';

export interface GpuPageCalls {
  /** One call, numbered here; its value, or an Error whose message is the page's error. */
  gpuPageCall<K extends PageCallKind>(
    request: Extract<PageRequest, { kind: K }>,
    onProgress?: (progress: TrainProgress) => void,
  ): Promise<LearnerResults[K]>;
}

interface BrowserPort {
  onmessage: ((event: { data: WorkerMessage }) => void) | null;
  postMessage(message: unknown): void;
}

interface PageGlobals {
  MessageChannel: new () => { port1: BrowserPort; port2: unknown };
  postMessage(message: unknown, origin: string, transfer: unknown[]): void;
  gpuPageCall: GpuPageCalls['gpuPageCall'];
}

/** Runs in the page: hands it a port (`handover`: PORT_HANDOVER) and installs gpuPageCall. */
export function openGpuPageCalls(handover: string): void {
  const g = globalThis as unknown as PageGlobals;
  const channel = new g.MessageChannel();
  g.postMessage(handover, '*', [channel.port2]);
  const answers = new Map<number, (message: WorkerMessage) => void>();
  channel.port1.onmessage = (e) => answers.get(e.data.id)?.(e.data);
  let id = 0;
  g.gpuPageCall = (request, onProgress) =>
    new Promise((resolve, reject) => {
      id += 1;
      answers.set(id, (m) => {
        if (m.type === 'progress') onProgress?.(m.progress);
        else if (m.type === 'result') resolve(m.value as never);
        else if (m.type === 'error') reject(new Error(JSON.stringify(m.error)));
      });
      channel.port1.postMessage({ ...request, id });
    });
}
