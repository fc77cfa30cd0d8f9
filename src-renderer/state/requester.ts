/** One engine request whose failure becomes a readable sentence (reported) and a null result. */
import type { AhuntApi, ApiError, Input, Method, Output } from '../../src-main/contract/contract';

export type Requester = <M extends Method>(method: M, input: Input<M>) => Promise<Output<M> | null>;

export function makeRequester(api: AhuntApi, report: (error: ApiError) => void): Requester {
  return async (method, input) => {
    try {
      const result = await api.call(method, input);
      if (result.ok) return result.value;
      report(result.error);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      report({
        code: 'connection',
        message: `The engine did not answer ${method} (${reason}). Check that AHUNT is still running, then retry.`,
      });
    }
    return null;
  };
}
