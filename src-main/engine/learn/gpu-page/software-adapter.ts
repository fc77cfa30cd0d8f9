/** Words that name a software rasteriser in an adapter or renderer string. */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|fallback adapter/i;

/**
 * True when a GPU page's backend detail names a CPU emulation (SwiftShader and the like): such
 * an adapter trains far slower than wasm, so the engine does not even time it.
 */
export function isSoftwareAdapter(detail: string): boolean {
  return SOFTWARE.test(detail);
}
