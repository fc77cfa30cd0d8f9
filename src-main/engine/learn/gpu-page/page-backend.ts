/**
 * Starts tfjs's GPU backend inside a Chromium page: WebGPU where the browser has an adapter,
 * WebGL otherwise. Runs only in a page (it reads navigator.gpu), never in Node.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import type { BackendInfo, BackendName } from '../types';

export type PageBackend = Extract<BackendName, 'webgpu' | 'webgl'>;

interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  description?: string;
}
interface GpuNavigator {
  gpu?: { requestAdapter(): Promise<{ info?: AdapterInfo; isFallbackAdapter?: boolean } | null> };
}

async function webgpuAdapter(): Promise<string | null> {
  const nav = (globalThis as { navigator?: GpuNavigator }).navigator;
  const adapter = await nav?.gpu?.requestAdapter().catch(() => null);
  if (!adapter) return null;
  const info = adapter.info ?? {};
  const words = [info.vendor, info.architecture, info.description].filter((w) => w);
  const name = words.length > 0 ? words.join(' ') : 'unnamed adapter';
  return adapter.isFallbackAdapter === true ? `${name} (fallback adapter)` : name;
}

function webglRenderer(): string {
  const backend = tf.backend() as unknown as {
    gpgpu?: { gl?: { getExtension(n: string): unknown; getParameter(p: unknown): unknown } };
  };
  const gl = backend.gpgpu?.gl;
  const ext = gl?.getExtension('WEBGL_debug_renderer_info') as
    { UNMASKED_RENDERER_WEBGL: number } | null | undefined;
  if (!gl || !ext) return 'unnamed renderer';
  return String(gl.getParameter(ext.UNMASKED_RENDERER_WEBGL));
}

async function activate(name: PageBackend): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * 'auto' takes WebGPU, then WebGL; a named backend is that one or an error that says why.
 * WebGL training needs float32 render targets, which every desktop GPU has.
 */
export async function startPageBackend(choice: BackendName | 'auto'): Promise<BackendInfo> {
  if (choice !== 'auto' && choice !== 'webgpu' && choice !== 'webgl') {
    throw new Error(`The GPU page trains on webgpu or webgl, not "${choice}".`);
  }
  const skipped: string[] = [];
  if (choice !== 'webgl') {
    const adapter = await webgpuAdapter();
    if (adapter !== null && (await activate('webgpu'))) {
      return {
        name: 'webgpu',
        reason: choice === 'auto' ? 'GPU window' : 'explicit choice',
        detail: `tfjs-backend-webgpu ${tf.version_core} on ${adapter}`,
      };
    }
    skipped.push(adapter === null ? 'no WebGPU adapter' : 'the webgpu backend did not start');
    if (choice === 'webgpu')
      throw new Error(`WebGPU is not available in this window: ${skipped[0]}.`);
  }
  if (await activate('webgl')) {
    const version = tf.env().getNumber('WEBGL_VERSION');
    const floats = tf.env().getBool('WEBGL_RENDER_FLOAT32_ENABLED') ? 'float32' : 'float16';
    return {
      name: 'webgl',
      reason: skipped.length > 0 ? `GPU window (${skipped.join('; ')})` : 'explicit choice',
      detail: `tfjs-backend-webgl ${tf.version_core}, WebGL ${version} (${floats}) on ${webglRenderer()}`,
    };
  }
  throw new Error(`Neither WebGPU nor WebGL is available in this window (${skipped.join('; ')}).`);
}
