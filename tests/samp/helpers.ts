/** Real SAMP peers for the tests: astropy's hub and an astropy client, in Python child processes. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import {
  createClass,
  createProject,
  findClassByName,
  insertObject,
  recordLabel,
  recordSource,
  type Project,
} from '../../src-main/engine/store';

const PEERS = join(import.meta.dirname, 'peers');
const PYTHON = '/usr/bin/python3';

/** astropy.samp is the peer every SAMP test needs; CI installs it (scripts/system-deps.js). */
export function astropyAvailable(): boolean {
  return (
    existsSync(PYTHON) &&
    spawnSync(PYTHON, ['-c', 'import astropy.samp'], { stdio: 'ignore' }).status === 0
  );
}

/** A Python child that speaks JSON lines: wait for the next line that matches. */
class LineChild {
  readonly lines: unknown[] = [];
  private waiters: { test: (line: unknown) => boolean; resolve: (line: unknown) => void }[] = [];
  stderr = '';

  constructor(readonly child: ChildProcess) {
    createInterface({ input: child.stdout! }).on('line', (text) => {
      let line: unknown = text;
      try {
        line = JSON.parse(text);
      } catch {
        // "ready" from the hub is plain text
      }
      this.lines.push(line);
      this.waiters = this.waiters.filter((w) => (w.test(line) ? (w.resolve(line), false) : true));
    });
    child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
  }

  next<T>(test: (line: T) => boolean, timeoutMs = 20_000): Promise<T> {
    const seen = this.lines.find((l) => test(l as T));
    if (seen !== undefined) return Promise.resolve(seen as T);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching line within ${timeoutMs} ms; stderr: ${this.stderr}`)),
        timeoutMs,
      );
      this.waiters.push({
        test: test as (line: unknown) => boolean,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line as T);
        },
      });
    });
  }

  stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

export class Hub extends LineChild {
  constructor(
    readonly lockfile: string,
    child: ChildProcess = spawn(PYTHON, [join(PEERS, 'hub.py'), lockfile], {
      stdio: ['pipe', 'pipe', 'pipe'],
    }),
  ) {
    super(child);
  }

  /** What SAMP_HUB would say for this hub. */
  get sampHub(): string {
    return `std-lockurl:${pathToFileURL(this.lockfile).href}`;
  }

  /** `dieInCallAll`: the hub forwards the first callAll, then exits before answering it. */
  static async start(lockfile: string, options: { dieInCallAll?: boolean } = {}): Promise<Hub> {
    const args = [
      join(PEERS, 'hub.py'),
      lockfile,
      ...(options.dieInCallAll ? ['die-in-callAll'] : []),
    ];
    const hub = new Hub(lockfile, spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    await hub.next((l) => l === 'ready');
    return hub;
  }

  /** JSAMP's hub (Debian's jsamp), writing its lockfile where SAMP_HUB says. */
  static async startJsamp(lockfile: string): Promise<Hub> {
    const sampHub = `std-lockurl:${pathToFileURL(lockfile).href}`;
    const child = spawn('jsamp', ['hub', '-mode', 'no-gui', '-profiles', 'std'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, SAMP_HUB: sampHub },
    });
    const hub = new Hub(lockfile, child);
    const until = Date.now() + 60_000;
    while (!existsSync(lockfile)) {
      if (Date.now() > until || child.exitCode !== null)
        throw new Error(`jsamp hub wrote no lockfile: ${hub.stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return hub;
  }
}

/** Debian's jsamp (JSAMP's hub), the second hub the client is tried against. */
export function jsampAvailable(): boolean {
  return spawnSync('sh', ['-c', 'command -v jsamp'], { stdio: 'ignore' }).status === 0;
}

export interface PeerLine {
  ready?: string;
  mtype?: string;
  params?: Record<string, unknown>;
  read?: {
    rows?: number;
    columns?: { name: string; ucd: string | null }[];
    cells?: Record<string, unknown[]>;
    shape?: number[];
    sum?: number;
    planeSums?: number[];
    /** World coordinates (RA, Dec) of the image's centre, by astropy.wcs; null without a WCS. */
    centre?: [number, number] | null;
    /** The same for the centre of its first pixel (0, 0). */
    corner?: [number, number] | null;
    /** The image's BUNIT, as astropy reads it. */
    bunit?: string | null;
    /** Every pixel of a small image (band after band, FITS row order), NaN as null. */
    values?: (number | null)[] | null;
  };
  error?: string;
  silent?: boolean;
  sent?: string;
  reply?: Record<string, unknown>;
}

export class Peer extends LineChild {
  id = '';

