import type { ApiError } from '../contract/contract';
import { isCorruption } from '../engine/store/damage';
import { ProjectError } from '../engine/store/errors';

/**
 * The one translator from a thrown error to what a door shows: every door (window, server,
 * command line) reports a failure through this, so a mistake reads the same everywhere.
 * User-caused errors (ProjectError, or any error the engine marked `userFacing`) keep their
 * code and sentence; anything else is a bug: logged with its stack, reported without it, and
 * coded `internal` (the command line exits 2 on it instead of 1).
 */
export function toApiError(error: unknown, log: (message: string) => void = () => {}): ApiError {
  if (error instanceof ProjectError) return { code: error.code, message: error.message };
  // Damage met outside an open project's dispatch (dispatch names the project's backup).
  if (isCorruption(error))
    return {
      code: 'damaged',
      message:
        `The project's database is damaged (${(error as Error).message}). Put its newest ` +
        'automatic backup back with: ahunt restore <project> (--list shows them).',
    };
  const e = error as { userFacing?: boolean; code?: unknown; message?: string; stack?: string };
  if (e?.userFacing)
    return {
      code: typeof e.code === 'string' ? e.code : 'invalid',
      message: e.message ?? String(error),
    };
  log(`internal error: ${e?.stack ?? String(error)}`);
  return {
    code: 'internal',
    message: `Something went wrong inside the engine (${e?.message ?? String(error)}); this request did not complete. Try again, and report this if it repeats.`,
  };
}

/** An api failure as an error a caller can throw on: it keeps the code and stays user-facing. */
export class ApiFailure extends Error {
  override name = 'ApiFailure';
  readonly code: string;
  readonly userFacing: boolean;
  constructor(error: ApiError) {
    super(error.message);
    this.code = error.code;
    this.userFacing = error.code !== 'internal';
  }
}
