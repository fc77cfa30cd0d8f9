import type { Settings } from '../../contract/contract';
import type { Db } from '../store/open';
import { getSetting, setSetting } from '../store/settings';

/**
 * Defaults for a new project. Q = 16 fills a 4×4 grid (method.md uses 15 for galaxies);
 * 5 epochs is between the paper's 2 (MNIST) and 10 (galaxies) so a round on the CPU backends
 * stays under a minute for a few hundred labels.
 */
export const DEFAULT_SETTINGS: Settings = {
  strategy: 'most-anomalous',
  queries: 16,
  epochs: 5,
  imageSize: 64,
  backend: 'auto',
};

export function readSettings(db: Db): Settings {
  return { ...DEFAULT_SETTINGS, ...getSetting<Partial<Settings>>(db, 'hunt', {}) };
}

export function writeSettings(db: Db, patch: Partial<Settings>): Settings {
  const next = { ...readSettings(db), ...stripUndefined(patch) };
  setSetting(db, 'hunt', next);
  return next;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
