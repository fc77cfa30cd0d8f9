import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** A token chosen by hand (`ahunt serve --token`) must be at least this hard to guess. */
export const MIN_TOKEN_LENGTH = 16;

/**
 * What is wrong with a token given by hand, or null. It travels in a URL (`?token=`), so only
 * URL-safe characters, and it is the only thing between another local user and the project.
 */
export function tokenProblem(token: string): string | null {
  if (token.length < MIN_TOKEN_LENGTH)
    return `the token must be at least ${MIN_TOKEN_LENGTH} characters (leave out --token for a random one).`;
  if (!/^[A-Za-z0-9._~-]+$/.test(token))
    return 'the token may hold only letters, digits and . _ ~ - (it travels in the address).';
  return null;
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
