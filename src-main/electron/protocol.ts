import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { CSP } from './hardening';

/** The renderer is served from this origin, never from file:// paths the page could choose. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://renderer`;
/** The hidden GPU windows' page (gpu-window.ts), a folder of its own. */
export const GPU_PAGE_ORIGIN = `${APP_SCHEME}://gpu-trainer`;

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export function registerSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/**
 * Serves files of the built renderer (host "renderer") and of the GPU page (host
 * "gpu-trainer") only; anything resolving outside them is a 404.
 */
export function serveRenderer(rendererDir: string, gpuPageDir?: string): void {
  const roots: Record<string, string> = { renderer: resolve(rendererDir) };
  if (gpuPageDir !== undefined) roots['gpu-trainer'] = resolve(gpuPageDir);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const root = roots[url.host];
    if (root === undefined) return new Response('Not found', { status: 404 });
    const path = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = resolve(join(root, normalize(path)));
    if (!file.startsWith(root + sep)) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          'content-security-policy': CSP,
          'x-content-type-options': 'nosniff',
        },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}
