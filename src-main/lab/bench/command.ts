import { benchTrain, benchScore } from './train';
import { benchOnnxScore } from './onnx';
import { initBackend, parseBackendChoice } from '../../engine/learn/backend';
import { parse } from '../../cli/args';
import { UserError, type Command } from '../../cli/command';
import { benchIngest } from './ingest';
import { benchScaleCommand } from './scale';
import { benchSimilarCommand } from './similar';

const WHAT = ['ingest', 'train', 'score', 'all'] as const;

/**
 * `ahunt bench`: the performance figures quoted in the README, rerunnable by anyone.
 */
export const benchCommand: Command = {
  name: 'bench',
  summary: 'performance benchmarks: ingest, train, score',
  usage: [
    'ahunt bench ingest|train|score|all [--json] [--backend NAME] [--seconds N] [--count N]',
    '',
    'ingest: 10,000 synthetic 64×64 float32 FITS cutouts into a new project (+ Galaxy Zoo JPEGs when present)',
    'train:  the AHUNT CNN on 28×28×1, batch 256 (img/s)',
    'score:  the same network, inference (img/s)',
    'scale:  ahunt bench scale [--objects N] [--json] [--keep DIR] (see `ahunt bench scale --help`)',
    'similar: ahunt bench similar [--objects N] [--queries N] [--json] ("more like this" at N objects)',
  ].join('\n'),
  async run(argv, io) {
    if (argv[0] === 'scale') return benchScaleCommand.run(argv.slice(1), io);
    if (argv[0] === 'similar') return benchSimilarCommand.run(argv.slice(1), io);
    const { values, positionals } = parse(
      argv,
      {
        json: { type: 'boolean' },
        backend: { type: 'string' },
        seconds: { type: 'string' },
        count: { type: 'string' },
      },
      { min: 1, max: 1, usage: 'ahunt bench ingest|train|score|all [--json]' },
    );
    const what = positionals[0] as (typeof WHAT)[number];
    if (!WHAT.includes(what))
      throw new UserError(`unknown benchmark "${what}"; choose ${WHAT.join(', ')}.`);
    const backend = values.backend ? parseBackendChoice(values.backend, '--backend') : 'auto';
    const seconds = values.seconds ? Number(values.seconds) : 10;
    if (!(seconds > 0)) throw new UserError('--seconds must be a positive number.');
    const log = values.json ? () => {} : (line: string) => io.err(line);
    const result: Record<string, unknown> = {};
    if (what === 'ingest' || what === 'all') {
      const count = values.count ? Number(values.count) : 10_000;
      Object.assign(result, { ingest: await benchIngest({ count, log }) });
    }
    if (what === 'train' || what === 'all') {
      Object.assign(result, await benchTrain({ backend, seconds }));
    }
    if (what === 'score' || what === 'all') {
      const tfjs = await benchScore({ backend, seconds });
      let onnx: Awaited<ReturnType<typeof benchOnnxScore>> | null = null;
      try {
        // The ONNX graph is built from a tfjs model on this thread, which needs a backend.
        await initBackend(backend);
        onnx = await benchOnnxScore({ size: 28, bands: 1, batch: 256, count: 51_200 });
      } catch (error) {
        log(`onnxruntime unavailable: ${(error as Error).message}`);
      }
      // score_img_per_s is the path a hunt round uses (tfjs on the chosen backend); onnxruntime
      // is what `ahunt score` uses with an exported model, reported beside it.
      Object.assign(result, {
        backend: result.backend ?? tfjs.backend,
        score_img_per_s: tfjs.score_img_per_s,
        onnxruntime_score_img_per_s: onnx?.score_img_per_s ?? null,
      });
    }
    if (values.json) io.out(JSON.stringify(result, null, 2));
    else io.out(formatBench(result));
    return 0;
  },
};

function formatBench(result: Record<string, unknown>): string {
  return Object.entries(result)
    .map(([k, v]) => `${k.padEnd(18)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('\n');
}
