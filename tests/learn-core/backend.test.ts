import { describe, it, expect, afterEach } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
  BackendUnavailableError,
  initBackend,
  parseBackendChoice,
  UnknownBackendError,
} from '../../src-main/engine/learn/backend';

const saved = process.env.AHUNT_BACKEND;
afterEach(() => {
  if (saved === undefined) delete process.env.AHUNT_BACKEND;
  else process.env.AHUNT_BACKEND = saved;
});

describe('initBackend', () => {
  it('picks the fastest available backend and says why the better ones were skipped', async () => {
    delete process.env.AHUNT_BACKEND;
    const info = await initBackend('auto');
    expect(tf.getBackend()).toBe(info.name);
    // This machine has neither libtensorflow nor WebGPU; a user's machine may.
    if (info.name === 'wasm') {
      expect(info.reason).toMatch(/fastest available \(tensorflow-gpu: .*not installed/);
      expect(info.detail).toMatch(/SIMD on/);
      expect(info.detail).toMatch(/Conv2DBackpropFilter/);
    }
  });

  it('honours an explicit choice and AHUNT_BACKEND', async () => {
    const cpu = await initBackend('cpu');
    expect(cpu).toMatchObject({ name: 'cpu', reason: 'explicit choice' });
    expect(tf.getBackend()).toBe('cpu');
    process.env.AHUNT_BACKEND = 'wasm';
    const fromEnv = await initBackend();
    expect(fromEnv).toMatchObject({ name: 'wasm', reason: 'AHUNT_BACKEND' });
    expect(tf.getBackend()).toBe('wasm');
  });

  it('fails readably for an unavailable or unknown backend', async () => {
    const explicit = initBackend('tensorflow-gpu');
    await expect(explicit).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(initBackend('tensorflow-gpu')).rejects.toThrow(
      /"tensorflow-gpu" compute backend is not available: @tensorflow\/tfjs-node-gpu is not installed/,
    );
    await expect(initBackend('webgpu')).rejects.toThrow(/not available/);
    await expect(initBackend('webgl')).rejects.toThrow(
      /"webgl" compute backend is not available: it needs the desktop app/,
    );
    process.env.AHUNT_BACKEND = 'cuda';
    await expect(initBackend()).rejects.toBeInstanceOf(UnknownBackendError);
    expect(() => parseBackendChoice('gpu', 'the --backend option')).toThrow(
      /Unknown compute backend "gpu" \(from the --backend option\)/,
    );
    expect(parseBackendChoice(' WASM ', 'x')).toBe('wasm');
  });
});
