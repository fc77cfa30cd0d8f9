import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DatasetError, loadDataset } from '../datasets/index';
import { writeSimulationPlot } from './plot/index';
import type { PlotRun } from './plot/index';
import { whyItWillNotFit } from '../../engine/learn/memory-budget';
import { STRATEGIES } from '../../engine/learn/strategies';
import {
  parseClassCounts,
  parseSeeds,
  runSimulation,
  SIMULATION_METHODS,
  SimulationError,
  summariseRuns,
} from './index';
import type { SimulationConfig, SimulationMethod, SimulationResult } from './index';
import type { BackendInfo, BackendName, StrategyName } from '../../engine/learn/types';
import { intOption, parse } from '../../cli/args';
import { UserError } from '../../cli/command';
import type { Command, CliIo } from '../../cli/command';

const AUGMENTS = ['none', 'flips-rot90', 'galaxy'] as const;

const USAGE = `ahunt simulate --dataset mnist:<dir>|folder:<dir>|csv:<file> [options]
  Runs the AHUNT benchmark protocol (method.md) with an oracle answering from the true labels.
  --normal 0:500,1:900          labelled start set (class:count)
  --per-round 0:170,1:200,5:6   new data per round; classes not in --normal are the anomalies
  --known 5:2                   anomalies labelled at the start (variant; the paper has none)
  --rounds 30  --queries 5  --epochs 2  --initial-epochs 5  --batch-size 256
                                (folder:/csv: survey images: --epochs 10, the survey variant)
  --method ahunt                ${SIMULATION_METHODS.join(' | ')} (comma-separated for several)
  --strategy fusion             ${STRATEGIES.join(' | ')}
                                (fusion: P(class) × unusualness in the latent space, the
                                reserve by unusualness alone; the others are the paper's)
  --seed 1                      one seed, a list (1,2,3) or a range (1-5)
  --augment none|galaxy         none | flips-rot90 | galaxy (copies made by oversampling;
                                none for mnist:, else galaxy: any rotation and flips)
  --noise 0.1                   Gaussian pixel noise sd (default 0.1 for mnist:, else 0)
  --size 64                     image side for folder:/csv: datasets (default 64)
  --warm-start 0                epochs of self-supervised (contrastive) training of the CNN's
                                encoder on every object of the run, unlabelled, before round 1
  --backend auto                tensorflow-gpu | webgpu | tensorflow | wasm | cpu
  --json out.json               write the results (one run: the run; several: {runs, summary})
  --plot out.svg|out.png        RWS and MCC per round and the discovery curve
  --from a.json,b.json          only plot earlier results (no simulation)`;

function parseChoice<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UserError(`--${flag} must be one of ${allowed.join(', ')}; got "${value}".`);
  }
  return value as T;
}

function parseNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0)
    throw new UserError(`--${flag} must be a number ≥ 0, got "${value}".`);
  return n;
}

/** Reads result JSON files written by earlier runs (one run or {runs}). */
function readResults(files: string[]): SimulationResult[] {
  return files.flatMap((file) => {
    if (!existsSync(file)) throw new UserError(`Result file ${file} does not exist.`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new UserError(`Result file ${file} is not valid JSON (${(error as Error).message}).`);
    }
    const runs = (parsed as { runs?: SimulationResult[] }).runs ?? [parsed as SimulationResult];
    if (!runs.every((r) => Array.isArray(r?.rounds) && r.config)) {
      throw new UserError(`${file} is not an ahunt simulate result (no config and rounds).`);
    }
    return runs;
  });
}

function plotRuns(results: SimulationResult[]): PlotRun[] {
  const strategies = new Set(results.map((r) => r.config.strategy));
  return results.map((r) => ({
    label: strategies.size > 1 ? `${r.config.method} (${r.config.strategy})` : r.config.method,
    rounds: r.rounds,
  }));
}

function progressLine(
  label: string,
  rounds: number,
  rec: SimulationResult['rounds'][number],
): string {
  return (
    `${label} round ${String(rec.round).padStart(String(rounds).length)}/${rounds}  ` +
    `RWS ${rec.rws.toFixed(3)}  MCC ${rec.mcc.toFixed(3)}  recall ${rec.recall.toFixed(3)}  ` +
    `found ${rec.found}/${rec.asked} (${rec.anomalies_observed} seen)  classes ${rec.classes}  ` +
    `train ${rec.train_seconds.toFixed(1)} s  score ${rec.score_seconds.toFixed(2)} s`
  );
}

