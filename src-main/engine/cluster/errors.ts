/**
 * A problem with a cluster scoring task that the user can fix (a work list that is not an
 * object list, a source file the worker cannot find, a model folder that does not fit).
 * `userFacing` makes the CLI print the message and exit 1.
 */
export class ClusterScoringError extends Error {
  override name = 'ClusterScoringError';
  readonly userFacing = true;
  constructor(
    message: string,
    /** The file at fault. */
    readonly file: string,
  ) {
    super(message);
  }
}