  static async start(
    hub: Hub,
    options: { silent?: boolean; name?: string; summary?: boolean; fits?: boolean } = {},
  ): Promise<Peer> {
    const args = [join(PEERS, 'peer.py'), hub.lockfile];
    if (options.silent) args.push('--silent');
    if (options.fits) args.push('--fits');
    if (options.summary) args.push('--summary');
    if (options.name) args.push(`--name=${options.name}`);
    const peer = new Peer(spawn(PYTHON, args, { stdio: ['pipe', 'pipe', 'pipe'] }));
    peer.id = (await peer.next<PeerLine>((l) => typeof l.ready === 'string')).ready!;
    return peer;
  }

  /** Broadcasts a notification (or, with `to`, a call whose reply comes back as a line). */
  command(command: { send: string; params: Record<string, unknown>; to?: string }): void {
    this.child.stdin!.write(`${JSON.stringify({ ...command, call: command.to !== undefined })}\n`);
  }

  /** The metadata of every registered client, as the hub gives it to a peer. */
  async clients(): Promise<Record<string, Record<string, string>>> {
    const after = this.lines.length;
    this.child.stdin!.write('{"clients": true}\n');
    const line = await this.next<{ clients?: Record<string, Record<string, string>> }>(
      (l) => l.clients !== undefined && this.lines.indexOf(l) >= after,
    );
    return line.clients!;
  }

  /** Unregisters from the hub and exits (stop() kills it: the hub would still list it). */
  quit(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.stdin!.write('{"quit": true}\n');
    });
  }

  received(mtype: string, after = 0): Promise<PeerLine> {
    return this.next<PeerLine>((l) => l.mtype === mtype && this.lines.indexOf(l) >= after, 30_000);
  }

  /**
   * What a TOPCAT or Aladin user does meanwhile: every 100 ms highlights a row of `table` (a
   * table this peer was sent, from its end, counting down) or, every third time, points at a
   * sky position near the objects. `sent()`: how many so far.
   */
  chatterAbout(table: PeerLine): { stop(): void; sent(): number } {
    let tick = 0;
    const timer = setInterval(() => {
      tick++;
      this.command(
        tick % 3 === 0
          ? { send: 'coord.pointAt.sky', params: { ra: String(150 + tick * 1e-4), dec: '2.01' } }
          : {
              send: 'table.highlight.row',
              params: {
                'table-id': table.params!['table-id'],
                url: table.params!.url,
                row: String(table.read!.rows! - 1 - tick),
              },
            },
      );
    }, 100);
    return { stop: () => clearInterval(timer), sent: () => tick };
  }
}

/** Pixel scale of the fixture's frame: 0.25″ per pixel, RA increasing with x. */
export const ARCSEC_PER_PIXEL = 0.25;
export const SIZE = 16;

/**
 * A project of `n` objects cut from one frame with a simple sky position each (x, y → RA/Dec
 * at 0.25″/px), one band of deterministic pixels; the first few labelled in two classes.
 */
export function skyProject(
  dir: string,
  n: number,
  size = SIZE,
): { project: Project; ids: number[]; classes: { merger: number; normal: number } } {
  const project = createProject(dir, { name: 'sky test' });
  const { db } = project;
  const ids = addSkyObjects(project, n, size, join(dir, 'frame.fits'), 'obj');
  const merger = createClass(db, { name: 'merger', kind: 'anomaly' }).id;
  const normal = findClassByName(db, 'normal')!.id;
  for (let i = 0; i < Math.min(n, 6); i++) {
    recordLabel(db, {
      objectId: ids[i]!,
      classId: i % 2 ? merger : normal,
      round: 0,
      origin: 'import',
      kind: 'import',
    });
  }
  return { project, ids, classes: { merger, normal } };
}

/**
 * Adds `n` objects (uids `<prefix>-<i>`) cut from a frame at `framePath` to a project: a
 * 300-wide grid of positions 20 px apart, RA/Dec at 0.25″/px from (150°, 2°), one band of
 * deterministic pixels. Returns their ids.
 */
export function addSkyObjects(
  project: Project,
  n: number,
  size: number,
  framePath: string,
  prefix: string,
): number[] {
  const { db } = project;
  const source = recordSource(
    db,
    { path: framePath, size: 1, mtimeMs: 1, kind: 'fits' },
    'ingested',
    n,
  );
  const ids: number[] = [];
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const x = 20 + (i % 300) * 20;
      const y = 20 + Math.floor(i / 300) * 20;
      const pixels = Float32Array.from({ length: size * size }, (_, k) => ((k * 7 + i) % 97) / 97);
      ids.push(
        insertObject(db, {
          uid: `${prefix}-${i}`,
          sourceId: source,
          hdu: 0,
          x,
          y,
          ra: 150 + (x * ARCSEC_PER_PIXEL) / 3600,
          dec: 2 + (y * ARCSEC_PER_PIXEL) / 3600,
          bands: 1,
          size,
          pixelFormat: 'f32',
          pixels: new Uint8Array(pixels.buffer),
        }),
      );
    }
  })();
  return ids;
}
