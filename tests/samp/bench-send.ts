/**
 * Times sending a large catalogue over SAMP to a listening peer (astropy's client reading the
 * VOTable, as TOPCAT would): `npx tsx tests/samp/bench-send.ts [rows]` (default 100000).
 * Prints the time to build and write the VOTable (in its worker), the time until the peer
 * has read every row and answered, and the longest the main thread was unavailable meanwhile
 * (how long a keypress could have waited).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SampLink } from '../../src-main/engine/samp';
import { runTableJobInWorker } from '../../src-main/engine/samp/table-in-worker';
import { tempDir } from '../store/helpers';
import { Hub, Peer, skyProject } from './helpers';

const rows = Number(process.argv[2] ?? 100_000);
const dir = tempDir('ahunt-samp-bench-');
const made = performance.now();
const { project } = skyProject(dir, rows, 4);
console.log(
  `project of ${rows} objects made in ${((performance.now() - made) / 1000).toFixed(1)} s`,
);
const hub = await Hub.start(join(dir, 'lockfile'));
const peer = await Peer.start(hub, { name: 'Bench Peer', summary: true });
const link = new SampLink(
  project,
  () => {},
  () => ({ size: 4, bands: 1, data: new Float32Array(16) }),
  {
    discovery: { sampHub: hub.sampHub },
    replyTimeoutMs: 120_000,
  },
);
try {
  await link.connect();
  // Our part alone: the worker that builds and writes the VOTable.
  const writeStarted = performance.now();
  const written = await runTableJobInWorker({
    dir: project.dir,
    out: join(dir, 'alone.vot'),
    labelledOnly: false,
  });
  if (!written.ok) throw new Error(written.message);
  console.log(
    `VOTable of ${written.rows} rows built and written in a worker: ${((performance.now() - writeStarted) / 1000).toFixed(2)} s`,
  );
  // The longest gap between ticks of a 5 ms timer: how long a keypress could have waited.
  let last = performance.now();
  let stall = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  const report = await link.send({ what: 'catalogue' });
  const total = performance.now() - started;
  clearInterval(ticker);
  const got = await peer.received('table.load.votable');
  console.log(
    `sent ${report.sent} to ${report.recipients.map((r) => `${r.name} (${r.ok ? 'ok' : r.message})`).join(', ')}`,
  );
  console.log(`peer read ${got.read!.rows} rows × ${got.read!.columns!.length} columns`);
  console.log(`send until the peer answered: ${(total / 1000).toFixed(2)} s`);
  console.log(`longest event-loop stall meanwhile: ${stall.toFixed(0)} ms`);
} finally {
  await link.close();
  await peer.stop();
  await hub.stop();
  project.close();
  rmSync(dir, { recursive: true, force: true });
}
