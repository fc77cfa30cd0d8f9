/**
 * A stand-in for `ahunt serve` with the same HTTP protocol, over the in-memory FakeEngine:
 * the built renderer as static files, POST /api/call/<method>, GET /api/events (SSE),
 * GET /api/pixels?ids=…, a bearer token, and a same-origin check. Labels are mirrored into
 * <projectDir>/ahunt.sqlite (table object_labels) so tests can check persistence the way
 * they will against the real server.
 */
import { createReadStream, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Method } from '../../src-main/contract/contract';
import { EVENT_NAMES } from '../../src-main/contract/event-names';
import { encodePixelBatch, parsePixelIds } from '../../src-main/contract/pixel-batch';
import { FakeEngine, type FakeEngineOptions } from './fake-engine';

export interface FakeServer {
  url: string;
  port: number;
  engine: FakeEngine;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
};

function labelMirror(projectDir: string): FakeEngineOptions['onLabels'] {
  mkdirSync(projectDir, { recursive: true });
  const db = new Database(join(projectDir, 'ahunt.sqlite'));
  db.exec(
    'CREATE TABLE IF NOT EXISTS object_labels (object_id INTEGER PRIMARY KEY, class_id INTEGER NOT NULL, event_id INTEGER NOT NULL)',
  );
  const clear = db.prepare('DELETE FROM object_labels');
  const insert = db.prepare('INSERT INTO object_labels VALUES (?, ?, ?)');
  const replaceAll = db.transaction((labels: [number, { classId: number; eventId: number }][]) => {
    clear.run();
    for (const [objectId, label] of labels) insert.run(objectId, label.classId, label.eventId);
  });
  return (labels) => replaceAll([...labels]);
}

export async function startFakeServer(options: {
  projectDir: string;
  token: string;
  staticDir: string;
  engine?: FakeEngineOptions;
}): Promise<FakeServer> {
  const engine = new FakeEngine({ ...options.engine, onLabels: labelMirror(options.projectDir) });
  const staticRoot = resolve(options.staticDir);
  let origin = '';

  function send(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  async function readBody(req: IncomingMessage): Promise<unknown> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    return text ? (JSON.parse(text) as unknown) : {};
  }

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', origin);
      // Another site's page must not drive the engine through the user's browser.
      const requestOrigin = req.headers.origin;
      if (requestOrigin && requestOrigin !== origin) {
        send(res, 403, {
          ok: false,
          error: { code: 'forbidden', message: 'Cross-origin requests are refused.' },
        });
        return;
      }
      if (url.pathname.startsWith('/api/')) {
        const bearer = req.headers.authorization?.replace(/^Bearer /, '');
        const token = bearer ?? url.searchParams.get('token');
        if (token !== options.token) {
          send(res, 401, {
            ok: false,
            error: { code: 'unauthorized', message: 'Missing or wrong token.' },
          });
          return;
        }
        if (req.method === 'POST' && url.pathname.startsWith('/api/call/')) {
          const method = url.pathname.slice('/api/call/'.length) as Method;
          let input: unknown;
          try {
            input = await readBody(req);
          } catch {
            send(res, 400, {
              ok: false,
              error: { code: 'invalid-json', message: 'The request body is not JSON.' },
            });
            return;
          }
          send(res, 200, await engine.call(method, input as never));
          return;
        }
        if (req.method === 'GET' && url.pathname === '/api/events') {
          res.writeHead(200, {
            'content-type': 'text/event-stream',
            'cache-control': 'no-cache',
            connection: 'keep-alive',
          });
          res.write(': connected\n\n');
          const offs = EVENT_NAMES.map((name) =>
            engine.on(name, (payload) =>
              res.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`),
            ),
          );
          req.on('close', () => offs.forEach((off) => off()));
          return;
        }
        if (req.method === 'GET' && url.pathname === '/api/pixels') {
          const ids = parsePixelIds(url.searchParams.get('ids'));
          if (typeof ids === 'string') {
            send(res, 400, { ok: false, error: { code: 'invalid-request', message: ids } });
            return;
          }
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          res.end(encodePixelBatch(ids, await engine.pixels(ids)));
          return;
        }
        send(res, 404, {
          ok: false,
          error: { code: 'not-found', message: `No route ${url.pathname}.` },
        });
        return;
      }
      const relative =
        url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname.slice(1));
      const file = normalize(join(staticRoot, relative));
      if (!file.startsWith(staticRoot) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, {
        'content-type': contentTypes[extname(file)] ?? 'application/octet-stream',
      });
      createReadStream(file).pipe(res);
    })().catch((error: unknown) => {
      if (!res.headersSent)
        send(res, 500, { ok: false, error: { code: 'internal', message: String(error) } });
    });
  });

  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/?token=${options.token}`,
    port,
    engine,
    close: () =>
      new Promise((done) => {
        engine.dispose();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
