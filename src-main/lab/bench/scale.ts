import { benchScale, checkKeepFolder, type ScaleBenchResult } from './survey-scale/bench';
import { intOption, parse } from '../../cli/args';
import { UserError, type Command } from '../../cli/command';

const USAGE = 'ahunt bench scale [--objects N] [--json] [--keep DIR]';

/**
 * `ahunt bench scale`: issue #7's million-object run — ingest, one cold-start round, one
 * trained round scoring every object, the per-keystroke queries — checked against the floors.
 * Progress goes to stderr; the figures (JSON with --json) to stdout; exit 1 when a floor is missed.
 */
export const benchScaleCommand: Command = {
  name: 'bench scale',
  summary: 'a synthetic 10^6-object project: ingest, a scoring round, UI queries, memory, disk',
  usage: [
    USAGE,
    '',
    'Generates N (default 1,000,000) synthetic 64×64 cutouts as FITS frames + catalogues, ingests',
    'them, runs a cold-start round and a trained round that scores every object, times the',
    'queries the window runs per keystroke, and reports peak RSS and database bytes per object.',
    'The project (≈9 KB per object) is deleted afterwards unless --keep names a new folder.',
    'Progress goes to stderr; exit status 1 when a floor is missed.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parse(
      argv,
      { objects: { type: 'string' }, json: { type: 'boolean' }, keep: { type: 'string' } },
      { min: 0, max: 0, usage: USAGE },
    );
    const objects = intOption(values.objects, 'objects', 1_000_000);
    if (objects < 100) throw new UserError('--objects must be at least 100.');
    if (values.keep !== undefined) {
      try {
        checkKeepFolder(values.keep);
      } catch (error) {
        throw new UserError((error as Error).message);
      }
    }
    const result = await benchScale({
      objects,
      ...(values.keep === undefined ? {} : { keep: values.keep }),
      log: (line) => io.err(line),
    });
    io.out(values.json ? JSON.stringify(result, null, 2) : formatScale(result));
    const missed = Object.entries(result.floors).filter(
      ([name, check]) => name !== 'allMet' && typeof check === 'object' && !check.met,
    );
    if (missed.length > 0) {
      io.err(`floors missed: ${missed.map(([name]) => name).join(', ')} (see the floors block).`);
      return 1;
    }
    return 0;
  },
};

function formatScale(r: ScaleBenchResult): string {
  const q = r.queries;
  const mark = (met: boolean) => (met ? 'ok' : 'MISSED');
  return [
    `objects            ${r.objects} (${r.cores} cores, load ${r.loadBefore.join(' ')} → ${r.loadAfter.join(' ')}, ${r.backend ?? '?'}, ${r.scoringPrecision} scoring)`,
    `ingest             ${r.ingest.objectsPerSecond} objects/s (${r.ingest.seconds} s, ${r.ingest.frames} frames)`,
    `cold-start round   ${r.coldStartRound.seconds} s`,
    `trained round      ${r.trainedRound.seconds} s (train ${r.trainedRound.trainSeconds} s, score ${r.trainedRound.scoreSeconds} s)`,
    `scoring            ${r.trainedRound.scoringObjectsPerSecond} objects/s  [${mark(r.floors.scoring.met)}] (${r.trainedRound.scoringObjectsPerCpuSecond ?? '?'} per CPU-second, ${r.trainedRound.scoringCpuCores ?? '?'} cores busy)`,
    ...Object.entries(q).map(([name, t]) => `${name.padEnd(18)} p50 ${t.p50} ms, p95 ${t.p95} ms`),
    `queries floor      [${mark(r.floors.queries.met)}]`,
    `peak RSS           ${r.peakRssMB} MB  [${mark(r.floors.peakRss.met)}]`,
    `storage            ${r.storage.bytesPerObject} bytes/object  [${mark(r.floors.storage.met)}]`,
  ].join('\n');
}
