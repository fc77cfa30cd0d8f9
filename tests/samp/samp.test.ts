/**
 * The SAMP client against real peers: astropy's hub and an astropy client in Python child
 * processes (no mocks). What the peer reports is what it read from our files with astropy.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Events, SampStatus } from '../../src-main/contract/contract';
import { buildCatalogue } from '../../src-main/engine/export';
import type { ExportTable } from '../../src-main/engine/export/table';
import { SampLink } from '../../src-main/engine/samp';
import { getPixels } from '../../src-main/engine/store/objects';
import { createClass, recordLabel, type Project } from '../../src-main/engine/store';
import { tempDir } from '../store/helpers';
import {
  astropyAvailable,
  Hub,
  jsampAvailable,
  Peer,
  skyProject,
  ARCSEC_PER_PIXEL,
  type PeerLine,
} from './helpers';

const haveAstropy = astropyAvailable();
if (!haveAstropy && process.env.CI)
  throw new Error('CI must have python3-astropy for the SAMP tests');

type Emitted = { event: keyof Events; payload: unknown };

/** What the peer read (with astropy) is the whole catalogue: every row, column, value and UCD. */
function expectWholeCatalogue(got: PeerLine, expected: ExportTable): void {
  expect(got.read!.rows).toBe(expected.rows);
  expect(got.read!.columns!.map((c) => c.name)).toEqual(expected.columns.map((c) => c.name));
  const ucd = Object.fromEntries(got.read!.columns!.map((c) => [c.name, c.ucd]));
  expect(ucd.uid).toBe('meta.id;meta.main');
  expect(ucd.ra).toBe('pos.eq.ra;meta.main');
  expect(ucd.dec).toBe('pos.eq.dec;meta.main');
  for (const column of expected.columns) {
    const cells = got.read!.cells![column.name]!;
    expect(cells, column.name).toHaveLength(expected.rows);
    column.values.forEach((v, row) => {
      const cell = cells[row];
      if (typeof v === 'number' && column.type === 'float')
        expect(cell as number).toBeCloseTo(v, 6);
      else if (typeof v === 'number') expect(cell, `${column.name}[${row}]`).toBe(v);
      else if (v === null) expect([null, -1, '']).toContain(cell);
      // astropy masks empty strings of a FITS table (Table.read's mask_invalid).
      else if (v === '') expect(['', null]).toContain(cell);
      else expect(cell, `${column.name}[${row}]`).toBe(v);
    });
  }
}

