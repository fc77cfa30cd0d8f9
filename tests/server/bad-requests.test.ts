/**
 * Bad api requests against the real server (issue #7): each is refused at the edge with 400
 * (413 for size) and a readable message, logged one line each, and never reaches the engine:
 * the services are wrapped in a spy that records every access. SQL-looking text in a valid
 * request is stored verbatim, because every query binds its values.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { requestSchemas, type ClassView, type Method } from '../../src-main/contract/contract';
import type { ProjectHost } from '../../src-main/app/host';
import type { RunningServer } from '../../src-main/server/server';
import { rawRequest } from './raw-request';
import { serveSyntheticProject } from './served-project';

let host: ProjectHost;
let server: RunningServer;
const logs: string[] = [];
/** Every property of the services the server touched: an edge rejection must leave it empty. */
const touched: string[] = [];

function spyOn(services: ProjectHost['services']): ProjectHost['services'] {
  return new Proxy(services, {
    get(target, key, receiver) {
      touched.push(String(key));
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
}

async function send(
  path: string,
  body: string | undefined,
  method = 'POST',
): Promise<{ status: number; json: { ok: boolean; error?: { code: string; message: string } } }> {
  const reply = await rawRequest(server.port, path, {
    method,
    body,
    headers: { authorization: `Bearer ${server.token}` },
  });
  return { status: reply.status, json: reply.json as { ok: boolean } };
}
const callApi = (method: string, body: unknown) =>
  send(`/api/call/${method}`, typeof body === 'string' ? body : JSON.stringify(body));

beforeAll(async () => {
  ({ host, server } = await serveSyntheticProject({
    objects: 30,
    rings: 2,
    wrap: spyOn,
    log: (m) => logs.push(m),
  }));
});

afterAll(async () => {
  await server?.close();
  await host?.close();
});

beforeEach(() => {
  logs.length = 0;
  touched.length = 0;
});

/** [what, api method, raw body, status, error code, phrase in the message, phrase in the log] */
const REJECTIONS: [string, string, string, number, string, RegExp, RegExp][] = [
  [
    'a string where a number goes',
    'label.set',
    '{"objectId":"7","classId":1}',
    400,
    'invalid-request',
    /\(objectId\): .*expected number, received string/,
    /rejected label\.set: .*objectId/,
  ],
  [
    'a fractional id',
    'object.get',
    '{"id":1.5}',
    400,
    'invalid-request',
    /\(id\): .*expected int/,
    /rejected object\.get/,
  ],
  [
    'an id beyond the safe integers',
    'object.get',
    '{"id":1e300}',
    400,
    'invalid-request',
    /\(id\): Too big/,
    /rejected object\.get/,
  ],
  [
    'a missing field',
    'class.rename',
    '{"id":1}',
    400,
    'invalid-request',
    /\(name\): .*expected string, received undefined/,
    /rejected class\.rename/,
  ],
  [
    'an unknown field',
    'label.set',
    '{"objectId":1,"classId":1,"admin":true}',
    400,
    'invalid-request',
    /Unrecognized key: "admin"/,
    /rejected label\.set: .*admin/,
  ],
  [
    'a __proto__ field',
    'session.state',
    '{"__proto__":{"admin":true}}',
    400,
    'invalid-request',
    /Unrecognized key: "__proto__"/,
    /rejected session\.state/,
  ],
  [
    'an array body',
    'class.create',
    '[1,2]',
    400,
    'invalid-request',
    /expected object, received array/,
    /rejected class\.create/,
  ],
  [
    'a bare string body',
    'class.create',
    '"lens"',
    400,
    'invalid-request',
    /expected object, received string/,
    /rejected class\.create/,
  ],
  [
    'a string where a list goes',
    'ingest.start',
    '{"paths":"/data"}',
    400,
    'invalid-request',
    /\(paths\): .*expected array/,
    /rejected ingest\.start/,
  ],
  [
    'a name over 60 characters',
    'class.create',
    JSON.stringify({ name: 'n'.repeat(61) }),
    400,
    'invalid-request',
    /\(name\): Too big: .*60 characters/,
    /rejected class\.create/,
  ],
  [
    'a value outside its choices',
    'settings.set',
    '{"strategy":"all"}',
    400,
    'invalid-request',
    /\(strategy\): Invalid option/,
    /rejected settings\.set/,
  ],
  [
    'malformed JSON',
    'label.set',
    '{"objectId":1,',
    400,
    'invalid-request',
    /not JSON/,
    /rejected label\.set: body is not JSON/,
  ],
  [
    'an unknown api method',
    'objects.dropAll',
    '{}',
    400,
    'unknown-method',
    /Unknown request "objects\.dropAll"/,
    /rejected objects\.dropAll/,
  ],
  [
    'a name inherited from Object.prototype: constructor',
    'constructor',
    '{}',
    400,
    'unknown-method',
    /Unknown request "constructor"/,
    /rejected constructor/,
  ],
  [
    'a name inherited from Object.prototype: toString',
    'toString',
    '{}',
    400,
    'unknown-method',
    /Unknown request "toString"/,
    /rejected toString/,
  ],
  [
    'a name inherited from Object.prototype: hasOwnProperty',
    'hasOwnProperty',
    '{}',
    400,
    'unknown-method',
    /Unknown request "hasOwnProperty"/,
    /rejected hasOwnProperty/,
  ],
  [
    'a name inherited from Object.prototype: valueOf',
    'valueOf',
    '{}',
    400,
    'unknown-method',
    /Unknown request "valueOf"/,
    /rejected valueOf/,
  ],
  [
    'a method name with a newline (log forging)',
    'x%0Arejected%20nothing',
    '{}',
    400,
    'unknown-method',
    /not a request name/,
    /^rejected \/api\/call\/x%0Arejected%20nothing: not a request name$/,
  ],
  [
    'a method name with a broken %-escape',
    '%E0%A4%A',
    '{}',
    400,
    'unknown-method',
    /not a request name/,
    /not a request name/,
  ],
  [
    'a 2 MB body',
    'class.create',
    JSON.stringify({ name: 'x'.repeat(2_000_000) }),
    413,
    'too-large',
    /too large/,
    /rejected class\.create: body over 1048576 bytes/,
  ],
];

describe('bad requests are refused at the edge', () => {
  it.each(REJECTIONS)(
    '%s → %s refused, logged, engine untouched',
    async (_what, method, body, status, code, message, logged) => {
      const res = await callApi(method, body);
      expect(res.status).toBe(status);
      expect(res.json).toMatchObject({ ok: false, error: { code } });
      expect(res.json.error!.message).toMatch(message);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toMatch(logged);
      expect(logs[0]).not.toMatch(/\n/);
      expect(touched).toEqual([]);
    },
  );

  it('every request schema refuses unknown fields (a new loose schema fails here)', async () => {
    for (const method of Object.keys(requestSchemas) as Method[]) {
      const res = await callApi(method, { unexpectedField: 1 });
      expect(res.status, method).toBe(400);
      // The reply names the first problem (maybe a missing field); the schema must list this one.
      const parsed = requestSchemas[method].safeParse({ unexpectedField: 1 });
      const codes = parsed.error?.issues.map((i) => i.code);
      expect(codes, method).toContain('unrecognized_keys');
    }
    expect(logs).toHaveLength(Object.keys(requestSchemas).length);
    expect(touched).toEqual([]);
  });

  it('a wrong HTTP method or path is a logged 404, not a crash', async () => {
    const res = await send('/api/call/session.state', undefined, 'PUT');
    expect(res.status).toBe(404);
    expect(res.json.error?.message).toMatch(/No such endpoint: PUT \/api\/call\/session\.state/);
    expect(logs).toEqual(['rejected PUT /api/call/session.state: no such endpoint']);
    expect(touched).toEqual([]);
  });
});

describe('SQL-looking text is data, not SQL', () => {
  const db = () => host.workspace.project.db;
  const tables = () =>
    (
      db().prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as {
        name: string;
      }[]
    )
      .map((t) => t.name)
      .sort();
  const count = (table: 'objects' | 'classes') =>
    (db().prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const objectCount = () => count('objects');
  const classCount = () => count('classes');

  it('a class named like an injection is stored verbatim and every table survives', async () => {
    const before = { tables: tables(), objects: objectCount(), classes: classCount() };
    const name = "x'); DROP TABLE objects;--";
    const created = await callApi('class.create', { name });
    expect(created.status).toBe(200);
    // The spy sees a valid request reach the engine: the "untouched" checks above can fail.
    expect(touched).toContain('session');
    const klass = (created.json as unknown as { value: ClassView }).value;
    expect(klass.name).toBe(name);

    const renamed = "Robert'); DELETE FROM classes WHERE ('1'='1";
    const res = await callApi('class.rename', { id: klass.id, name: renamed });
    expect(res.status).toBe(200);
    const stored = db().prepare('SELECT name FROM classes WHERE id = ?').get(klass.id) as {
      name: string;
    };
    expect(stored.name).toBe(renamed);
    expect(tables()).toEqual(before.tables);
    expect(tables()).toContain('objects');
    expect(objectCount()).toBe(before.objects);
    expect(classCount()).toBe(before.classes + 1);
    expect(logs).toEqual([]);
  });
});
