import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFolderError } from '../../src-main/engine/learn/onnx/errors';
import { exportModelFolder, loadModelFolder } from '../../src-main/engine/learn/onnx/model-folder';
import type { AhuntModelMeta } from '../../src-main/engine/learn/onnx/model-manifest';
import { createOnnxScorer } from '../../src-main/engine/learn/onnx/scorer';
import { batchOf, maxAbsDiff, randomImages, randomiseBiases, tfjsScores } from './helpers/compare';
import { buildModel, specOf } from '../../src-main/engine/learn/model';

const meta: AhuntModelMeta = {
  classes: ['normal', 'unknown', 'merger'],
  reserve: 1,
  interest: [0, 0.625, 0.375],
  normalisation: { method: 'minmax-per-object', params: { clipLow: 0.5, clipHigh: 99.5 } },
};

describe('model folder export / import', () => {
  let work: string;
  let model: tf.LayersModel;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'ahunt-onnx-folder-'));
    model = buildModel({ size: 28, bands: 1, classes: 3, extraBlocks: 1, seed: 5 });
    randomiseBiases(model, 3);
  });
  afterAll(async () => {
    model.dispose();
    await rm(work, { recursive: true, force: true });
  });

  it('writes model.json, weights.bin, model.onnx and ahunt-model.json, and nothing else', async () => {
    const dir = path.join(work, 'nested', 'round-trip');
    const manifest = await exportModelFolder(model, dir, meta);
    expect((await readdir(dir)).sort()).toEqual([
      'ahunt-model.json',
      'model.json',
      'model.onnx',
      'weights.bin',
    ]);
    // No staging or retired folders left beside the target.
    expect(await readdir(path.dirname(dir))).toEqual(['round-trip']);
    const onDisk = JSON.parse(await readFile(path.join(dir, 'ahunt-model.json'), 'utf8'));
    expect(onDisk).toEqual(manifest);
    expect(onDisk.input).toMatchObject({ size: 28, bands: 1, layout: 'NHWC', dtype: 'float32' });
    expect(onDisk.latentSize).toBe(64);
    expect(onDisk.spec).toEqual({
      size: 28,
      bands: 1,
      classes: 3,
      extraBlocks: 1,
      latent: 64,
      seed: 5,
    });
    const tfjsJson = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    expect(tfjsJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    const weightBytes = (await readFile(path.join(dir, 'weights.bin'))).length;
    expect(weightBytes).toBe(model.countParams() * 4);
  });

  it('re-imports a model that scores exactly as the original, in tfjs and ONNX', async () => {
    const dir = path.join(work, 'reimport');
    await exportModelFolder(model, dir, meta);
    const loaded = await loadModelFolder(dir);
    expect(loaded.meta).toEqual(meta);
    // Rebuilt by buildModel, so the rest of the engine (trainer, addClass) accepts it.
    expect(specOf(loaded.model)).toEqual(specOf(model));
    const images = batchOf(randomImages(20, 28, 1, 4), 28, 1);
    const original = tfjsScores(model, images);
    const reloaded = tfjsScores(loaded.model, images);
    expect(reloaded.probs).toEqual(original.probs);
    expect(reloaded.latent).toEqual(original.latent);
    const scorer = await createOnnxScorer(loaded.onnx);
    const fast = await scorer.score(images);
    expect(maxAbsDiff(fast.probs, original.probs)).toBeLessThan(1e-4);
    await scorer.dispose();
    loaded.model.dispose();
  });

  it('round-trips a tfjs model that buildModel did not make (no spec recorded)', async () => {
    const plain = tf.sequential({ name: 'plain' });
    plain.add(
      tf.layers.conv2d({
        inputShape: [8, 8, 2],
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
      }),
    );
    plain.add(tf.layers.maxPooling2d({ poolSize: 2 }));
    plain.add(tf.layers.flatten());
    plain.add(tf.layers.dense({ units: 16, activation: 'relu', name: 'latent' }));
    plain.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
    const dir = path.join(work, 'plain');
    const manifest = await exportModelFolder(plain, dir, meta);
    expect(manifest.spec).toBeUndefined();
    expect(manifest.latentSize).toBe(16);
    const loaded = await loadModelFolder(dir);
    const images = batchOf(randomImages(5, 8, 2, 3), 8, 2);
    expect(tfjsScores(loaded.model, images).probs).toEqual(tfjsScores(plain, images).probs);
    plain.dispose();
    loaded.model.dispose();
  });

  it('replaces an earlier export in place', async () => {
    const dir = path.join(work, 'replace');
    await exportModelFolder(model, dir, meta);
    const renamed = { ...meta, classes: ['normal', 'unknown', 'ring'] };
    await exportModelFolder(model, dir, renamed);
    expect((await loadModelFolder(dir)).meta.classes).toEqual(['normal', 'unknown', 'ring']);
    expect((await readdir(work)).filter((name) => name.startsWith('.'))).toEqual([]);
  });

  it('refuses to overwrite a folder holding other files', async () => {
    const dir = path.join(work, 'someone-elses');
    await mkdir(dir);
    await writeFile(path.join(dir, 'thesis.tex'), 'precious');
    await expect(exportModelFolder(model, dir, meta)).rejects.toThrow(ModelFolderError);
    expect(await readFile(path.join(dir, 'thesis.tex'), 'utf8')).toBe('precious');
  });

  it('refuses meta that does not fit the network', async () => {
    const dir = path.join(work, 'bad-meta');
    await expect(exportModelFolder(model, dir, { ...meta, interest: [1, 0] })).rejects.toThrow(
      /2 interest weights for 3 classes/,
    );
    await expect(exportModelFolder(model, dir, { ...meta, reserve: 3 })).rejects.toThrow(
      /reserve class/,
    );
  });
});