describe.runIf(haveAstropy)('SAMP with real peers (astropy hub and client)', () => {
  let dir: string;
  let project: Project;
  let ids: number[];
  let classes: { merger: number; normal: number };
  let hub: Hub;
  let peer: Peer;
  let link: SampLink;
  const emitted: Emitted[] = [];
  const children: { stop(): Promise<void> }[] = [];

  const pixelsOf = (id: number) => {
    const stored = getPixels(project.db, id)!;
    const bytes = stored.pixels as Uint8Array;
    const data = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength),
    );
    return { size: 16, bands: 1, data };
  };
  const makeLink = (replyTimeoutMs = 5000) =>
    new SampLink(project, (event, payload) => emitted.push({ event, payload }), pixelsOf, {
      discovery: { sampHub: hub.sampHub },
      pollMs: 200,
      replyTimeoutMs,
    });
  const until = async (test: () => boolean, ms = 10_000) => {
    const end = Date.now() + ms;
    while (!test()) {
      if (Date.now() > end) throw new Error('timed out waiting');
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    dir = tempDir('ahunt-samp-');
    ({ project, ids, classes } = skyProject(dir, 40));
    hub = await Hub.start(join(dir, 'lockfile'));
    children.push(hub);
    peer = await Peer.start(hub, { name: 'Astropy Peer' });
    children.push(peer);
    link = makeLink();
    const status = await link.connect();
    expect(status.state).toBe('connected');
  });

  afterAll(async () => {
    await link?.close();
    for (const child of children.reverse()) await child.stop();
    project?.close();
  });

  afterEach(() => {
    emitted.length = 0;
  });

  it('registers as AHUNT Workstation with a description and an icon it serves', async () => {
    const clients = await peer.clients();
    const ours = Object.values(clients).find((m) => m['samp.name'] === 'AHUNT Workstation');
    expect(ours).toBeDefined();
    expect(ours!['samp.description.text']).toMatch(/anomaly/);
    const icon = await fetch(ours!['samp.icon.url']!);
    expect(icon.headers.get('content-type')).toBe('image/png');
    const bytes = new Uint8Array(await icon.arrayBuffer());
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('shows the hub and who listens for what', async () => {
    await until(() => link.status().peers.some((p) => p.name === 'Astropy Peer'));
    const status = link.status();
    expect(status.hub).toMatch(/127\.0\.0\.1/);
    const astropy = status.peers.find((p) => p.name === 'Astropy Peer')!;
    expect(astropy.listensTo).toEqual(
      expect.arrayContaining(['table.load.votable', 'image.load.fits', 'coord.pointAt.sky']),
    );
  });

  it('sends the catalogue: the peer reads every row and column, with the position UCDs', async () => {
    const after = peer.lines.length;
    const report = await link.send({ what: 'catalogue' });
    expect(report.recipients).toEqual([
      expect.objectContaining({ name: 'Astropy Peer', ok: true }),
    ]);
    const got = await peer.received('table.load.votable', after);
    expectWholeCatalogue(got, buildCatalogue(project));
    expect(got.params!['table-id']).toMatch(/^ahunt-/);
  });

  it('sends the table as FITS to a peer that reads FITS (as TOPCAT does) and as VOTable to the rest; both read every row and column, and a highlight names the file each got', async () => {
    const fitsPeer = await Peer.start(hub, { name: 'FITS Peer', fits: true });
    try {
      await until(() => link.status().peers.some((p) => p.name === 'FITS Peer'));
      const [before, beforeFits] = [peer.lines.length, fitsPeer.lines.length];
      const report = await link.send({ what: 'catalogue' });
      expect(report.mtype).toBe('table.load.fits + table.load.votable');
      expect(report.recipients.map((r) => [r.name, r.ok]).sort()).toEqual([
        ['Astropy Peer', true],
        ['FITS Peer', true],
      ]);
      const asVotable = await peer.received('table.load.votable', before);
      const asFits = await fitsPeer.received('table.load.fits', beforeFits);
      expect(
        fitsPeer.lines
          .slice(beforeFits)
          .some((l) => (l as PeerLine).mtype === 'table.load.votable'),
      ).toBe(false);
      expect(asFits.params!.url).toMatch(/\.fits$/);
      expect(asFits.params!['table-id']).toBe(asVotable.params!['table-id']);
      const expected = buildCatalogue(project);
      expectWholeCatalogue(asVotable, expected);
      expectWholeCatalogue(asFits, expected);

      link.settings({ highlightOnFocus: true });
      const [h, hFits] = [peer.lines.length, fitsPeer.lines.length];
      expect(await link.focus(ids[7]!)).toEqual({ highlighted: 2 });
      expect((await peer.received('table.highlight.row', h)).params!.url).toBe(
        asVotable.params!.url,
      );
      expect((await fitsPeer.received('table.highlight.row', hFits)).params).toEqual({
        'table-id': asFits.params!['table-id'],
        url: asFits.params!.url,
        row: '7',
      });
    } finally {
      link.settings({ highlightOnFocus: false });
      await fitsPeer.quit();
    }
  });

  it('a table with text FITS cannot hold goes as VOTable even to a peer that reads FITS', async () => {
    const other = skyProject(tempDir('ahunt-samp-'), 4);
    const spiral = createClass(other.project.db, { name: 'Spirale à bras', kind: 'anomaly' }).id;
    recordLabel(other.project.db, {
      objectId: other.ids[2]!,
      classId: spiral,
      round: 0,
      origin: 'import',
      kind: 'import',
    });
    const fitsPeer = await Peer.start(hub, { name: 'FITS Peer', fits: true });
    const otherLink = new SampLink(other.project, () => {}, pixelsOf, {
      discovery: { sampHub: hub.sampHub },
      pollMs: 200,
    });
    try {
      await otherLink.connect();
      const report = await otherLink.send({ what: 'catalogue' });
      expect(report.mtype).toBe('table.load.votable');
      expect(report.recipients.every((r) => r.ok)).toBe(true);
      const got = await fitsPeer.received('table.load.votable');
      expect(got.read!.cells!.class![2]).toBe('Spirale à bras');
      expectWholeCatalogue(got, buildCatalogue(other.project));
    } finally {
      await otherLink.close();
      await fitsPeer.quit();
      other.project.close();
    }
  });

  it('sends one class only', async () => {
    const after = peer.lines.length;
    const report = await link.send({ what: 'class', classId: classes.merger });
    expect(report.rows).toBe(3);
    const got = await peer.received('table.load.votable', after);
    expect(got.read!.cells!.class).toEqual(['merger', 'merger', 'merger']);
    expect(got.read!.cells!.uid).toEqual(['obj-1', 'obj-3', 'obj-5']);
  });

  it('sends a selection of objects', async () => {
    const after = peer.lines.length;
    const report = await link.send({ what: 'selection', objectIds: [ids[9]!, ids[2]!] });
    expect(report.sent).toBe('selection (2 rows)');
    const got = await peer.received('table.load.votable', after);
    expect(got.read!.cells!.uid).toEqual(['obj-2', 'obj-9']);
  });

  it("sends an object's cutout as FITS: the pixel sums are equal", async () => {
    const after = peer.lines.length;
    await link.send({ what: 'cutout', objectId: ids[7]! });
    const got = await peer.received('image.load.fits', after);
    expect(got.read!.shape).toEqual([16, 16]);
    const ours = pixelsOf(ids[7]!).data.reduce((s, v) => s + v, 0);
    expect(got.read!.sum).toBeCloseTo(ours, 4);
  });

  it("sends an object's position", async () => {
    const after = peer.lines.length;
    await link.send({ what: 'point', objectId: ids[2]! });
    const got = await peer.received('coord.pointAt.sky', after);
    const o = project.db.prepare('SELECT ra, dec FROM objects WHERE id = ?').get(ids[2]) as {
      ra: number;
      dec: number;
    };
    expect(Number(got.params!.ra)).toBe(o.ra);
    expect(Number(got.params!.dec)).toBe(o.dec);
  });

  it('a highlight sent by the peer focuses that object', async () => {
    const after = peer.lines.length;
    await link.send({ what: 'catalogue' });
    const table = await peer.received('table.load.votable', after);
    peer.command({
      send: 'table.highlight.row',
      params: { 'table-id': table.params!['table-id'], url: table.params!.url, row: '12' },
    });
    await until(() => emitted.some((e) => e.event === 'samp.focus'));
    expect(emitted.find((e) => e.event === 'samp.focus')!.payload).toEqual({
      objectId: ids[12],
      from: 'Astropy Peer',
      why: 'highlighted its row',
    });
  });

  it('with highlight-on-focus on, our focus highlights the row in the peer (and only then)', async () => {
    let after = peer.lines.length;
    await link.send({ what: 'catalogue' });
    const table = await peer.received('table.load.votable', after);
    expect(await link.focus(ids[7]!)).toEqual({ highlighted: 0 }); // off by default
    expect(link.settings({ highlightOnFocus: true }).highlightOnFocus).toBe(true);
    after = peer.lines.length;
    expect(await link.focus(ids[7]!)).toEqual({ highlighted: 1 });
    const got = await peer.received('table.highlight.row', after);
    expect(got.params).toEqual({
      'table-id': table.params!['table-id'],
      url: table.params!.url,
      row: '7',
    });
    link.settings({ highlightOnFocus: false });
  });

  it('a row selection by the peer becomes a batch of objects', async () => {
    const after = peer.lines.length;
    await link.send({ what: 'catalogue' });
    const table = await peer.received('table.load.votable', after);
    peer.command({
      send: 'table.select.rowList',
      params: {
        'table-id': table.params!['table-id'],
        url: table.params!.url,
        'row-list': ['3', '30', '9'],
      },
    });
    await until(() => emitted.some((e) => e.event === 'samp.selection'));
    expect(emitted.find((e) => e.event === 'samp.selection')!.payload).toEqual({
      objectIds: [ids[3], ids[30], ids[9]],
      from: 'Astropy Peer',
    });
  });

  it('a pointing at the sky focuses the nearest object within its cutout, and only then', async () => {
    const selfId = link.status().message.split(' as ')[1]!;
    // Object 5 sits at x = 120, y = 20; 2 px away is inside its 16-px cutout.
    const ra = 150 + ((120 + 2) * ARCSEC_PER_PIXEL) / 3600;
    const dec = 2 + (20 * ARCSEC_PER_PIXEL) / 3600;
    let after = peer.lines.length;
    peer.command({
      send: 'coord.pointAt.sky',
      params: { ra: String(ra), dec: String(dec) },
      to: selfId,
    });
    let reply = await peer.next<PeerLine>(
      (l) => l.reply !== undefined && peer.lines.indexOf(l) >= after,
    );
    expect(reply.reply!['samp.status']).toBe('samp.ok');
    expect(emitted.find((e) => e.event === 'samp.focus')!.payload).toMatchObject({
      objectId: ids[5],
    });
    // 1° away: nothing there; the peer is told so in words.
    after = peer.lines.length;
    peer.command({
      send: 'coord.pointAt.sky',
      params: { ra: String(ra + 1), dec: String(dec) },
      to: selfId,
    });
    reply = await peer.next<PeerLine>(
      (l) => l.reply !== undefined && peer.lines.indexOf(l) >= after,
    );
    expect(reply.reply!['samp.status']).toBe('samp.error');
    expect(JSON.stringify(reply.reply)).toMatch(/no object lies within its cutout/);
  });

  it('a malformed message gets an error reply and a readable status, and the client goes on', async () => {
    const selfId = link.status().message.split(' as ')[1]!;
    const after = peer.lines.length;
    peer.command({
      send: 'table.highlight.row',
      params: { 'table-id': 'ahunt-1-catalogue' },
      to: selfId,
    });
    const reply = await peer.next<PeerLine>(
      (l) => l.reply !== undefined && peer.lines.indexOf(l) >= after,
    );
    expect(reply.reply!['samp.status']).toBe('samp.error');
    expect(JSON.stringify(reply.reply)).toMatch(/the message has no \\"row\\" parameter/);
    expect(link.status().problem).toBe(
      'Astropy Peer sent table.highlight.row: the message has no "row" parameter',
    );
    // A highlight of a table we never sent is refused in words too.
    peer.command({
      send: 'table.highlight.row',
      params: { 'table-id': 'nope', url: 'file:///x', row: '1' },
      to: selfId,
    });
    const second = await peer.next<PeerLine>(
      (l) => l.reply !== undefined && peer.lines.indexOf(l) > peer.lines.indexOf(reply),
    );
    expect(JSON.stringify(second.reply)).toMatch(/not one AHUNT sent/);
    expect((await link.send({ what: 'point', objectId: ids[1]! })).recipients[0]!.ok).toBe(true);
  });

  it('a peer that never answers is reported by name, within the reply timeout', async () => {
    const silent = await Peer.start(hub, { silent: true, name: 'Silent Peer' });
    children.push(silent);
    const quick = makeLink(1500);
    try {
      await quick.connect();
      const started = Date.now();
      const report = await quick.send({ what: 'point', objectId: ids[0]! });
      expect(Date.now() - started).toBeLessThan(5000);
      const byName = Object.fromEntries(report.recipients.map((r) => [r.name, r]));
      expect(byName['Astropy Peer']!.ok).toBe(true);
      expect(byName['Silent Peer']).toMatchObject({
        ok: false,
        message: 'did not answer within 2 s',
      });
      expect(quick.status().problem).toMatch(/Silent Peer: did not answer/);
    } finally {
      await quick.close();
      await silent.stop();
    }
  });
});

