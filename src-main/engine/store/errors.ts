/**
 * Problems with a project folder or its database that the user must act on. `code` lets
 * doors (CLI exit codes, api error objects) classify them without parsing the message.
 */
export type ProjectErrorCode =
  | 'not-a-project'
  | 'already-a-project'
  | 'from-the-future'
  | 'damaged'
  | 'not-found'
  | 'conflict'
  | 'invalid';

export class ProjectError extends Error {
  override name = 'ProjectError';
  constructor(
    readonly code: ProjectErrorCode,
    message: string,
  ) {
    super(message);
  }
}