describe('loading a damaged model folder', () => {
  let work: string;
  let good: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'ahunt-onnx-damaged-'));
    good = path.join(work, 'good');
    const model = buildModel({ size: 28, bands: 1, classes: 3, seed: 6 });
    await exportModelFolder(model, good, meta);
    model.dispose();
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  async function damagedCopy(
    name: string,
    damage: (dir: string) => Promise<void>,
  ): Promise<string> {
    const dir = path.join(work, name);
    await mkdir(dir);
    for (const file of await readdir(good))
      await writeFile(path.join(dir, file), await readFile(path.join(good, file)));
    await damage(dir);
    return dir;
  }

  async function expectFolderError(dir: string, file: string, message: RegExp) {
    const error = await loadModelFolder(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelFolderError);
    expect((error as ModelFolderError).file).toBe(path.join(dir, file));
    expect((error as Error).message).toMatch(message);
  }

  it('says a folder without ahunt-model.json is not a model folder', async () => {
    const dir = await damagedCopy('no-manifest', (d) => rm(path.join(d, 'ahunt-model.json')));
    await expectFolderError(dir, 'ahunt-model.json', /is not an AHUNT model folder/);
  });

  it('names a manifest that is not JSON', async () => {
    const dir = await damagedCopy('bad-json', (d) =>
      writeFile(path.join(d, 'ahunt-model.json'), '{ nope'),
    );
    await expectFolderError(dir, 'ahunt-model.json', /is not valid JSON/);
  });

  it('names the malformed field of a manifest', async () => {
    const dir = await damagedCopy('bad-field', async (d) => {
      const json = JSON.parse(await readFile(path.join(d, 'ahunt-model.json'), 'utf8'));
      json.input.size = 'large';
      await writeFile(path.join(d, 'ahunt-model.json'), JSON.stringify(json));
    });
    await expectFolderError(dir, 'ahunt-model.json', /malformed at input\.size/);
  });

  it('refuses a manifest from a newer app version', async () => {
    const dir = await damagedCopy('future', async (d) => {
      const json = JSON.parse(await readFile(path.join(d, 'ahunt-model.json'), 'utf8'));
      json.version = 99;
      await writeFile(path.join(d, 'ahunt-model.json'), JSON.stringify(json));
    });
    await expectFolderError(dir, 'ahunt-model.json', /newer AHUNT Workstation/);
  });

  it('refuses file names that point outside the folder', async () => {
    const dir = await damagedCopy('escape', async (d) => {
      const json = JSON.parse(await readFile(path.join(d, 'ahunt-model.json'), 'utf8'));
      json.files.onnx = '../good/model.onnx';
      await writeFile(path.join(d, 'ahunt-model.json'), JSON.stringify(json));
    });
    await expectFolderError(dir, 'ahunt-model.json', /files\.onnx/);
  });

  it('detects classes that do not match the network', async () => {
    const dir = await damagedCopy('classes', async (d) => {
      const json = JSON.parse(await readFile(path.join(d, 'ahunt-model.json'), 'utf8'));
      json.classes.push('extra');
      json.interest.push(1);
      await writeFile(path.join(d, 'ahunt-model.json'), JSON.stringify(json));
    });
    await expectFolderError(
      dir,
      'ahunt-model.json',
      /names 4 classes but the network has 3 outputs/,
    );
  });

  it('names a manifest whose spec cannot be built', async () => {
    const dir = await damagedCopy('bad-spec', async (d) => {
      const json = JSON.parse(await readFile(path.join(d, 'ahunt-model.json'), 'utf8'));
      json.spec.extraBlocks = 9;
      await writeFile(path.join(d, 'ahunt-model.json'), JSON.stringify(json));
    });
    await expectFolderError(dir, 'ahunt-model.json', /spec that cannot be built/);
  });

  it('names a manifest whose spec differs from the saved network', async () => {
    const dir = await damagedCopy('other-spec', async (d) => {
      const json = JSON.parse(await readFile(path.join(d, 'ahunt-model.json'), 'utf8'));
      json.spec.latent = 32;
      await writeFile(path.join(d, 'ahunt-model.json'), JSON.stringify(json));
    });
    await expectFolderError(dir, 'ahunt-model.json', /differs from the saved one/);
  });

  it('names a missing weights file and a missing ONNX file', async () => {
    const noWeights = await damagedCopy('no-weights', (d) => rm(path.join(d, 'weights.bin')));
    await expectFolderError(noWeights, 'weights.bin', /Cannot read the weights file/);
    const noOnnx = await damagedCopy('no-onnx', (d) => rm(path.join(d, 'model.onnx')));
    await expectFolderError(noOnnx, 'model.onnx', /Cannot read/);
  });

  it('names a truncated weights file', async () => {
    const dir = await damagedCopy('truncated', async (d) => {
      const bytes = await readFile(path.join(d, 'weights.bin'));
      await writeFile(path.join(d, 'weights.bin'), bytes.subarray(0, 100));
    });
    await expectFolderError(dir, 'model.json', /cannot be rebuilt/);
  });
});