async function simulate(
  values: Record<string, string | boolean | undefined>,
  io: CliIo,
): Promise<number> {
  const str = (k: string) => values[k] as string | undefined;
  const jsonOut = str('json');
  const plotOut = str('plot');
  if (plotOut && !/\.(svg|png)$/i.test(plotOut)) {
    throw new UserError(`--plot ${plotOut}: use a file name ending in .svg or .png.`);
  }
  const from = str('from');
  if (from) {
    if (!plotOut) throw new UserError('--from only plots: give --plot out.svg|out.png too.');
    const results = readResults(from.split(',').map((f) => f.trim()));
    await writeSimulationPlot(plotOut, plotRuns(results));
    io.out(`Wrote ${plotOut} (${results.length} run${results.length === 1 ? '' : 's'}).`);
    return 0;
  }
  const dataset = str('dataset');
  if (!dataset) throw new UserError(`--dataset is required. Usage:\n${USAGE}`);
  const methods = (str('method') ?? 'ahunt')
    .split(',')
    .map((m) => parseChoice(m.trim(), SIMULATION_METHODS, 'method') as SimulationMethod);
  const strategy = parseChoice(str('strategy') ?? 'fusion', STRATEGIES, 'strategy') as StrategyName;
  const seeds = parseSeeds(str('seed') ?? '1');
  const isMnist = dataset.startsWith('mnist:');
  const base: Omit<SimulationConfig, 'method' | 'seed'> = {
    dataset,
    normal: parseClassCounts(str('normal') ?? '0:500,1:900', 'normal'),
    perRound: parseClassCounts(str('per-round') ?? '0:170,1:200,5:6', 'per-round'),
    ...(str('known') ? { known: parseClassCounts(str('known')!, 'known') } : {}),
    rounds: intOption(str('rounds'), 'rounds', 30),
    queries: intOption(str('queries'), 'queries', 5),
    // The survey variant (method.md): 10 epochs a round for galaxies, 2 for digits.
    epochs: intOption(str('epochs'), 'epochs', isMnist ? 2 : 10),
    initialEpochs: intOption(str('initial-epochs'), 'initial-epochs', 5),
    strategy,
    noise: parseNumber(str('noise'), 'noise', isMnist ? 0.1 : 0),
    batchSize: intOption(str('batch-size'), 'batch-size', 256),
    // Digits are not flip- or rotation-invariant: a mirrored 5 or a turned 1 is a different
    // shape, so flips/rot90 copies teach the CNN the wrong classes. Measured on the protocol
    // (seed 1, 10 rounds): RWS 0.32 with flips-rot90, 0.72 without.
    // Galaxies have no preferred orientation: any rotation plus flips (method.md, step 4).
    augment: parseChoice(str('augment') ?? (isMnist ? 'none' : 'galaxy'), AUGMENTS, 'augment'),
    // Image files are resized to 64 px unless asked: their native size (423 px for Galaxy Zoo)
    // does not fit the wasm heap, and 64 px is what the survey variant is measured at.
    ...(isMnist ? {} : { imageSize: intOption(str('size'), 'size', 64) }),
    warmStart: intOption(str('warm-start'), 'warm-start', 0),
  };
  if (base.imageSize !== undefined && base.imageSize < 4) {
    throw new UserError(`--size must be at least 4 pixels, got ${base.imageSize}.`);
  }
  if (base.rounds < 1 || base.queries < 1 || base.epochs < 1 || base.batchSize < 1) {
    throw new UserError('--rounds, --queries, --epochs and --batch-size must be at least 1.');
  }
  const anomalies = Object.keys(base.perRound).filter((c) => !(c in base.normal));
  if (anomalies.length === 0) {
    throw new UserError(
      '--per-round has no class outside --normal, so there is no anomaly to hunt.',
    );
  }

  const needsCnn = methods.some((m) => m !== 'iforest-raw');
  // Loaded lazily: tfjs takes a while to import and iforest-raw --from runs need none of it.
  const { initBackend, parseBackendChoice } = await import('../../engine/learn/backend');
  let backend: BackendInfo;
  try {
    backend = await initBackend(
      parseBackendChoice(str('backend') ?? 'auto', '--backend') as BackendName | 'auto',
    );
  } catch (error) {
    throw new UserError((error as Error).message);
  }
  io.err(`Backend: ${backend.name} (${backend.reason}; ${backend.detail})`);
  const { tfjsCnnFactory } = await import('./tfjs-cnn');

  const names = [
    ...new Set([
      ...Object.keys(base.normal),
      ...Object.keys(base.known ?? {}),
      ...Object.keys(base.perRound),
    ]),
  ];
  // Refuse a size that cannot run before decoding a single image: the data set is held decoded
  // twice (as loaded, and in the run's arrival order) and a training batch must fit the backend.
  const checkFit = (count: number, size: number, bands: number): string | null =>
    whyItWillNotFit({
      size,
      bands,
      batchSize: base.batchSize,
      images: count,
      copies: 2,
      backend: backend.name,
      sizeKnob: '--size',
      batchKnob: '--batch-size',
    });
  const t0 = performance.now();
  const data = await loadDataset(dataset, { classes: names, size: base.imageSize, checkFit });
  const refusal = checkFit(data.images.count, data.images.size, data.images.bands);
  if (refusal) throw new UserError(refusal);
  io.err(
    `Loaded ${data.images.count} images from ${data.source} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const results: SimulationResult[] = [];
  for (const method of methods) {
    for (const seed of seeds) {
      const config: SimulationConfig = { ...base, method, seed };
      const label = `[${method} seed ${seed}]`;
      const result = await runSimulation(config, {
        backend,
        data,
        ...(needsCnn ? { cnn: tfjsCnnFactory } : {}),
        onRound: ({ rounds, record }) => io.err(progressLine(label, rounds, record)),
        onWarmStartEpoch: (p) =>
          io.err(
            `${label} warm start epoch ${p.epoch}/${p.epochs}  contrastive loss ` +
              `${p.loss.toFixed(3)}  ${p.seconds.toFixed(0)} s`,
          ),
      });
      if (result.warm_start) {
        const { seconds, losses } = result.warm_start;
        io.err(
          `${label} warm start: ${losses.length} epochs in ${seconds.toFixed(1)} s, ` +
            `contrastive loss ${losses[0]?.toFixed(3)} → ${losses[losses.length - 1]?.toFixed(3)}`,
        );
      }
      io.out(`${label} done in ${result.total_seconds.toFixed(1)} s`);
      results.push(result);
    }
  }
  const summary = summariseRuns(results);
  for (const s of summary) {
    io.out(
      `${s.method.padEnd(16)} ${s.runs} run(s), round ${s.round}: median RWS ${s.rws.toFixed(3)}  ` +
        `MCC ${s.mcc.toFixed(3)}  recall ${s.recall.toFixed(3)}  found ${s.found}/${s.asked}  ` +
        `median wall ${s.seconds.toFixed(0)} s/run`,
    );
  }
  if (jsonOut) {
    const payload = results.length === 1 ? results[0] : { runs: results, summary };
    writeFileSync(jsonOut, JSON.stringify(payload, null, 1));
    io.out(`Wrote ${path.resolve(jsonOut)}`);
  }
  if (plotOut) {
    await writeSimulationPlot(plotOut, plotRuns(results));
    io.out(`Wrote ${path.resolve(plotOut)}`);
  }
  return 0;
}

export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'run the AHUNT benchmark protocol (oracle from true labels) and plot the metrics',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parse(
      argv,
      {
        dataset: { type: 'string' },
        normal: { type: 'string' },
        'per-round': { type: 'string' },
        known: { type: 'string' },
        rounds: { type: 'string' },
        queries: { type: 'string' },
        epochs: { type: 'string' },
        'initial-epochs': { type: 'string' },
        'batch-size': { type: 'string' },
        augment: { type: 'string' },
        method: { type: 'string' },
        strategy: { type: 'string' },
        seed: { type: 'string' },
        noise: { type: 'string' },
        size: { type: 'string' },
        'warm-start': { type: 'string' },
        backend: { type: 'string' },
        json: { type: 'string' },
        plot: { type: 'string' },
        from: { type: 'string' },
      },
      { min: 0, max: 0, usage: USAGE },
    );
    try {
      return await simulate(values, io);
    } catch (error) {
      if (error instanceof DatasetError || error instanceof SimulationError) {
        throw new UserError(error.message);
      }
      throw error;
    }
  },
};
