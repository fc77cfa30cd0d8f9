/**
 * Loads onnxruntime-node on first use. It is a native addon that may be missing or broken on a
 * user's platform; importing it lazily keeps the rest of the engine working without it, and a
 * failure becomes one typed error the caller can fall back from (to tfjs scoring).
 */
import type * as OrtNamespace from 'onnxruntime-node';
import { OnnxRuntimeUnavailableError } from './errors';

export type OnnxRuntime = typeof OrtNamespace;
export type OnnxRuntimeImporter = () => Promise<OnnxRuntime>;

const importOnnxRuntimeNode: OnnxRuntimeImporter = () => import('onnxruntime-node');

let shared: Promise<OnnxRuntime> | null = null;

export function loadOnnxRuntime(importer?: OnnxRuntimeImporter): Promise<OnnxRuntime> {
  // A custom importer (tests) is never cached, so it cannot poison the shared instance.
  if (importer) return loadWith(importer);
  shared ??= loadWith(importOnnxRuntimeNode).catch((error: unknown) => {
    shared = null;
    throw error;
  });
  return shared;
}

async function loadWith(importer: OnnxRuntimeImporter): Promise<OnnxRuntime> {
  try {
    const ort = await importer();
    if (typeof ort?.InferenceSession?.create !== 'function') {
      throw new Error('the module has no InferenceSession');
    }
    return ort;
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new OnnxRuntimeUnavailableError(
      `onnxruntime-node could not be loaded (${why}); scoring falls back to tfjs. Reinstall the app's packages to restore fast scoring.`,
      { cause: error },
    );
  }
}
