/**
 * Picks and starts the tfjs backend. Order of preference: tensorflow-gpu (tfjs-node-gpu, CUDA) →
 * webgpu → webgl (both only where a window exists: see NEEDS_DESKTOP) → tensorflow (tfjs-node, native CPU) → wasm (SIMD, with our training kernels) → cpu.
 * The native packages download libtensorflow at install time, so they are optional and loaded
 * only through guarded dynamic imports; an explicit choice that is unavailable is an error.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths, getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import path from 'node:path';
import { backendNames } from '../../contract/contract';
import type { BackendInfo, BackendName } from './types';
import { registerWasmTrainingKernels } from './kernels/register-wasm-kernels';

/** Tried in this order for 'auto': the contract lists them fastest first. */
export const BACKEND_ORDER: readonly BackendName[] = backendNames;

export class BackendUnavailableError extends Error {
  /** The user's choice to change, not a bug: the doors show the sentence (app/errors.ts). */
  readonly userFacing = true;
  constructor(
    readonly backend: BackendName,
    why: string,
  ) {
    super(
      `The "${backend}" compute backend is not available: ${why}; ` +
        `choose another one (${BACKEND_ORDER.join(', ')}) or "auto".`,
    );
    this.name = 'BackendUnavailableError';
  }
}

export class UnknownBackendError extends Error {
  readonly userFacing = true;
  constructor(value: string, source: string) {
    super(
      `Unknown compute backend "${value}" (from ${source}). ` +
        `Use one of: auto, ${BACKEND_ORDER.join(', ')}.`,
    );
    this.name = 'UnknownBackendError';
  }
}

type Attempt = { ok: true; detail: string } | { ok: false; why: string };

const require = createRequire(import.meta.url);

/** Dynamic import of an optional package; a variable specifier keeps bundlers from resolving it. */
async function importOptional(specifier: string): Promise<unknown> {
  try {
    return await import(/* @vite-ignore */ specifier);
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return null;
    throw error;
  }
}

function describeFailure(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function activate(name: string): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

async function tryTensorflow(pkg: string, wantGpu: boolean): Promise<Attempt> {
  let loaded: unknown;
  try {
    loaded = await importOptional(pkg);
  } catch (error) {
    return { ok: false, why: `${pkg} failed to load (${describeFailure(error)})` };
  }
  if (loaded === null) return { ok: false, why: `${pkg} is not installed` };
  if (!(await activate('tensorflow'))) return { ok: false, why: `${pkg} did not start` };
  const gpus = wantGpu ? 'CUDA build' : 'CPU build';
  return { ok: true, detail: `${pkg} (libtensorflow ${gpus}), tfjs ${tf.version_core}` };
}

async function tryWebgpu(): Promise<Attempt> {
  const backendPkg = await importOptional('@tensorflow/tfjs-backend-webgpu').catch(() => null);
  if (backendPkg === null)
    return { ok: false, why: '@tensorflow/tfjs-backend-webgpu is not installed' };
  const dawn = (await importOptional('webgpu').catch(() => null)) as {
    create?: (flags: string[]) => unknown;
    globals?: object;
  } | null;
  if (dawn?.create === undefined) return { ok: false, why: NEEDS_DESKTOP };
  Object.assign(globalThis, dawn.globals ?? {});
  const gpu = dawn.create([]) as { requestAdapter(): Promise<unknown> };
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (adapter === null) return { ok: false, why: 'no WebGPU hardware adapter found' };
  Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
  if (!(await activate('webgpu'))) return { ok: false, why: 'the webgpu backend did not start' };
  return { ok: true, detail: 'WebGPU through Dawn' };
}

/**
 * WebGPU and WebGL exist in Node only through a native Dawn build (package "webgpu"); the
 * desktop app trains on them in its hidden GPU window instead (learn/gpu-page/).
 */
const NEEDS_DESKTOP =
  'it needs the desktop app (npm start), which trains on it in a hidden GPU window, not in this process';

async function tryWasm(): Promise<Attempt> {
  const packageJson = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  // A file path prefix makes the Emscripten loader read the .wasm with fs: no fetch, no network.
  setWasmPaths(path.join(path.dirname(packageJson), 'dist') + path.sep);
  if (!(await activate('wasm'))) return { ok: false, why: 'the wasm module did not load' };
  const kernels = registerWasmTrainingKernels();
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  return {
    ok: true,
    detail:
      `tfjs-backend-wasm ${tf.version_core}, SIMD ${simd ? 'on' : 'off'}, ` +
      `${getThreadsCount()} thread(s), own kernels: ${kernels.join(', ')}`,
  };
}

async function tryCpu(): Promise<Attempt> {
  if (!(await activate('cpu'))) return { ok: false, why: 'the cpu backend did not start' };
  return { ok: true, detail: `tfjs-backend-cpu ${tf.version_core} (plain JavaScript, slow)` };
}

function attempt(name: BackendName): Promise<Attempt> {
  switch (name) {
    case 'tensorflow-gpu':
      return tryTensorflow('@tensorflow/tfjs-node-gpu', true);
    case 'webgpu':
      return tryWebgpu();
    case 'webgl':
      return Promise.resolve({ ok: false, why: NEEDS_DESKTOP });
    case 'tensorflow':
      return tryTensorflow('@tensorflow/tfjs-node', false);
    case 'wasm':
      return tryWasm();
    case 'cpu':
      return tryCpu();
  }
}

export function parseBackendChoice(value: string, source: string): BackendName | 'auto' {
  const normalised = value.trim().toLowerCase();
  if (normalised === 'auto' || normalised === '') return 'auto';
  if ((BACKEND_ORDER as readonly string[]).includes(normalised)) return normalised as BackendName;
  throw new UnknownBackendError(value, source);
}

let current: BackendInfo | undefined;

/** The backend chosen by the last successful initBackend, if any. */
export function currentBackend(): BackendInfo | undefined {
  return current;
}

/**
 * Starts a backend. 'auto' takes AHUNT_BACKEND from the environment when set, else the fastest
 * available. Calling again with the same resolved choice returns the running backend.
 */
export async function initBackend(choice: BackendName | 'auto' = 'auto'): Promise<BackendInfo> {
  const fromEnv = process.env.AHUNT_BACKEND;
  const resolved =
    choice === 'auto' && fromEnv !== undefined && fromEnv.trim() !== ''
      ? parseBackendChoice(fromEnv, 'the AHUNT_BACKEND environment variable')
      : choice;
  const source = resolved === choice ? 'explicit choice' : 'AHUNT_BACKEND';
  if (current !== undefined && (resolved === 'auto' || resolved === current.name)) {
    if (tf.getBackend() === current.name) return current;
  }
  if (resolved !== 'auto') {
    const result = await attempt(resolved);
    if (!result.ok) throw new BackendUnavailableError(resolved, result.why);
    current = { name: resolved, reason: source, detail: result.detail };
    return current;
  }
  const skipped: string[] = [];
  for (const name of BACKEND_ORDER) {
    const result = await attempt(name);
    if (result.ok) {
      const reason =
        skipped.length === 0 ? 'fastest available' : `fastest available (${skipped.join('; ')})`;
      current = { name, reason, detail: result.detail };
      return current;
    }
    skipped.push(`${name}: ${result.why}`);
  }
  throw new BackendUnavailableError('cpu', skipped.join('; '));
}
