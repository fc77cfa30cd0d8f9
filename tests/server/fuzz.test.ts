/**
 * Issue #19: thousands of generated requests against the real served api — request names
 * real and invented, bodies of every shape and size, valid inputs bent out of shape — must
 * never get a 5xx and never hang. Seeded, so a failure names a request that can be replayed.
 * Paths in the inputs stay inside a sandbox folder: the api may legitimately create projects,
 * ingest and export wherever it is told.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requestSchemas } from '../../src-main/contract/contract';
import { mulberry32 } from '../../src-main/engine/random';
import type { ProjectHost } from '../../src-main/app/host';
import type { RunningServer } from '../../src-main/server/server';
import { tempDir } from '../store/helpers';
import { rawRequest, type RawReply } from './raw-request';
import { serveSyntheticProject } from './served-project';

const REQUESTS = 3000;
const CONCURRENCY = 6;
/**
 * Far above any answer's time on a loaded 2-core machine: past it, the server hung. Project
 * switches queue behind each other and each starts a model worker (seconds when the machine
 * is busy), so a switch can wait for a few others.
 */
const HANG_MS = 60_000;

let host: ProjectHost;
let server: RunningServer;
let sandbox: string;
const logs: string[] = [];

beforeAll(async () => {
  sandbox = tempDir();
  mkdirSync(join(sandbox, 'data'), { recursive: true });
  writeFileSync(join(sandbox, 'data', 'not-an-image.fits'), 'SIMPLE  =                    T');
  ({ host, server } = await serveSyntheticProject({
    objects: 60,
    rings: 3,
    log: (m) => logs.push(m),
  }));
}, 60_000);

afterAll(async () => {
  await server?.close();
  await host?.close();
});

type Random = () => number;
const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)]!;

const ODD_STRINGS = [
  '',
  ' ',
  '\u0000',
  '\n\r\t',
  '../../..',
  '%00',
  '<script>alert(1)</script>',
  "'; DROP TABLE objects; --",
  '\u202e\u200b',
  '😀'.repeat(40),
  'x'.repeat(5000),
  '__proto__',
  'constructor',
  '#ff00ff',
  '1',
  '-1',
  'NaN',
];

function randomString(r: Random): string {
  if (r() < 0.4) return pick(r, ODD_STRINGS);
  const length = Math.floor(r() ** 3 * 300);
  let s = '';
  for (let i = 0; i < length; i++) s += String.fromCodePoint(Math.floor(r() ** 4 * 0x2ffff));
  return s;
}

function randomNumber(r: Random): number {
  return pick(r, [
    0,
    1,
    -1,
    2,
    3,
    0.5,
    1e308,
    -1e308,
    2 ** 53,
    2 ** 31,
    Number.MIN_VALUE,
    Math.floor(r() * 200),
    r() * 1e6 - 5e5,
  ]);
}

function randomValue(r: Random, depth = 0): unknown {
  const roll = r();
  if (depth > 3 || roll < 0.25) return randomNumber(r);
  if (roll < 0.5) return randomString(r);
  if (roll < 0.6) return r() < 0.5;
  if (roll < 0.65) return null;
  if (roll < 0.8)
    return Array.from({ length: Math.floor(r() * 6) }, () => randomValue(r, depth + 1));
  const object: Record<string, unknown> = {};
  // defineProperty: a key such as "__proto__" becomes an own field, as JSON.parse makes it.
  for (let i = Math.floor(r() * 5); i > 0; i--)
    Object.defineProperty(object, randomString(r).slice(0, 20), {
      value: randomValue(r, depth + 1),
      enumerable: true,
      configurable: true,
      writable: true,
    });
  return object;
}

/** A plausible input for a known request, with its paths kept inside the sandbox. */
function plausible(r: Random, method: string): Record<string, unknown> {
  const inSandbox = () => join(sandbox, pick(r, ['a', 'b', 'data', 'p/q', '..x', 'new project']));
  const anId = () => pick(r, [1, 2, 3, 4, 5, 30, 59, 60, 61, 999, 0, -3]);
  switch (method) {
    case 'project.open':
      return {
        dir: inSandbox(),
        create: r() < 0.5,
        ...(r() < 0.3 ? { name: randomString(r) } : {}),
      };
    case 'folder.list':
      return r() < 0.5 ? { dir: inSandbox() } : {};
    case 'label.set':
      return {
        objectId: anId(),
        classId: anId(),
        ...(r() < 0.3 ? { seconds: randomNumber(r) } : {}),
      };
    case 'class.create':
      return { name: randomString(r), kind: pick(r, ['anomaly', 'normal', 'reserve']) };
    case 'class.rename':
      return { id: anId(), name: randomString(r) };
    case 'class.merge':
      return { from: anId(), into: anId() };
    case 'class.recolour':
      return { id: anId(), colour: pick(r, ['#ff0000', '#00FF00', 'red', '#12345']) };
    case 'class.interest':
      return { id: anId(), interest: randomNumber(r) };
    case 'class.hotkey':
      return { id: anId(), hotkey: pick(r, ['1', '5', '9', '0', null, 'a']) };
    case 'object.get':
      return { id: anId() };
    case 'objects.similar':
      return { id: anId(), k: pick(r, [1, 24, 500, 501, 0]) };
    case 'latent.map':
      return { method: pick(r, ['pca', 'umap', 'tsne']), limit: pick(r, [10, 100, 5, 20_001]) };
    case 'settings.set':
      return {
        strategy: pick(r, ['most-anomalous', 'uncertainty', 'random', 'fusion', 'best']),
        queries: pick(r, [1, 4, 200, 0]),
        epochs: pick(r, [1, 2, 0]),
      };
    case 'ingest.start':
      return { paths: [inSandbox(), join(sandbox, 'data')], size: pick(r, [8, 16, 7, 300]) };
    case 'export.run':
      return {
        format: pick(r, ['csv', 'fits', 'votable', 'json', 'xls']),
        out: r() < 0.5 ? pick(r, ['cat.csv', '../ahunt.sqlite', 'a/../../b.csv']) : inSandbox(),
        ...(r() < 0.5 ? { labelledOnly: r() < 0.5 } : {}),
      };
    default:
      return {};
  }
}

