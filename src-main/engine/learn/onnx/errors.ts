/**
 * Errors of the ONNX export / scoring / model-folder code. Each carries a stable `code` so that
 * callers (and the api layer) can react without parsing messages, and a message that says what
 * is wrong and what to do.
 */

export type OnnxErrorCode =
  'ONNX_UNSUPPORTED_MODEL' | 'ONNX_RUNTIME_UNAVAILABLE' | 'ONNX_BAD_INPUT' | 'MODEL_FOLDER_INVALID';

abstract class OnnxError extends Error {
  abstract readonly code: OnnxErrorCode;
}

/** The tfjs model uses a layer or option that the exporter cannot translate. */
export class OnnxUnsupportedModelError extends OnnxError {
  readonly code = 'ONNX_UNSUPPORTED_MODEL';
  override readonly name = 'OnnxUnsupportedModelError';
}

/**
 * onnxruntime-node could not be loaded (not installed, or its native library missing for this
 * platform). Callers should fall back to scoring with tfjs.
 */
export class OnnxRuntimeUnavailableError extends OnnxError {
  readonly code = 'ONNX_RUNTIME_UNAVAILABLE';
  override readonly name = 'OnnxRuntimeUnavailableError';
}

/** The images handed to the scorer do not match the model's input. */
export class OnnxInputError extends OnnxError {
  readonly code = 'ONNX_BAD_INPUT';
  override readonly name = 'OnnxInputError';
}

/** A model folder is missing a file, or a file in it is malformed or inconsistent. */
export class ModelFolderError extends OnnxError {
  readonly code = 'MODEL_FOLDER_INVALID';
  override readonly name = 'ModelFolderError';
  constructor(
    message: string,
    /** The file (or folder) at fault. */
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isOnnxRuntimeUnavailable(error: unknown): error is OnnxRuntimeUnavailableError {
  return error instanceof OnnxRuntimeUnavailableError;
}
