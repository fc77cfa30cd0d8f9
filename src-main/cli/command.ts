/**
 * The shape every `ahunt` sub-command has. Commands print through `io` (never console)
 * so tests can capture output, and signal a user mistake by throwing `UserError` (or any
 * error the app layer's translator calls user-facing), which the entry point turns into exit
 * code 1 with a one-line reason. Anything else is a bug: exit code 2.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** True when stderr is a terminal: commands may draw a live progress line. */
  readonly interactive: boolean;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(argv: string[], io: CliIo): Promise<number>;
}

/** A mistake the user can fix: wrong arguments, a missing file, a malformed input. */
export class UserError extends Error {
  override name = 'UserError';
  /** What the app layer's error translator reads (app/errors.ts). */
  readonly userFacing = true;
  readonly code = 'invalid-arguments';
}
