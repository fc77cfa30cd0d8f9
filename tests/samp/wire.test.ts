/** The SAMP client's own parts: lockfile discovery and the callable endpoint's robustness. */
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findHub, lockfilePath, parseLockfile } from '../../src-main/engine/samp';
import { CallbackServer, xmlRpcCall } from '../../src-main/engine/samp/xmlrpc';
import { tempDir } from '../store/helpers';

describe('hub discovery', () => {
  it('reads SAMP_HUB (std-lockurl, file only) or ~/.samp', () => {
    expect(lockfilePath({ sampHub: undefined, home: '/home/astro' })).toBe('/home/astro/.samp');
    expect(lockfilePath({ sampHub: 'std-lockurl:file:///tmp/hub/lock' })).toBe('/tmp/hub/lock');
    expect(lockfilePath({ sampHub: 'std-lockurl:http://example.org/lock' })).toEqual({
      unusable:
        'SAMP_HUB points at http://example.org/lock; only a file: lockfile on this machine works',
    });
    expect(lockfilePath({ sampHub: 'web-profile' })).toEqual({
      unusable: 'SAMP_HUB="web-profile" is not a std-lockurl: hub',
    });
  });

  it('parses a lockfile: key=value lines, comments, and refuses one without url or secret', () => {
    const text =
      '# SAMP lockfile\nsamp.secret=abc=123\nsamp.hub.xmlrpc.url=http://127.0.0.1:4321/xmlrpc\nsamp.profile.version=1.3\n';
    expect(parseLockfile(text, '/x')).toEqual({
      xmlrpcUrl: 'http://127.0.0.1:4321/xmlrpc',
      secret: 'abc=123',
      lockfile: '/x',
    });
    expect(parseLockfile('samp.secret=abc\n', '/x')).toBeNull();
    expect(parseLockfile('samp.secret=a\nsamp.hub.xmlrpc.url=ftp://h/\n', '/x')).toBeNull();
  });

  it('says why there is no hub', async () => {
    const dir = tempDir('ahunt-samp-');
    const lock = join(dir, 'lock');
    expect(await findHub({ sampHub: `std-lockurl:file://${lock}` })).toEqual({
      none: `no SAMP hub is running (no lockfile at ${lock})`,
    });
    writeFileSync(lock, 'garbage');
    expect(await findHub({ sampHub: `std-lockurl:file://${lock}` })).toEqual({
      none: `the SAMP lockfile ${lock} is not one a hub wrote`,
    });
  });
});

describe('the callable endpoint', () => {
  const problems: string[] = [];
  let server: CallbackServer;
  afterAll(() => server?.close());

  it('answers calls, and a malformed or unknown call with a fault, never a crash', async () => {
    server = await CallbackServer.start(
      new Map([['samp.client.receiveNotification', (args) => `got ${args.length}`]]),
      new Map([['/icon.png', { type: 'image/png', bytes: new Uint8Array([1, 2, 3]) }]]),
      (problem) => problems.push(problem),
    );
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/xmlrpc$/);
    expect(
      await xmlRpcCall(server.url, 'samp.client.receiveNotification', ['k', 's', {}], 2000),
    ).toBe('got 3');
    await expect(xmlRpcCall(server.url, 'samp.client.nothing', [], 2000)).rejects.toThrow(
      'samp.client.nothing was refused: No method samp.client.nothing',
    );
    const garbage = await fetch(server.url, { method: 'POST', body: '<methodCall><oops' });
    expect(garbage.status).toBe(200);
    expect(await garbage.text()).toMatch(/<fault>[\s\S]*Malformed XML-RPC call/);
    expect(problems).toEqual([
      'a peer called samp.client.nothing, which a SAMP client does not offer',
      expect.stringMatching(/^received a malformed XML-RPC call/),
    ]);
    const icon = await fetch(server.url.replace('/xmlrpc', '/icon.png'));
    expect([...new Uint8Array(await icon.arrayBuffer())]).toEqual([1, 2, 3]);
    expect((await fetch(server.url, { method: 'GET' })).status).toBe(404);
    // Still answering after all that.
    expect(await xmlRpcCall(server.url, 'samp.client.receiveNotification', [], 2000)).toBe('got 0');
  });

  it('a peer that accepts the connection and never answers times out, in words', async () => {
    const { createServer } = await import('node:net');
    const silent = createServer(() => {}); // accepts, never writes
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    const started = Date.now();
    await expect(
      xmlRpcCall(`http://127.0.0.1:${port}/xmlrpc`, 'samp.hub.ping', [], 300),
    ).rejects.toThrow('samp.hub.ping had no answer within 0.3 s');
    expect(Date.now() - started).toBeLessThan(2000);
    silent.close();
    await expect(
      xmlRpcCall(`http://127.0.0.1:${port}/xmlrpc`, 'samp.hub.ping', [], 1000),
    ).rejects.toThrow(/samp\.hub\.ping could not reach http:\/\/127\.0\.0\.1:\d+\/xmlrpc/);
  });
});
