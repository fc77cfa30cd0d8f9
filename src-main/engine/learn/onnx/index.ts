/** ONNX export of the AHUNT model, onnxruntime-node scoring, and model folders. */
export { toOnnx, ONNX_INPUT_NAME, ONNX_LATENT_NAME, ONNX_OPSET, ONNX_PROBS_NAME } from './to-onnx';
export { createOnnxScorer, DEFAULT_SCORE_BATCH } from './scorer';
export type { OnnxScorer, OnnxScorerOptions } from './scorer';
export { loadOnnxRuntime } from './runtime';
export { exportModelFolder, loadModelFolder, ONNX_MODEL_FILE } from './model-folder';
export type { LoadedModelFolder } from './model-folder';
export { AHUNT_MANIFEST_FILE } from './model-manifest';
export type { AhuntModelManifest, AhuntModelMeta, InputNormalisation } from './model-manifest';
export {
  isOnnxRuntimeUnavailable,
  ModelFolderError,
  OnnxInputError,
  OnnxRuntimeUnavailableError,
  OnnxUnsupportedModelError,
} from './errors';
export type { OnnxErrorCode } from './errors';
