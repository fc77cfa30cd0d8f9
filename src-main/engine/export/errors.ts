/**
 * A problem with an export or score import that the user can fix (a bad target path, a
 * project without a model, a malformed scores file). `userFacing` makes the CLI print the
 * message and exit 1 instead of treating it as an internal error.
 */
export class ExportError extends Error {
  override name = 'ExportError';
  readonly userFacing = true;
  constructor(
    message: string,
    /** The file or folder at fault. */
    readonly file: string,
  ) {
    super(message);
  }
}

/**
 * The ONNX module's model-folder errors are the user's to fix (wrong folder, foreign files in
 * the target) but do not carry `userFacing`: re-raise them as ExportError so every door
 * reports them as such. Anything else passes through unchanged.
 */
export function asExportError(error: unknown): unknown {
  if (error instanceof Error && error.name === 'ModelFolderError') {
    const file = (error as Error & { file?: unknown }).file;
    return new ExportError(error.message, typeof file === 'string' ? file : '');
  }
  return error;
}
