import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** The token from `Authorization: Bearer …` or `?token=` (EventSource cannot set headers). */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  const header = req.headers.authorization;
  if (header?.startsWith('Bearer ')) return header.slice(7).trim();
  return url.searchParams.get('token');
}

export function tokenMatches(given: string | null, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Only pages served by this server may call it: a foreign Origin (another site open in the
 * same browser) is refused, and so is a Host header that is not ours (DNS rebinding).
 */
export function sameOrigin(req: IncomingMessage, port: number): boolean {
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  if (!req.headers.host || !allowedHosts.has(req.headers.host)) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true; // same-origin GETs and non-browser clients send none
  try {
    const o = new URL(origin);
    return o.protocol === 'http:' && allowedHosts.has(o.host);
  } catch {
    return false;
  }
}
