/**
 * Times sending a large catalogue over SAMP to a listening peer (astropy's client reading the
 * table, as TOPCAT would): `npx tsx tests/samp/bench-send.ts [rows] [runs] [fits|votable]`
 * (default 100000 rows, 3 runs, both peers). Two peers in turn: one that takes table.load.fits (as TOPCAT and Aladin do:
 * it is sent a FITS table) and one that takes only table.load.votable. Prints the time to
 * build and write each file (in its worker), each run's time from the send until the peer has
 * read every row and answered, the longest the main thread was unavailable meanwhile (how
 * long a keypress could have waited), and the load average. From the second run on, the peer
 * also highlights rows of the table it was sent before and points at the sky every 100 ms
 * during the send, as a TOPCAT or Aladin user would: their handling counts in the stall.
 */
import { loadavg } from 'node:os';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SampLink } from '../../src-main/engine/samp';
import { runTableJobInWorker } from '../../src-main/engine/samp/table-in-worker';
import { tempDir } from '../store/helpers';
import { Hub, Peer, skyProject, type PeerLine } from './helpers';

const rows = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 3);
/** Which peers: "fits", "votable" or both (the default). */
const only = process.argv[4];
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const dir = tempDir('ahunt-samp-bench-');
const made = performance.now();
const { project } = skyProject(dir, rows, 4);
console.log(`project of ${rows} objects made in ${seconds(performance.now() - made)}`);
const hub = await Hub.start(join(dir, 'lockfile'));
const link = new SampLink(
  project,
  () => {},
  () => ({ size: 4, bands: 1, data: new Float32Array(16) }),
  { discovery: { sampHub: hub.sampHub }, replyTimeoutMs: 120_000 },
);
try {
  await link.connect();
  // Our part alone: the worker that builds and writes each file.
  for (const format of ['fits', 'votable'] as const) {
    const started = performance.now();
    const written = await runTableJobInWorker({
      dir: project.dir,
      votable: format === 'votable' ? join(dir, 'alone.vot') : null,
      fits: format === 'fits' ? join(dir, 'alone.fits') : null,
      labelledOnly: false,
    });
    if (!written.ok) throw new Error(written.message);
    console.log(
      `${format} table of ${written.rows} rows built and written in a worker: ${seconds(performance.now() - started)}`,
    );
  }
  // The same meter with nothing to do: what this machine's scheduling alone costs now.
  {
    const idle = stallMeter();
    await new Promise((r) => setTimeout(r, 3000));
    console.log(`idle for 3 s: longest event-loop stall ${idle.stop().toFixed(0)} ms`);
  }
  for (const fits of [true, false].filter((f) => !only || only === (f ? 'fits' : 'votable'))) {
    const name = fits ? 'FITS-reading peer' : 'VOTable-only peer';
    const peer = await Peer.start(hub, { name, summary: true, fits });
    try {
      const times: number[] = [];
      let previous: PeerLine | null = null;
      for (let run = 0; run < runs; run++) {
        const meter = stallMeter();
        const after = peer.lines.length;
        const chatter = previous ? peer.chatterAbout(previous) : null;
        const started = performance.now();
        const report = await link.send({ what: 'catalogue' }).finally(() => chatter?.stop());
        const total = performance.now() - started;
        const stall = meter.stop();
        const mtype = fits ? 'table.load.fits' : 'table.load.votable';
        const got = await peer.received(mtype, after);
        previous = got;
        const failed = report.recipients.filter((r) => !r.ok);
        if (failed.length > 0) throw new Error(`not delivered: ${JSON.stringify(failed)}`);
        times.push(total);
        console.log(
          `${name}, run ${run + 1}: ${report.mtype}, peer read ${got.read!.rows} rows × ` +
            `${got.read!.columns!.length} columns; send until the peer answered ${seconds(total)}; ` +
            `longest event-loop stall ${stall.toFixed(0)} ms` +
            `${chatter ? ` (${chatter.sent()} highlights and pointings arrived)` : ''}; load ${loadavg()
              .map((l) => l.toFixed(2))
              .join(' ')}`,
        );
      }
      const sorted = [...times].sort((a, b) => a - b);
      console.log(`${name}: median ${seconds(sorted[Math.floor(sorted.length / 2)]!)}`);
    } finally {
      await peer.quit();
    }
  }
} finally {
  await link.close();
  await hub.stop();
  project.close();
  rmSync(dir, { recursive: true, force: true });
}

/** The longest gap between ticks of a 5 ms timer: how long a keypress could have waited. */
function stallMeter(): { stop(): number } {
  let last = performance.now();
  let stall = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(ticker);
      return stall;
    },
  };
}