describe.runIf(haveAstropy)('SAMP when the hub is missing or dies', () => {
  let dir: string;
  let project: Project;
  let ids: number[];
  const stops: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of stops.reverse()) await s.stop();
    project?.close();
  });

  it('a hub that dies after forwarding a send but before answering: each listener is reported unanswered, not "nothing was sent"', async () => {
    dir = tempDir('ahunt-samp-');
    ({ project, ids } = skyProject(dir, 5));
    const hub = await Hub.start(join(dir, 'lockfile'), { dieInCallAll: true });
    stops.push(hub);
    const silent = await Peer.start(hub, { silent: true, name: 'Hanging Peer' });
    stops.push(silent);
    const link = new SampLink(
      project,
      () => {},
      () => ({ size: 16, bands: 1, data: new Float32Array(256) }),
      {
        discovery: { sampHub: hub.sampHub },
        pollMs: 200,
        replyTimeoutMs: 8000,
      },
    );
    try {
      expect((await link.connect()).state).toBe('connected');
      const report = await link.send({ what: 'point', objectId: ids[0]! });
      await silent.received('coord.pointAt.sky');
      expect(report.recipients).toEqual([
        expect.objectContaining({
          name: 'Hanging Peer',
          ok: false,
          message: 'the hub went away before it answered',
        }),
      ]);
      expect(link.status().state).toBe('searching');
    } finally {
      await link.close();
    }
  });

  it('without a hub, a send says what to do; when one appears the client registers by itself', async () => {
    dir = tempDir('ahunt-samp-');
    ({ project, ids } = skyProject(dir, 5));
    const lockfile = join(dir, 'lockfile');
    const statuses: SampStatus[] = [];
    const link = new SampLink(
      project,
      (event, payload) => event === 'samp.status' && statuses.push(payload as SampStatus),
      () => ({ size: 16, bands: 1, data: new Float32Array(256) }),
      {
        discovery: { sampHub: `std-lockurl:file://${lockfile}` },
        pollMs: 200,
        replyTimeoutMs: 8000,
      },
    );
    try {
      expect(link.status().state).toBe('searching');
      await expect(link.send({ what: 'point', objectId: ids[0]! })).rejects.toThrow(
        /No SAMP hub is connected \(no SAMP hub is running \(no lockfile at .*lockfile\)\)\. Start TOPCAT, DS9 or Aladin/,
      );
      const hub = await Hub.start(lockfile);
      stops.push(hub);
      const silent = await Peer.start(hub, { silent: true, name: 'Hanging Peer' });
      stops.push(silent);
      const until = Date.now() + 10_000;
      while (link.status().state !== 'connected' && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
      expect(link.status().state).toBe('connected');

      // The hub dies while the send waits for the hanging peer's reply.
      const started = Date.now();
      const sending = link.send({ what: 'point', objectId: ids[0]! });
      await silent.received('coord.pointAt.sky');
      await hub.stop();
      const report = await sending;
      expect(Date.now() - started).toBeLessThan(8000);
      expect(report.recipients[0]).toMatchObject({
        name: 'Hanging Peer',
        ok: false,
        message: 'the hub went away before it answered',
      });
      expect(link.status()).toMatchObject({ state: 'searching' });
      expect(link.status().message).toMatch(/the SAMP hub went away .*; looking for a SAMP hub/);
      // Its lockfile is left behind (it was killed): a send says the hub is gone, in words.
      await expect(link.send({ what: 'point', objectId: ids[0]! })).rejects.toThrow(
        /SAMP hub|Start TOPCAT/,
      );
      // A new hub at the same place: the client finds it again.
      const again = await Hub.start(lockfile);
      stops.push(again);
      const until2 = Date.now() + 10_000;
      while (link.status().state !== 'connected' && Date.now() < until2)
        await new Promise((r) => setTimeout(r, 50));
      expect(link.status().state).toBe('connected');
      expect(statuses.map((s) => s.state)).toEqual(
        expect.arrayContaining(['searching', 'connected']),
      );
    } finally {
      await link.close();
    }
  });
});

