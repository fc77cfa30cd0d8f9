import { call } from '../app/dispatch';
import { ApiFailure } from '../app/errors';
import { openHeadless, type HeadlessAccess, type HeadlessHost } from '../app/headless';
import type { Input, Method, Output } from '../contract/contract';
import type { CliIo } from './command';

/**
 * Runs one `ahunt` project command on a headless host: the project is opened (and locked,
 * for commands that write) the way the app layer opens it for every door, and closed after,
 * whatever happens.
 */
export async function withProject<T>(
  dir: string,
  access: HeadlessAccess,
  use: (host: HeadlessHost) => Promise<T>,
): Promise<T> {
  const host = openHeadless(dir, access);
  try {
    return await use(host);
  } finally {
    await host.close();
  }
}

/**
 * One request through the app api's dispatch: validated against the contract and its errors
 * translated as for the window and the server. A failure is thrown as an ApiFailure, which
 * the entry point prints as one line (exit 1; exit 2 when it was internal).
 */
export async function request<M extends Method>(
  host: HeadlessHost,
  method: M,
  input: Input<M>,
  io: CliIo,
): Promise<Output<M>> {
  // Only a bug's stack is worth a line of its own; a refusal is the one line main prints.
  const result = await call(host.services, method, input, (m) => {
    if (m.startsWith('internal error')) io.err(m);
  });
  if (!result.ok) throw new ApiFailure(result.error);
  return result.value;
}
