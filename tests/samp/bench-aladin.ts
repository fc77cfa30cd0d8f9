/**
 * Times sending a large catalogue, a cutout and a position to a real Aladin (Debian's
 * `aladin`, under Xvfb): `npx tsx tests/samp/bench-aladin.ts [rows] [runs]` (default 100000
 * rows, 3 runs). Prints what Aladin subscribes to and, for each table send, the time from the
 * send until Aladin holds a catalogue plane with every row (asked through its script console,
 * since Aladin does not reliably answer a load call: see aladin.ts), what it was sent, and
 * whether it answered; then the cutout (an image plane) and the point-at; and the load.
 */
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { SampSendReport } from '../../src-main/contract/contract';
import { SampLink } from '../../src-main/engine/samp';
import { tempDir } from '../store/helpers';
import { aladinLockfile, aladinPlanes, aladinReady, startAladin, stopAladin } from './aladin';
import { Hub, skyProject } from './helpers';

const rows = Number(process.argv[2] ?? 100_000);
const runs = Number(process.argv[3] ?? 3);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const answers = (report: SampSendReport) =>
  report.recipients.map((r) => `${r.name} ${r.ok ? 'answered ok' : r.message}`).join(', ');

const dir = tempDir('ahunt-samp-aladin-');
const { project, ids } = skyProject(dir, rows, 4);
const home = join(dir, 'home');
const hub = await Hub.start(aladinLockfile(home));
const started = performance.now();
const aladin = startAladin(home);
const link = new SampLink(
  project,
  () => {},
  () => ({ size: 4, bands: 1, data: Float32Array.from({ length: 16 }, (_, i) => i / 15) }),
  { discovery: { sampHub: hub.sampHub }, replyTimeoutMs: 20_000 },
);

/** Sends, and times until Aladin holds one more plane that `holds` accepts (120 s at most). */
async function timed(
  input: Parameters<SampLink['send']>[0],
  holds: (plane: Awaited<ReturnType<typeof aladinPlanes>>[0]) => boolean,
): Promise<{ ms: number | null; report: SampSendReport }> {
  const before = (await aladinPlanes(aladin)).filter(holds).length;
  const t = performance.now();
  const sent = link.send(input);
  let ms: number | null = null;
  while (performance.now() - t < 120_000) {
    if ((await aladinPlanes(aladin)).filter(holds).length > before) {
      ms = performance.now() - t;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { ms, report: await sent };
}

try {
  await link.connect();
  // Registered, named, and subscribed (Aladin declares its subscriptions last).
  const ready = () =>
    link
      .status()
      .peers.find((p) => /aladin/i.test(p.name) && p.listensTo.includes('table.load.fits'));
  const until = Date.now() + 180_000;
  while (!ready()) {
    if (Date.now() > until)
      throw new Error(`Aladin did not register within 180 s:\n${aladin.output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  await aladinReady(aladin);
  console.log(
    `${ready()!.name} registered and ready ${seconds(performance.now() - started)} after its start; ` +
      `listens to ${ready()!.listensTo.join(', ')}; load ${load()}`,
  );
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const { ms, report } = await timed(
      { what: 'catalogue' },
      (p) => p.type === 'Catalog' && p.objects === rows,
    );
    if (ms !== null) times.push(ms);
    console.log(
      `run ${run + 1}: ${report.mtype}, ${report.rows} rows: ` +
        `${ms === null ? 'not held within 120 s' : `Aladin held every row after ${seconds(ms)}`}; ` +
        `${answers(report)}; load ${load()}`,
    );
  }
  const sorted = [...times].sort((a, b) => a - b);
  if (sorted.length > 0)
    console.log(`catalogue: median ${seconds(sorted[Math.floor(sorted.length / 2)]!)}`);
  const cutout = await timed({ what: 'cutout', objectId: ids[7]! }, (p) => p.type === 'Image');
  console.log(
    `${cutout.report.sent}: ${cutout.ms === null ? 'no image plane within 120 s' : `an image plane after ${seconds(cutout.ms)}`}; ` +
      `${answers(cutout.report)}; load ${load()}`,
  );
  const t = performance.now();
  const point = await link.send({ what: 'point', objectId: ids[7]! });
  console.log(`${point.sent}: ${answers(point)} after ${seconds(performance.now() - t)}`);
} finally {
  await link.close();
  await stopAladin(aladin);
  await hub.stop();
  project.close();
  rmSync(dir, { recursive: true, force: true });
}
