/// <reference types="svelte" />
/** The project's learning settings (strategy, Q, epochs, image size, backend). */
import type { AhuntApi, ApiError, Input, Settings } from '../../src-main/contract/contract';
import { makeRequester, type Requester } from './requester';

export class SettingsStore {
  settings = $state<Settings | null>(null);
  saving = $state(false);
  private readonly request: Requester;

  constructor(api: AhuntApi, report: (error: ApiError) => void) {
    this.request = makeRequester(api, report);
  }

  async load(): Promise<void> {
    const settings = await this.request('settings.get', {});
    if (settings) this.settings = settings;
  }

  async save(patch: Input<'settings.set'>): Promise<boolean> {
    this.saving = true;
    const settings = await this.request('settings.set', patch);
    this.saving = false;
    if (settings) this.settings = settings;
    return settings !== null;
  }
}
