/**
 * Problems with the user's inputs to ingestion (a missing path, a malformed catalogue or
 * labels file, a bad option). `userFacing` makes the CLI print the message and exit 1;
 * `file` names the input at fault so a door can point at it.
 */
export type IngestErrorCode =
  'not-found' | 'unsupported' | 'bad-catalogue' | 'bad-labels' | 'bad-option';

export class IngestError extends Error {
  override name = 'IngestError';
  readonly userFacing = true;

  constructor(
    readonly code: IngestErrorCode,
    readonly file: string | null,
    message: string,
  ) {
    super(message);
  }
}

/** A per-file problem: the file is recorded as rejected with this reason and ingestion goes on. */
export class RejectedFile extends Error {
  override name = 'RejectedFile';
}

export function reasonOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
