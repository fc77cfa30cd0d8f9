/// <reference types="svelte" />
/** Details of the object in the large preview (object.get), fetched as the focus moves. */
import type { AhuntApi, ApiError, ObjectView } from '../../src-main/contract/contract';
import { makeRequester, type Requester } from './requester';

export class InspectorStore {
  object = $state<ObjectView | null>(null);
  loading = $state(false);
  zoomed = $state(false);
  private readonly request: Requester;
  private latest = 0;

  /**
   * @param settleMs wait this long before asking, so a focus that moves on at typing speed
   *   does not queue object.get requests in front of the label.set the user is waiting for.
   */
  constructor(
    api: AhuntApi,
    report: (error: ApiError) => void,
    private readonly settleMs = 0,
  ) {
    this.request = makeRequester(api, report);
  }

  reset(): void {
    this.latest += 1;
    this.object = null;
    this.loading = false;
    this.zoomed = false;
  }

  /** Loads an object; an answer that arrives after a newer request is dropped. */
  async open(id: number): Promise<void> {
    const ticket = ++this.latest;
    this.loading = true;
    if (this.settleMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.settleMs));
      if (ticket !== this.latest) return;
    }
    const object = await this.request('object.get', { id });
    if (ticket !== this.latest) return;
    this.loading = false;
    if (object) this.object = object;
  }

  toggleZoom(): void {
    this.zoomed = !this.zoomed;
  }
}
