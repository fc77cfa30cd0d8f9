import { createReadStream, existsSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/**
 * Serves a file of the built renderer. The resolved path must stay inside `root`: `..`,
 * encoded separators and absolute paths never reach the rest of the disk.
 */
export function serveStatic(root: string, pathname: string, res: ServerResponse): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  if (decoded.includes('\0')) return false;
  const base = resolve(root);
  const target = resolve(join(base, normalize(decoded === '/' ? '/index.html' : decoded)));
  if (target !== base && !target.startsWith(base + sep)) return false;
  if (!existsSync(target) || !statSync(target).isFile()) return false;
  res.writeHead(200, {
    'content-type': TYPES[extname(target)] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    'cache-control': extname(target) === '.html' ? 'no-store' : 'max-age=3600',
    ...(extname(target) === '.html'
      ? {
          'content-security-policy':
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
        }
      : {}),
  });
  createReadStream(target).pipe(res);
  return true;
}
