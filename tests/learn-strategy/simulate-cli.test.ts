import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import { simulateCommand } from '../../src-main/lab/simulate/command';
import { UserError } from '../../src-main/cli/command';
import type { CliIo } from '../../src-main/cli/command';

function captureIo(): CliIo & { outText: string[]; errText: string[] } {
  const outText: string[] = [];
  const errText: string[] = [];
  return {
    outText,
    errText,
    out: (t) => outText.push(t),
    err: (t) => errText.push(t),
    interactive: false,
  };
}

let tmp = '';
beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'ahunt-simulate-cli-'));
  // folder: dataset of 4×4 grey PNGs: a dark, b mid-grey, x (the anomaly) bright.
  const levels = { a: [30, 40], b: [110, 120], x: [240, 250] } as const;
  const counts = { a: 30, b: 30, x: 8 };
  for (const [cls, [lo, hi]] of Object.entries(levels)) {
    mkdirSync(path.join(tmp, 'data', cls), { recursive: true });
    for (let i = 0; i < counts[cls as keyof typeof counts]; i++) {
      const v = lo + ((i * 7) % (hi - lo));
      await sharp({
        create: { width: 4, height: 4, channels: 3, background: { r: v, g: v, b: v } },
      })
        .png()
        .toFile(path.join(tmp, 'data', cls, `${i}.png`));
    }
  }
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const args = (extra: string[]) => [
  '--dataset',
  `folder:${path.join(tmp, 'data')}`,
  '--normal',
  'a:10,b:10',
  '--per-round',
  'a:5,b:5,x:2',
  '--rounds',
  '3',
  '--queries',
  '2',
  '--size',
  '4',
  '--backend',
  'wasm',
  ...extra,
];

describe('ahunt simulate', () => {
  it('runs a method, prints a progress line per round and writes JSON and a plot', async () => {
    const io = captureIo();
    const json = path.join(tmp, 'run.json');
    const svg = path.join(tmp, 'run.svg');
    const code = await simulateCommand.run(
      args(['--method', 'iforest-raw', '--json', json, '--plot', svg]),
      io,
    );
    expect(code).toBe(0);
    expect(io.errText.filter((l) => /round \d\/3/.test(l))).toHaveLength(3);
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.config).toMatchObject({ method: 'iforest-raw', rounds: 3, queries: 2, seed: 1 });
    expect(result.backend.name).toBe('wasm');
    expect(result.rounds).toHaveLength(3);
    for (const key of [
      'round',
      'rws',
      'recall',
      'precision',
      'mcc',
      'true_candidates',
      'found',
      'asked',
      'train_seconds',
      'score_seconds',
    ]) {
      expect(result.rounds[2]).toHaveProperty(key);
    }
    expect(result.rounds[2].anomalies_observed).toBe(6);
    // Bright objects are trivially isolated in pixel space.
    expect(result.rounds[2].rws).toBeGreaterThan(0.5);
    expect(readFileSync(svg, 'utf8')).toContain('Discovery curve');

    const png = path.join(tmp, 'again.png');
    const again = captureIo();
    expect(await simulateCommand.run(['--from', json, '--plot', png], again)).toBe(0);
    expect(existsSync(png)).toBe(true);
  }, 60_000);

  it('turns user mistakes into UserError with a reason', async () => {
    const io = captureIo();
    await expect(simulateCommand.run([], io)).rejects.toThrow(/--dataset is required/);
    await expect(simulateCommand.run(args(['--method', 'magic']), io)).rejects.toThrow(
      /--method must be one of ahunt/,
    );
    await expect(
      simulateCommand.run(['--dataset', 'mnist:x', '--per-round', '0:5', '--normal', '0:5'], io),
    ).rejects.toThrow(/no class outside --normal/);
    await expect(simulateCommand.run(args(['--plot', 'out.gif']), io)).rejects.toThrow(UserError);
    await expect(
      simulateCommand.run(
        ['--dataset', `mnist:${path.join(tmp, 'nothing')}`, '--method', 'iforest-raw'],
        io,
      ),
    ).rejects.toThrow(/does not exist/);
    await expect(
      simulateCommand.run(args(['--per-round', 'a:5,b:5,x:5', '--method', 'iforest-raw']), io),
    ).rejects.toThrow(/has 8 images of class "x" but the protocol needs 15/);
  }, 60_000);

  it('refuses a size the backend cannot train in one sentence, before decoding anything', async () => {
    const io = captureIo();
    const big = args(['--method', 'ahunt']).map((a, i, all) =>
      all[i - 1] === '--size' ? '423' : a,
    );
    const started = performance.now();
    const error = await simulateCommand.run(big, io).catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toMatch(
      /^A training batch of 256 images of 423×423×3 needs about [\d.]+ GB but the wasm backend holds at most 4 GB: use --size \d+ or smaller, or --batch-size \d+ or smaller\.$/,
    );
    expect(io.errText.some((l) => /Loaded/.test(l))).toBe(false);
    expect(performance.now() - started).toBeLessThan(10_000);
    await expect(simulateCommand.run(args(['--size', '2']), io)).rejects.toThrow(
      /--size must be at least 4/,
    );
  }, 60_000);

  it('warm-starts the CNN with --warm-start EPOCHS and reports each epoch', async () => {
    const io = captureIo();
    const json = path.join(tmp, 'warm.json');
    const warm = args(['--method', 'ahunt', '--warm-start', '2', '--json', json]);
    expect(await simulateCommand.run(warm, io)).toBe(0);
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.config.warmStart).toBe(2);
    expect(result.warm_start.losses).toHaveLength(2);
    expect(io.errText.filter((l) => /warm start epoch \d\/2/.test(l))).toHaveLength(2);
    await expect(
      simulateCommand.run(args(['--method', 'ahunt', '--warm-start', 'x']), io),
    ).rejects.toThrow(/^--warm-start must be a whole number, got "x"\.$/);
  }, 60_000);

  it('resizes image files to 64 px unless --size says otherwise (the documented default)', async () => {
    const io = captureIo();
    const json = path.join(tmp, 'default-size.json');
    const noSize = args(['--method', 'iforest-raw', '--json', json]).filter(
      (a, i, all) => a !== '--size' && all[i - 1] !== '--size',
    );
    expect(await simulateCommand.run(noSize, io)).toBe(0);
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.config).toMatchObject({
      imageSize: 64,
      epochs: 10,
      augment: 'galaxy',
      strategy: 'fusion',
    });
  }, 60_000);
});
