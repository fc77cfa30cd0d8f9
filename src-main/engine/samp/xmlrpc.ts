import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { XmlRpcValue } from '@foxglove/xmlrpc';

/**
 * XML-RPC over HTTP for SAMP's standard profile. The wire format (serialising and parsing
 * method calls, responses and faults) is @foxglove/xmlrpc's; the transport is ours because
 * its client has no timeout, and a SAMP peer that never answers must not hold a request
 * open for ever.
 */

export type { XmlRpcValue };

/*
 * The package is loaded at the first call (~0.3 s of a core): every door opens a project with
 * its SAMP link, and most runs never speak SAMP.
 */
let wireModule: Promise<typeof import('@foxglove/xmlrpc')> | null = null;
const wire = () => (wireModule ??= import('@foxglove/xmlrpc'));

/** Hubs and clients answer in milliseconds; anything larger than this is not SAMP. */
const MAX_BODY_BYTES = 8 << 20;

/** Why an XML-RPC call did not return a value: a sentence naming the peer and the method. */
export class XmlRpcCallError extends Error {
  override name = 'XmlRpcCallError';
  constructor(
    message: string,
    readonly kind: 'timeout' | 'unreachable' | 'fault' | 'malformed',
  ) {
    super(message);
  }
}

/** Calls `method` at `url`; rejects with an XmlRpcCallError after `timeoutMs` at the latest. */
export async function xmlRpcCall(
  url: string,
  method: string,
  params: XmlRpcValue[],
  timeoutMs: number,
): Promise<XmlRpcValue> {
  const { Deserializer, serializeMethodCall, XmlRpcFault } = await wire();
  const body = serializeMethodCall(method, params);
  const text = await post(url, body, timeoutMs, method);
  try {
    return await new Deserializer().deserializeMethodResponse(text);
  } catch (error) {
    if (error instanceof XmlRpcFault) {
      throw new XmlRpcCallError(
        `${method} was refused: ${error.faultString ?? error.message}`,
        'fault',
      );
    }
    throw new XmlRpcCallError(`${method} got an answer that is not XML-RPC`, 'malformed');
  }
}

function post(url: string, body: string, timeoutMs: number, method: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (message: string, kind: XmlRpcCallError['kind']) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      reject(new XmlRpcCallError(message, kind));
    };
    const req = request(url, {
      method: 'POST',
      headers: {
        'Content-Type': 'text/xml; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      },
    });
    const timer = setTimeout(
      () => fail(`${method} had no answer within ${(timeoutMs / 1000).toFixed(1)} s`, 'timeout'),
      timeoutMs,
    );
    req.on('error', (error) =>
      fail(`${method} could not reach ${url} (${error.message})`, 'unreachable'),
    );
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        fail(`${method} was answered with HTTP ${res.statusCode}`, 'malformed');
        return;
      }
      readBody(res)
        .then((text) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(text);
        })
        .catch((error: Error) => fail(`${method}: ${error.message}`, 'malformed'));
    });
    req.end(body);
  });
}

function readBody(stream: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        stream.destroy();
        reject(new Error(`the message is larger than ${MAX_BODY_BYTES >> 20} MiB`));
      } else chunks.push(chunk);
    });
    stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    stream.on('error', reject);
  });
}

export type MethodHandler = (args: XmlRpcValue[]) => XmlRpcValue | Promise<XmlRpcValue>;

/**
 * The callable client's endpoint: an HTTP server on 127.0.0.1 (never another interface: only
 * the hub on this machine calls it) that answers XML-RPC POSTs at /xmlrpc, plus any static
 * files given (the icon in our metadata). A malformed call is answered with a fault and
 * reported through `onProblem`; it never throws out of the server.
 */
export class CallbackServer {
  private constructor(
    private readonly server: Server,
    readonly url: string,
    readonly baseUrl: string,
  ) {}

  static async start(
    handlers: ReadonlyMap<string, MethodHandler>,
    files: ReadonlyMap<string, { type: string; bytes: Uint8Array }>,
    onProblem: (message: string) => void,
  ): Promise<CallbackServer> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0]!;
      const file = files.get(path);
      if (req.method === 'GET' && file) {
        res.writeHead(200, { 'Content-Type': file.type, 'Content-Length': file.bytes.length });
        res.end(file.bytes);
        return;
      }
      if (req.method !== 'POST' || path !== '/xmlrpc') {
        res.writeHead(404).end();
        return;
      }
      const answer = (xml: string) => {
        res.writeHead(200, {
          'Content-Type': 'text/xml; charset=utf-8',
          'Content-Length': Buffer.byteLength(xml),
        });
        res.end(xml);
      };
      readBody(req)
        .then((text) => respond(text, handlers, onProblem))
        .then(answer)
        .catch(() => res.destroy());
    });
    // A hub keeps its connections alive; closing must not wait for them.
    server.keepAliveTimeout = 2000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    server.unref();
    const { port } = server.address() as AddressInfo;
    const baseUrl = `http://127.0.0.1:${port}`;
    return new CallbackServer(server, `${baseUrl}/xmlrpc`, baseUrl);
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

/** The XML of the answer to one XML-RPC call: the handler's value, or a fault saying why not. */
async function respond(
  text: string,
  handlers: ReadonlyMap<string, MethodHandler>,
  onProblem: (problem: string) => void,
): Promise<string> {
  const { Deserializer, serializeFault, serializeMethodResponse, XmlRpcFault } = await wire();
  let call: [string, XmlRpcValue[]];
  try {
    call = await new Deserializer().deserializeMethodCall(text);
  } catch (error) {
    onProblem(`received a malformed XML-RPC call (${(error as Error).message})`);
    return serializeFault(new XmlRpcFault('Malformed XML-RPC call', -32700));
  }
  const [method, args] = call;
  const handler = handlers.get(method);
  if (!handler) {
    onProblem(`a peer called ${method}, which a SAMP client does not offer`);
    return serializeFault(new XmlRpcFault(`No method ${method}`, -32601));
  }
  try {
    return serializeMethodResponse(await handler(args));
  } catch (error) {
    const message = (error as Error).message ?? String(error);
    onProblem(`${method} failed: ${message}`);
    return serializeFault(new XmlRpcFault(message, -32500));
  }
}
