/**
 * `ahunt ingest` end to end (a new process, as a user runs it) against astropy merely reading
 * the same files (scripts/astropy-read.py, also a new process), in alternation:
 *   npx tsx scripts/bench-ingest-vs-astropy.ts [files=10000] [runs=3]
 * The files are the demo survey's 64×64 float32 cutouts, generated first (not timed).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateDemoSurvey } from '../src-main/engine/demo/survey';

const files = Number(process.argv[2] ?? 10_000);
const runs = Number(process.argv[3] ?? 3);
const root = resolve(import.meta.dirname, '..');
// Debian's python3-astropy (what `npm test` installs) lives with the system Python.
const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
const scratch = mkdtempSync(join(tmpdir(), 'ahunt-vs-astropy-'));

function timed(command: string, args: string[]): number {
  const start = performance.now();
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr}`);
  return (performance.now() - start) / 1000;
}

try {
  const survey = generateDemoSurvey(join(scratch, 'survey'), { count: files, seed: 7 });
  // One untimed run, so the compiled CLI and the OS file cache are warm for both.
  timed(process.execPath, ['bin/ahunt.js', 'ingest', join(scratch, 'warm'), survey.dir]);
  console.log('run\tahunt ingest (s)\tastropy read (s)\tratio\tload');
  for (let run = 1; run <= runs; run++) {
    const project = join(scratch, `p${run}`);
    const ours = timed(process.execPath, ['bin/ahunt.js', 'ingest', project, survey.dir]);
    const theirs = timed(python, ['scripts/astropy-read.py', survey.dir]);
    const load = loadavg()[0]!.toFixed(1);
    console.log(
      `${run}\t${ours.toFixed(2)}\t${theirs.toFixed(2)}\t${(theirs / ours).toFixed(2)}\t${load}`,
    );
    rmSync(project, { recursive: true, force: true });
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
