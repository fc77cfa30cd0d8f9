import { availableParallelism } from 'node:os';
import { benchTrain, benchScore } from './train';
import { benchOnnxScore } from './onnx';
import { initBackend, parseBackendChoice } from '../../engine/learn/backend';
import { parse } from '../../cli/args';
import { UserError, type Command } from '../../cli/command';
import { benchGpuRoute } from './gpu-route';
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
    '                  [--size PX] [--bands N] [--threads N] [--batch N]',
    '',
    'ingest: 10,000 synthetic 64×64 float32 FITS cutouts into a new project (+ Galaxy Zoo JPEGs when present)',
    'train:  the AHUNT CNN (the survey depth for the size), 28×28×1 unless --size/--bands (img/s);',
    '        batch 256 up to 32 px, 128 up to 64 px, 64 beyond unless --batch; --threads as the app (2)',
    '        scripts/bench-torch.py times PyTorch on the same network, sizes and threads;',
    "        gpu_route: the desktop app's WebGPU/WebGL route in headless Chromium, timed only on a real GPU",
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
        size: { type: 'string' },
        bands: { type: 'string' },
        threads: { type: 'string' },
        batch: { type: 'string' },
      },
      { min: 1, max: 1, usage: 'ahunt bench ingest|train|score|all [--json]' },
    );
    const what = positionals[0] as (typeof WHAT)[number];
    if (!WHAT.includes(what))
      throw new UserError(`unknown benchmark "${what}"; choose ${WHAT.join(', ')}.`);
    const backend = values.backend ? parseBackendChoice(values.backend, '--backend') : 'auto';
    const seconds = values.seconds ? Number(values.seconds) : 10;
    if (!(seconds > 0)) throw new UserError('--seconds must be a positive number.');
    const shape = networkShape(values);
    const log = values.json ? () => {} : (line: string) => io.err(line);
    const result: Record<string, unknown> = {};
    if (what === 'ingest' || what === 'all') {
      const count = values.count ? Number(values.count) : 10_000;
      Object.assign(result, { ingest: await benchIngest({ count, log }) });
    }
    if (what === 'train' || what === 'all') {
      Object.assign(result, shape, await benchTrain({ backend, seconds, ...shape }));
      // The desktop's GPU training route, timed only where a real GPU adapter exists.
      Object.assign(result, await benchGpuRoute(shape, seconds));
    }
    if (what === 'score' || what === 'all') {
      const tfjs = await benchScore({ backend, seconds, ...shape });
      let onnx: Awaited<ReturnType<typeof benchOnnxScore>> | null = null;
      try {
        // The ONNX graph is built from a tfjs model on this thread, which needs a backend.
        await initBackend(backend);
        onnx = await benchOnnxScore({
          size: shape.size,
          bands: shape.bands,
          batch: shape.batchSize,
          count: shape.size <= 32 ? 51_200 : 8_192,
        });
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

/** Cutout size, bands, batch and threads from the flags, each checked with a sentence. */
function networkShape(values: Record<string, string | boolean | undefined>) {
  const integer = (flag: string, fallback: number, min: number, max: number): number => {
    const raw = values[flag];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new UserError(`--${flag} must be a whole number from ${min} to ${max}; got "${raw}".`);
    return n;
  };
  const size = integer('size', 28, 8, 512);
  const bands = integer('bands', 1, 1, 16);
  const batchSize = integer('batch', size <= 32 ? 256 : size <= 64 ? 128 : 64, 1, 4096);
  const threads = integer('threads', Math.min(2, availableParallelism()), 1, 64);
  // Enough images for several batches per pass, at most ~128 MB of pixels.
  const images = Math.max(
    2 * batchSize,
    Math.min(2048, Math.floor((128 << 20) / (size * size * bands * 4 * batchSize)) * batchSize),
  );
  return { size, bands, batchSize, threads, images };
}

function formatBench(result: Record<string, unknown>): string {
  return Object.entries(result)
    .map(([k, v]) => `${k.padEnd(18)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join('\n');
}
