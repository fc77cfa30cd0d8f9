/// <reference types="svelte" />
/** Rounds so far (discovery curve, counts, true-candidate %) and the 2-D latent map. */
import type { AhuntApi, ApiError, HistoryView, LatentMap } from '../../src-main/contract/contract';
import { makeRequester, type Requester } from './requester';

export type LatentColouring = 'class' | 'score';

export class HistoryStore {
  history = $state<HistoryView | null>(null);
  latent = $state<LatentMap | null>(null);
  loading = $state(false);
  latentLoading = $state(false);
  latentMethod = $state<'pca' | 'umap'>('pca');
  colouring = $state<LatentColouring>('class');
  private readonly request: Requester;

  constructor(api: AhuntApi, report: (error: ApiError) => void) {
    this.request = makeRequester(api, report);
  }

  reset(): void {
    this.history = null;
    this.latent = null;
  }

  async load(): Promise<void> {
    this.loading = true;
    const history = await this.request('history.get', {});
    if (history) this.history = history;
    this.loading = false;
  }

  async loadLatent(method: 'pca' | 'umap' = this.latentMethod): Promise<void> {
    this.latentMethod = method;
    this.latentLoading = true;
    const map = await this.request('latent.map', { method, limit: 5000 });
    if (map) this.latent = map;
    this.latentLoading = false;
  }

  /** True-candidate % per round, null where the engine has none. */
  get trueCandidates(): { round: number; percent: number | null }[] {
    return (this.history?.rounds ?? []).map((r) => ({
      round: r.number,
      percent: r.trueCandidatePercent,
    }));
  }
}