/** Bends a plausible input: drops, retypes or adds a field. */
function mutate(r: Random, input: Record<string, unknown>): unknown {
  const copy: Record<string, unknown> = { ...input };
  const keys = Object.keys(copy);
  const roll = r();
  if (roll < 0.25 && keys.length) delete copy[pick(r, keys)];
  else if (roll < 0.55 && keys.length) copy[pick(r, keys)] = randomValue(r);
  else if (roll < 0.7) copy[randomString(r).slice(0, 16)] = randomValue(r);
  else if (roll < 0.75) return randomValue(r);
  return copy;
}

/** URL-encoded; a lone surrogate (which cannot be encoded) becomes a broken escape instead. */
function encoded(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return '%ED%A0%80';
  }
}

interface Probe {
  path: string;
  method: 'POST' | 'GET';
  body?: string;
}

function probe(r: Random): Probe {
  const methods = Object.keys(requestSchemas);
  const roll = r();
  if (roll < 0.06) {
    const ids = Array.from(
      { length: Math.floor(r() * 8) },
      () => JSON.stringify(randomValue(r)) ?? '',
    ).join(',');
    return { method: 'GET', path: `/api/pixels?ids=${encoded(ids)}` };
  }
  // A project switch starts a new model worker: one in ten picks is kept, so the switches
  // stay a few dozen of the thousands and the run stays bounded.
  let known = pick(r, methods);
  while (known === 'project.open' && r() < 0.9) known = pick(r, methods);
  const name =
    roll < 0.75
      ? known
      : pick(r, [
          encoded(randomString(r).slice(0, 80)),
          'constructor',
          'toString',
          '__proto__',
          'hasOwnProperty',
          'session.state.x',
          '%E0%A4%A',
          'label..set',
          'x'.repeat(70),
        ]);
  let body: string | undefined;
  const shape = r();
  if (shape < 0.04)
    body = randomString(r); // not JSON
  else if (shape < 0.06)
    body = JSON.stringify({ pad: 'x'.repeat((1 << 20) + 10) }); // too large
  else if (shape < 0.08)
    body = undefined; // no body
  else if (shape < 0.5) body = JSON.stringify(plausible(r, name));
  else body = JSON.stringify(mutate(r, plausible(r, name)));
  return { method: 'POST', path: `/api/call/${name}`, ...(body !== undefined ? { body } : {}) };
}

function withTimeout(reply: Promise<RawReply>, what: string): Promise<RawReply> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${HANG_MS} ms: ${what}`)), HANG_MS);
  });
  return Promise.race([reply, hang]).finally(() => clearTimeout(timer));
}

describe('the served api under generated requests', () => {
  it(`answers ${REQUESTS} of them, none with a 5xx, none hanging`, async () => {
    const r = mulberry32(19);
    const probes = Array.from({ length: REQUESTS }, () => probe(r));
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async () => {
      while (next < probes.length) {
        const p = probes[next++]!;
        const what = `${p.method} ${p.path.slice(0, 120)} ${(p.body ?? '').slice(0, 200)}`;
        const reply = await withTimeout(
          rawRequest(server.port, p.path, {
            method: p.method,
            ...(p.body !== undefined ? { body: p.body } : {}),
            headers: {
              authorization: `Bearer ${server.token}`,
              'content-type': 'application/json',
            },
          }),
          what,
        );
        statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        if (reply.status >= 500)
          failures.push(`${reply.status} ${what} → ${reply.text.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    expect(failures).toEqual([]);
    // The mix really exercised both sides of the edge.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(REQUESTS / 10);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(REQUESTS / 10);
    expect(logs.filter((l) => l.startsWith('server error'))).toEqual([]);
    // And the server still serves.
    const state = await rawRequest(server.port, '/api/call/session.state', {
      body: '{}',
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(state.status).toBe(200);
  }, 240_000);
});