const haveJsamp = jsampAvailable();
if (haveAstropy && !haveJsamp && process.env.CI)
  throw new Error('CI must have jsamp for the SAMP tests against its hub');

describe.runIf(haveAstropy && haveJsamp)("SAMP through JSAMP's hub", () => {
  it('registers, sends a catalogue the peer reads, and follows its highlight', async () => {
    const dir = tempDir('ahunt-samp-');
    const { project, ids } = skyProject(dir, 12);
    const hub = await Hub.startJsamp(join(dir, 'lockfile'));
    const emitted: { event: string; payload: unknown }[] = [];
    let peer: Peer | null = null;
    const link = new SampLink(
      project,
      (event, payload) => emitted.push({ event, payload }),
      () => ({ size: 16, bands: 1, data: new Float32Array(256) }),
      { discovery: { sampHub: hub.sampHub }, pollMs: 200 },
    );
    try {
      peer = await Peer.start(hub, { name: 'Peer via JSAMP' });
      expect((await link.connect()).state).toBe('connected');
      const report = await link.send({ what: 'catalogue' });
      expect(report.recipients).toEqual([
        expect.objectContaining({ name: 'Peer via JSAMP', ok: true }),
      ]);
      const table = await peer.received('table.load.votable');
      expect(table.read!.rows).toBe(12);
      peer.command({
        send: 'table.highlight.row',
        params: { 'table-id': table.params!['table-id'], url: table.params!.url, row: '4' },
      });
      const until = Date.now() + 10_000;
      while (!emitted.some((e) => e.event === 'samp.focus') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 50));
      expect(emitted.find((e) => e.event === 'samp.focus')?.payload).toMatchObject({
        objectId: ids[4],
        from: 'Peer via JSAMP',
      });
    } finally {
      await link.close();
      await peer?.stop();
      await hub.stop();
      project.close();
    }
  });
});
