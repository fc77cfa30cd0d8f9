/**
 * Times sending a large catalogue to a real TOPCAT (Debian's `topcat`, run under xvfb-run):
 * `npx tsx tests/samp/bench-topcat.ts [rows] [runs]` (default 100000 rows, 3 runs). TOPCAT
 * subscribes to table.load.fits, so it is sent the FITS table; it answers once the table is
 * loaded, so each time is from the send until TOPCAT holds every row.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { SampLink } from '../../src-main/engine/samp';
import { tempDir } from '../store/helpers';
import { Hub, skyProject } from './helpers';

const rows = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 3);
const dir = tempDir('ahunt-samp-topcat-');
const { project } = skyProject(dir, rows, 4);
const hub = await Hub.start(join(dir, 'lockfile'));
const topcat = spawn('xvfb-run', ['-a', 'topcat'], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, SAMP_HUB: hub.sampHub },
  detached: true,
});
const link = new SampLink(
  project,
  () => {},
  () => ({ size: 4, bands: 1, data: new Float32Array(16) }),
  { discovery: { sampHub: hub.sampHub }, replyTimeoutMs: 300_000 },
);
try {
  await link.connect();
  const until = Date.now() + 180_000;
  while (!link.status().peers.some((p) => /topcat/i.test(p.name))) {
    if (Date.now() > until) throw new Error('TOPCAT did not register within 180 s');
    await new Promise((r) => setTimeout(r, 500));
  }
  const peer = link.status().peers.find((p) => /topcat/i.test(p.name))!;
  console.log(`${peer.name} listens to ${peer.listensTo.join(', ')}`);
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const report = await link.send({ what: 'catalogue' });
    const total = performance.now() - started;
    console.log(
      `run ${run + 1}: ${report.mtype} to ${report.recipients.map((r) => `${r.name} (${r.ok ? 'ok' : r.message})`).join(', ')}: ` +
        `${(total / 1000).toFixed(2)} s until TOPCAT answered; load ${loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
    );
  }
} finally {
  await link.close();
  if (topcat.pid) process.kill(-topcat.pid, 'SIGTERM');
  await hub.stop();
  project.close();
  rmSync(dir, { recursive: true, force: true });
}
