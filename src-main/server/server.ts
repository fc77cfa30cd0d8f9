import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventName, Events } from '../contract/contract';
import { dispatch, type Services } from '../app/dispatch';
import { toApiError } from '../app/errors';
import { encodePixelBatch, parsePixelIds, readPixelBatch } from '../contract/pixel-batch';
import { deferredFrames } from './deferred-frames';
import { newToken, requestToken, sameOrigin, tokenMatches, tokenProblem } from './auth';
import { serveStatic } from './static-files';

const MAX_BODY = 1 << 20;

export interface ServerOptions {
  /** The door's live services (app/host.ts): they follow the project open now. */
  services: Services;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  host?: string;
  port?: number;
  token?: string;
  /** Where rejected requests and internal errors are logged, one line each; default stderr. */
  log?: (message: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  /** Pushes an event to every connected page. */
  broadcast<E extends EventName>(event: E, payload: Events[E]): void;
  close(): Promise<void>;
}

/**
 * The api over HTTP for the renderer in a browser: POST /api/call/<method>, server-sent
 * events at /api/events, batches of raw pixels at /api/pixels?ids=…, and the built renderer at /. Bound
 * to 127.0.0.1 and protected by a random token (like Jupyter); other origins are refused.
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const problem = options.token === undefined ? null : tokenProblem(options.token);
  if (problem) throw Object.assign(new Error(`Cannot serve: ${problem}`), { userFacing: true });
  const token = options.token ?? newToken();
  const log = options.log ?? ((m: string) => console.error(m));
  const clients = new Set<ServerResponse>();
  // Events after the reply of the request that caused them (deferred-frames.ts).
  const events = deferredFrames((frames) => {
    for (const c of clients) c.write(frames);
  });
  let port = 0;
  const server: Server = createServer((req, res) => {
    handle(req, res, performance.now()).catch((error: unknown) => {
      log(`server error: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: toApiError(error) });
      else res.end();
    });
  });

  /** `arrived`: when the request's headers were parsed, for the server's share (Server-Timing). */
  async function handle(req: IncomingMessage, res: ServerResponse, arrived: number): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!sameOrigin(req, port)) {
      sendJson(res, 403, {
        ok: false,
        error: { code: 'forbidden-origin', message: 'Requests from other sites are refused.' },
      });
      return;
    }
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { ok: false });
      if (!serveStatic(options.rendererDir, url.pathname, res)) {
        // Unknown paths get the app (client-side views), but never a file outside the renderer.
        if (!serveStatic(options.rendererDir, '/index.html', res)) {
          res
            .writeHead(404, { 'content-type': 'text/plain' })
            .end('The renderer is not built: run npm run build.');
        }
      }
      return;
    }
    if (!tokenMatches(requestToken(req, url), token)) {
      sendJson(res, 401, {
        ok: false,
        error: {
          code: 'unauthorized',
          message: 'Open the address with its ?token=… that ahunt serve printed.',
        },
      });
      return;
    }
    if (url.pathname.startsWith('/api/call/') && req.method === 'POST') {
      const method = requestName(url.pathname.slice('/api/call/'.length));
      if (method === null) {
        // Never echo it: a crafted name could forge lines in the log.
        log(`rejected ${url.pathname.slice(0, 200)}: not a request name`);
        return sendJson(res, 400, {
          ok: false,
          error: { code: 'unknown-method', message: 'That is not a request name.' },
        });
      }
      const body = await readBody(req, MAX_BODY);
      if (body === 'too-large') {
        log(`rejected ${method}: body over ${MAX_BODY} bytes`);
        return sendJson(res, 413, {
          ok: false,
          error: { code: 'too-large', message: 'The request is too large.' },
        });
      }
      let input: unknown;
      try {
        input = body.length ? JSON.parse(body) : {};
      } catch {
        log(`rejected ${method}: body is not JSON`);
        return sendJson(res, 400, {
          ok: false,
          error: { code: 'invalid-request', message: 'The request body is not JSON.' },
        });
      }
      const started = performance.now();
      const result = await dispatch(options.services, method, input, log);
      const status =
        !result.ok && ['invalid-request', 'unknown-method'].includes(result.error.code) ? 400 : 200;
      // For the browser's timing of the request: the engine's share, and the server's (from
      // the parsed headers to the reply: the body's arrival, JSON, the engine). What is left
      // of the request's time is the way there and back, and waiting for a CPU at each end.
      const ended = performance.now();
      const timing = [
        `engine;dur=${(ended - started).toFixed(2)}`,
        `server;dur=${(ended - arrived).toFixed(2)}`,
      ];
      return sendJson(res, status, result, { 'server-timing': timing.join(', ') });
    }
    if (url.pathname === '/api/events' && req.method === 'GET') {
      res.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return;
    }
    if (url.pathname === '/api/pixels' && req.method === 'GET') {
      const ids = parsePixelIds(url.searchParams.get('ids'));
      if (typeof ids === 'string') {
        log(`rejected GET /api/pixels: ${ids}`);
        return sendJson(res, 400, { ok: false, error: { code: 'invalid-request', message: ids } });
      }
      const body = encodePixelBatch(ids, readPixelBatch(ids, options.services.pixels));
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'cache-control': 'private, max-age=3600',
      });
      res.end(body);
      return;
    }
    log(`rejected ${req.method} ${url.pathname.slice(0, 200)}: no such endpoint`);
    sendJson(res, 404, {
      ok: false,
      error: { code: 'not-found', message: `No such endpoint: ${req.method} ${url.pathname}` },
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // A keep-alive ping stops proxies and browsers from dropping an idle event stream.
  const ping = setInterval(() => {
    for (const c of clients) c.write(': ping\n\n');
  }, 15_000);
  ping.unref();

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    broadcast(event, payload) {
      events.push(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    },
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(ping);
        events.clear();
        for (const c of clients) c.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The decoded request name, or null when it is not one (bad %-escapes, odd characters). */
function requestName(encoded: string): string | null {
  try {
    const name = decodeURIComponent(encoded);
    return /^[A-Za-z][\w.]{0,63}$/.test(name) ? name : null;
  } catch {
    return null;
  }
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

function readBody(req: IncomingMessage, limit: number): Promise<string | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(over ? 'too-large' : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
