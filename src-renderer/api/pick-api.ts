/** The desktop bridge when the preload exposed one, else the local server over HTTP. */
import type { AhuntApi } from '../../src-main/contract/contract';
import { createHttpApi } from './http-api';
import { takeToken } from './token';

declare global {
  interface Window {
    ahunt?: AhuntApi;
  }
}

export function pickApi(): AhuntApi | { error: string } {
  if (window.ahunt) return window.ahunt;
  const token = takeToken();
  if (!token) {
    return {
      error:
        'This page needs the access token. Open the full address that `ahunt serve` printed (it ends in ?token=…).',
    };
  }
  return createHttpApi(token);
}
