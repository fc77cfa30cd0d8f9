import { request } from 'node:http';

export interface RawReply {
  status: number;
  /** The body parsed as JSON, or null when it is not JSON. */
  json: unknown;
  text: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A raw HTTP request to the local server, so a test controls every header (fetch would add
 * its own Origin rules). The Host header is the server's own unless `headers` says otherwise.
 */
export function rawRequest(
  port: number,
  path: string,
  {
    method = 'POST',
    body,
    headers = {},
  }: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          let json: unknown = null;
          try {
            json = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, json, text, headers: res.headers });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}
