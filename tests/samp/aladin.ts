/** Debian's Aladin (the `aladin` package) as a real SAMP peer, for the Aladin test and benchmark. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const ALADIN_JAR = '/usr/share/java/aladin.jar';

export function aladinAvailable(): boolean {
  return (
    spawnSync('sh', ['-c', `test -f ${ALADIN_JAR} && command -v java && command -v xvfb-run`], {
      stdio: 'ignore',
    }).status === 0
  );
}

/**
 * Starts Aladin under Xvfb with `home` as its home directory. Aladin finds a hub only through
 * `<user.home>/.samp` (it ignores SAMP_HUB), so the test hub's lockfile must be written there
 * (see aladinLockfile). -samp registers with that hub at start; -local skips the Internet
 * checks it would otherwise wait on (there is no network here or in CI); -noplugin, -nolog,
 * -noreleasetest keep the start short. Stop it with stopAladin (it runs in its own process
 * group, with Xvfb). Its standard input is Aladin's script console (see aladinPlanes).
 */
export function startAladin(home: string): ChildProcess & { output: string } {
  mkdirSync(home, { recursive: true });
  const child = spawn(
    'xvfb-run',
    ['-a', 'java', `-Duser.home=${home}`, '-Xmx1024m', '-jar', ALADIN_JAR].concat([
      '-local',
      '-samp',
      '-noplugin',
      '-nolog',
      '-noreleasetest',
    ]),
    { stdio: ['pipe', 'pipe', 'pipe'], detached: true },
  ) as ChildProcess & { output: string };
  child.output = '';
  const keep = (chunk: Buffer) => (child.output = (child.output + chunk.toString()).slice(-64_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  return child;
}

/** Where the hub's lockfile must be for an Aladin started with `home` (made here). */
export function aladinLockfile(home: string): string {
  mkdirSync(home, { recursive: true });
  return join(home, '.samp');
}

export async function stopAladin(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    return; // already gone
  }
  await exited;
}

/** A plane Aladin holds, as its `status` script command lists it. */
export interface AladinPlane {
  id: string;
  type: string;
  /** Rows of a catalogue plane. */
  objects: number | null;
  /** Side of an image plane. */
  width: number | null;
}

/**
 * The planes Aladin holds now: asks its script console (standard input) for `status` and
 * reads the answer from its output. This is how a test sees what Aladin loaded, since Aladin
 * does not reliably answer a load call (it loads the file, but its reply often never reaches
 * the hub).
 */
export async function aladinPlanes(
  child: ChildProcess & { output: string },
  timeoutMs = 10_000,
): Promise<AladinPlane[]> {
  const marker = '[status]...';
  const from = child.output.length;
  child.stdin!.write('status\n');
  const until = Date.now() + timeoutMs;
  for (;;) {
    const text = child.output.slice(from);
    const start = text.indexOf(marker);
    // The listing ends with the console's next prompt.
    const end = start >= 0 ? text.indexOf('Command>', start) : -1;
    if (end >= 0) return parsePlanes(text.slice(start, end));
    if (Date.now() > until)
      throw new Error(`Aladin did not answer status:\n${child.output.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function parsePlanes(listing: string): AladinPlane[] {
  const planes: AladinPlane[] = [];
  for (const block of listing.split(/\n(?=PlaneID )/).slice(1)) {
    const field = (name: string) => new RegExp(`^${name}\\s+(.*)$`, 'm').exec(block)?.[1]?.trim();
    const number = (name: string) => {
      const value = Number(field(name));
      return Number.isFinite(value) ? value : null;
    };
    planes.push({
      id: field('PlaneID') ?? '',
      type: field('Type') ?? '',
      objects: number('NbObj'),
      width: number('Width'),
    });
  }
  return planes;
}

/**
 * Waits until Aladin's script console prompts: Aladin registers with the hub before its
 * windows exist, and a load that arrives meanwhile fails inside it (a NullPointerException
 * on its server dialog, returned to the hub as a fault). The prompt comes once they exist.
 */
export async function aladinReady(child: { output: string }, timeoutMs = 120_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!child.output.includes('Command>')) {
    if (Date.now() > until)
      throw new Error(
        `Aladin never prompted in ${timeoutMs / 1000} s:\n${child.output.slice(-2000)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
