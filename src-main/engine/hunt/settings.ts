import type { Settings } from '../../contract/contract';
import type { Db } from '../store/open';
import { getSetting, setSetting } from '../store/settings';

/**
 * Defaults for a new project: the method's survey variant (method.md), since a project holds
 * survey cutouts. Q = 16 fills a 4×4 grid (method.md uses 15 for galaxies); 10 epochs a round
 * as for galaxies, with any-rotation augmentation (session.ts) and the encoder deepened with the
 * cutout size (model.ts: 3 extra blocks at 128 px). A round trains twice as long as it did at
 * the earlier default of 5; the expert can lower it in the settings.
 */
export const DEFAULT_SETTINGS: Settings = {
  strategy: 'most-anomalous',
  queries: 16,
  epochs: 10,
  imageSize: 64,
  backend: 'auto',
  warmStart: 0,
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
