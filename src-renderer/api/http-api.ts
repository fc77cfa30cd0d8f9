/**
 * The AhuntApi over the local server: requests as POST /api/call/<method>, events as
 * server-sent events, pixels as batches of raw float32 bytes. Same shape as the desktop bridge.
 */
import type {
  AhuntApi,
  EventName,
  Events,
  Input,
  Method,
  Output,
  PixelData,
  Result,
} from '../../src-main/contract/contract';
import { EVENT_NAMES } from '../../src-main/contract/event-names';
import { decodePixelBatch } from '../../src-main/contract/pixel-batch';
import { RequestLanes } from './request-lanes';

type Listener = (payload: never) => void;

/** What the expert waits on at the keyboard: these never queue behind other requests. */
const answers = new Set<Method>(['label.set', 'label.undo', 'class.create']);

export function createHttpApi(token: string, base = ''): AhuntApi {
  const listeners = new Map<EventName, Set<Listener>>();
  let source: EventSource | null = null;
  const lanes = new RequestLanes();

  function emit(name: EventName, payload: unknown): void {
    for (const listener of listeners.get(name) ?? []) (listener as (p: unknown) => void)(payload);
  }

  // EventSource reconnects by itself after a drop, but the server replays nothing: after a
  // reconnect the page fetches the state once, as if the engine had announced it.
  let dropped = false;
  async function resync(): Promise<void> {
    const result = await api.call('session.state', {}).catch(() => null);
    if (result?.ok) emit('session.changed', result.value);
  }

  function connect(): void {
    if (source) return;
    source = new EventSource(`${base}/api/events?token=${encodeURIComponent(token)}`);
    source.addEventListener('error', () => {
      dropped = true;
    });
    source.addEventListener('open', () => {
      if (!dropped) return;
      dropped = false;
      void resync();
    });
    for (const name of EVENT_NAMES) {
      source.addEventListener(name, (event) => {
        try {
          emit(name, JSON.parse((event as MessageEvent).data as string));
        } catch {
          // A malformed event is dropped: the next session.changed carries the full state.
        }
      });
    }
  }

  const api: AhuntApi = {
    async call<M extends Method>(method: M, input: Input<M>): Promise<Result<Output<M>>> {
      // The body is read inside the lane: the connection is busy until it has arrived.
      const exchange = async (): Promise<{ status: number; body: unknown }> => {
        const response = await fetch(`${base}/api/call/${method}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify(input ?? {}),
        });
        if (response.status === 401) return { status: 401, body: undefined };
        const body: unknown = await response.json().catch(() => undefined);
        return { status: response.status, body };
      };
      const { status, body } = await (answers.has(method)
        ? lanes.urgent(exchange)
        : lanes.background(exchange));
      if (status === 401) {
        return {
          ok: false,
          error: {
            code: 'unauthorized',
            message:
              'The server refused this page (no or wrong token). Open the address that `ahunt serve` printed.',
          },
        };
      }
      if (body === undefined) {
        return {
          ok: false,
          error: {
            code: 'bad-response',
            message: `The server answered ${method} with HTTP ${status} and no result. Check the terminal running ahunt serve.`,
          },
        };
      }
      return body as Result<Output<M>>;
    },

    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      connect();
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      set.add(listener as Listener);
      return () => set.delete(listener as Listener);
    },

    async pixels(objectIds: readonly number[]): Promise<(PixelData | null)[]> {
      if (objectIds.length === 0) return [];
      // The body is read inside the slot: the connection is busy until it has arrived.
      const body = await lanes.background(async () => {
        const response = await fetch(
          `${base}/api/pixels?ids=${objectIds.join(',')}&token=${encodeURIComponent(token)}`,
        );
        if (!response.ok) throw new Error(`the pixels are unavailable (HTTP ${response.status})`);
        return response.arrayBuffer();
      });
      return decodePixelBatch(objectIds, body);
    },
  };
  return api;
}
